// ZIP archives in memory (libzip): the container of a process package and
// of the BPMN attachments in XProzess messages. Pure: bytes in, bytes out.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace amtsweg::packages {

struct ZipEntry {
  std::string name;  // path inside the archive, '/' separated
  std::string data;
};

// Limits for reading untrusted archives.
inline constexpr size_t kMaxZipEntries = 1000;
inline constexpr size_t kMaxZipBytes = 64u << 20;  // uncompressed, all entries together

// Writes `entries` (deflated, in the given order) into a ZIP archive.
// kInvalidArgument: an empty, absolute or ".." name, or a name used twice.
core::Result<std::string> WriteZip(const std::vector<ZipEntry>& entries);

// Reads every file entry of the archive `bytes` (directories are skipped).
// kInvalidArgument: not a ZIP archive, a damaged entry (CRC), an unsafe
// name (absolute, "..", backslash), a duplicate name, more than
// kMaxZipEntries entries or kMaxZipBytes bytes.
core::Result<std::vector<ZipEntry>> ReadZip(const std::string& bytes);

// True for names that are relative, '/'-separated and free of "." / ".." parts.
bool IsSafeEntryName(const std::string& name);

}  // namespace amtsweg::packages
