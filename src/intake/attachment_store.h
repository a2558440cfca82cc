// Attachment bytes on disk, content-addressed per tenant:
//   <root>/<tenant>/<sha256[0:2]>/<sha256>
// Put writes to a temporary file in the same folder, fsyncs it, renames it
// into place and fsyncs the folder, so after Put returns the bytes survive a
// crash — it is called BEFORE the transaction that references them commits.
// A file no row references (a crash between Put and the commit, a refused
// batch) is an orphan; SweepOrphans removes those older than a given age.
//
// DetectContentType looks at the bytes (libmagic), never at the name.
// Thread-safety: all methods are thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace amtsweg::intake {

class AttachmentStore {
 public:
  explicit AttachmentStore(std::filesystem::path root) : root_(std::move(root)) {}

  // Stores `bytes` for `tenant` (a slug) under `sha256` (hex, of the bytes).
  // An existing file is kept and its time refreshed (so a sweep does not take
  // it while a new reference is being committed). kUnavailable on I/O errors.
  core::Status Put(std::string_view tenant, std::string_view sha256, std::string_view bytes);
  // The bytes; kNotFound when absent.
  core::Result<std::string> Get(std::string_view tenant, std::string_view sha256) const;
  std::filesystem::path PathOf(std::string_view tenant, std::string_view sha256) const;

  // Removes files of `tenant` older than `min_age` for which `referenced(sha)`
  // is false, and stale temporary files. Returns how many were removed.
  core::Result<int> SweepOrphans(std::string_view tenant, std::chrono::seconds min_age,
                                 const std::function<core::Result<bool>(const std::string&)>& referenced);

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

// The MIME type of `bytes` by content ("application/pdf", "image/png",
// "application/x-executable", ...). kInternal when libmagic cannot load its database.
core::Result<std::string> DetectContentType(std::string_view bytes);

}  // namespace amtsweg::intake
