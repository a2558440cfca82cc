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
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace amtsweg::intake {

class AttachmentStore {
 public:
  // `clock`: the time stamped on stored files and used for their age by
  // SweepOrphans; null: the file system's own times (no extra system call).
  explicit AttachmentStore(std::filesystem::path root, const core::Clock* clock = nullptr)
      : root_(std::move(root)), clock_(clock) {}
  // Finishes the queued PutAsync jobs, then stops the file threads.
  ~AttachmentStore();
  AttachmentStore(const AttachmentStore&) = delete;
  AttachmentStore& operator=(const AttachmentStore&) = delete;

  // Stores `bytes` for `tenant` (a slug) under `sha256` (hex, of the bytes).
  // An existing file is kept and its time refreshed (so a sweep does not take
  // it while a new reference is being committed). kUnavailable on I/O errors.
  core::Status Put(std::string_view tenant, std::string_view sha256, std::string_view bytes);

  // Put for several files, off the caller's thread: a small pool of file
  // threads (started on first use) takes every job that waits, writes and
  // fsyncs each new file, renames it into place, then fsyncs each folder
  // touched ONCE for all of them, and only then calls each job's `done`
  // (on a file thread) — the same durability as Put, with the folder syncs
  // shared and the HTTP threads never blocked by an fsync. The bytes must
  // stay alive until `done` runs. A job fails as a whole if any file fails.
  struct PutItem {
    std::string sha256;
    std::string_view bytes;
  };
  void PutAsync(std::string tenant, std::vector<PutItem> items, std::function<void(core::Status)> done);

  // The bytes; kNotFound when absent.
  core::Result<std::string> Get(std::string_view tenant, std::string_view sha256) const;
  std::filesystem::path PathOf(std::string_view tenant, std::string_view sha256) const;

  // Removes files of `tenant` older than `min_age` for which `referenced(sha)`
  // is false, and stale temporary files. Returns how many were removed.
  core::Result<int> SweepOrphans(std::string_view tenant, std::chrono::seconds min_age,
                                 const std::function<core::Result<bool>(const std::string&)>& referenced);

  // The tenants that have a folder under the root (valid slugs only).
  core::Result<std::vector<std::string>> Tenants() const;

  const std::filesystem::path& root() const { return root_; }

 private:
  // Writes one file durably except for its folder entry; adds the folders
  // whose entries must be synced to `dirs`.
  core::Status WriteFile(std::string_view tenant, std::string_view sha256, std::string_view bytes,
                         std::set<std::filesystem::path>& dirs);
  void FileThread();

  struct Job {
    std::string tenant;
    std::vector<PutItem> items;
    std::function<void(core::Status)> done;
  };
  std::filesystem::path root_;
  const core::Clock* clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;              // GUARDED_BY(mu_)
  bool stopping_ = false;             // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;  // started under mu_ on first PutAsync
};

// The MIME type of `bytes` by content ("application/pdf", "image/png",
// "application/x-executable", ...). kInternal when libmagic cannot load its database.
core::Result<std::string> DetectContentType(std::string_view bytes);

}  // namespace amtsweg::intake
