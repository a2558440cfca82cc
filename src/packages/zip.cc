#include "packages/zip.h"

#include <cstring>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <zip.h>

namespace amtsweg::packages {

namespace {

std::string ZipErrorText(zip_error_t* err) {
  std::string s = zip_error_strerror(err);
  return s;
}

struct ArchiveCloser {
  void operator()(zip_t* z) const {
    if (z != nullptr) zip_discard(z);
  }
};

}  // namespace

bool IsSafeEntryName(const std::string& name) {
  if (name.empty() || name.size() > 500 || name.front() == '/' || name.find('\\') != std::string::npos) return false;
  if (name.find('\0') != std::string::npos) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    std::string part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

core::Result<std::string> WriteZip(const std::vector<ZipEntry>& entries) {
  std::set<std::string> names;
  for (const auto& e : entries) {
    if (!IsSafeEntryName(e.name)) return core::InvalidArgument(fmt::format("unsafe archive entry name '{}'", e.name));
    if (!names.insert(e.name).second) return core::InvalidArgument(fmt::format("archive entry '{}' twice", e.name));
  }
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (src == nullptr) {
    std::string m = ZipErrorText(&err);
    zip_error_fini(&err);
    return core::Internal("zip: " + m);
  }
  zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  if (za == nullptr) {
    std::string m = ZipErrorText(&err);
    zip_error_fini(&err);
    zip_source_free(src);
    return core::Internal("zip: " + m);
  }
  zip_error_fini(&err);
  zip_source_keep(src);  // read the bytes after zip_close
  for (const auto& e : entries) {
    zip_source_t* data = zip_source_buffer(za, e.data.data(), e.data.size(), 0);
    if (data == nullptr || zip_file_add(za, e.name.c_str(), data, ZIP_FL_ENC_UTF_8) < 0) {
      if (data != nullptr) zip_source_free(data);
      std::string m = zip_strerror(za);
      zip_discard(za);
      zip_source_free(src);
      return core::Internal(fmt::format("zip: adding {}: {}", e.name, m));
    }
  }
  if (zip_close(za) < 0) {
    std::string m = zip_strerror(za);
    zip_discard(za);
    zip_source_free(src);
    return core::Internal("zip: " + m);
  }
  std::string out;
  zip_stat_t st;
  if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
    out.resize(st.size);
    zip_int64_t n = zip_source_read(src, out.data(), st.size);
    zip_source_close(src);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) {
      zip_source_free(src);
      return core::Internal("zip: reading the written archive failed");
    }
  } else {
    zip_source_free(src);
    return core::Internal("zip: reading the written archive failed");
  }
  zip_source_free(src);
  return out;
}

core::Result<std::vector<ZipEntry>> ReadZip(const std::string& bytes) {
  if (bytes.size() < 4 || std::memcmp(bytes.data(), "PK\x03\x04", 4) != 0) {
    if (!(bytes.size() >= 4 && std::memcmp(bytes.data(), "PK\x05\x06", 4) == 0)) {
      return core::InvalidArgument("not a ZIP archive");
    }
  }
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (src == nullptr) {
    std::string m = ZipErrorText(&err);
    zip_error_fini(&err);
    return core::Internal("zip: " + m);
  }
  std::unique_ptr<zip_t, ArchiveCloser> za(zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err));
  if (!za) {
    std::string m = ZipErrorText(&err);
    zip_error_fini(&err);
    zip_source_free(src);
    return core::InvalidArgument("not a readable ZIP archive: " + m);
  }
  zip_error_fini(&err);
  zip_int64_t n = zip_get_num_entries(za.get(), 0);
  if (n < 0 || static_cast<size_t>(n) > kMaxZipEntries) {
    return core::InvalidArgument(fmt::format("ZIP archive has more than {} entries", kMaxZipEntries));
  }
  std::vector<ZipEntry> out;
  std::set<std::string> names;
  size_t total = 0;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(za.get(), i, 0, &st) != 0) return core::InvalidArgument("damaged ZIP directory");
    std::string name = st.name != nullptr ? st.name : "";
    if (!name.empty() && name.back() == '/') continue;  // a directory
    if (!IsSafeEntryName(name)) return core::InvalidArgument(fmt::format("unsafe archive entry name '{}'", name));
    if (!names.insert(name).second) return core::InvalidArgument(fmt::format("archive entry '{}' twice", name));
    total += st.size;
    if (st.size > kMaxZipBytes || total > kMaxZipBytes) {
      return core::InvalidArgument(fmt::format("ZIP archive larger than {} bytes uncompressed", kMaxZipBytes));
    }
    zip_file_t* f = zip_fopen_index(za.get(), i, 0);
    if (f == nullptr) return core::InvalidArgument(fmt::format("{}: {}", name, zip_strerror(za.get())));
    std::string data(st.size, '\0');
    zip_int64_t got = zip_fread(f, data.data(), st.size);
    // zip_fclose reports a CRC mismatch of what was read.
    int closed = zip_fclose(f);
    if (got < 0 || static_cast<zip_uint64_t>(got) != st.size || closed != 0) {
      return core::InvalidArgument(fmt::format("{}: damaged entry (read or CRC error)", name));
    }
    out.push_back({std::move(name), std::move(data)});
  }
  return out;
}

}  // namespace amtsweg::packages
