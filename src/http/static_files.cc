#include "http/static_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <vector>

namespace amtsweg::http {
namespace {

struct TypeMapping {
  std::string_view ext;
  std::string_view type;
};
constexpr TypeMapping kTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"txt", "text/plain; charset=utf-8"},
    {"xml", "application/xml"},
    {"wasm", "application/wasm"},
    {"pdf", "application/pdf"},
};

std::string Hex(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (v == 0) return "0";
  std::string out;
  while (v) {
    out.insert(out.begin(), kDigits[v & 0xF]);
    v >>= 4;
  }
  return out;
}

std::optional<std::string> RealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return std::nullopt;
  return std::string(buf);
}

bool ReadWholeFile(const std::string& path, uint64_t size, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out.resize(size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, out.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(done);  // the file may have shrunk between stat and read
  return true;
}

// Weak comparison (RFC 9110 8.8.3.2) of `etag` against an If-None-Match list.
bool NoneMatchHits(std::string_view header, std::string_view etag) {
  auto strip_weak = [](std::string_view t) { return t.starts_with("W/") ? t.substr(2) : t; };
  etag = strip_weak(etag);
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item == "*" || strip_weak(item) == etag) return true;
  }
  return false;
}

}  // namespace

bool AcceptsCoding(std::string_view header, std::string_view wanted) {
  bool named = false, refused = false, star = false;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = item.substr(0, semi);
    std::string_view params = semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1);
    auto trim = [](std::string_view t) {
      while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
      while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
      return t;
    };
    coding = trim(coding);
    // q=0, q=0.0, q=0.000 refuse; any other weight accepts.
    bool zero = false;
    params = trim(params);
    if (params.size() >= 2 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
      std::string_view q = trim(params.substr(2));
      zero = !q.empty() && q[0] == '0' && q.find_first_not_of("0.", 0) == std::string_view::npos;
    }
    if (EqualsIgnoreCase(coding, wanted) || (wanted == "gzip" && EqualsIgnoreCase(coding, "x-gzip"))) {
      (zero ? refused : named) = true;
    } else if (coding == "*" && !zero) {
      star = true;
    }
  }
  return !refused && (named || star);
}

std::string_view ContentTypeFor(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string_view ext = name.substr(dot + 1);
  for (const auto& t : kTypes) {
    if (EqualsIgnoreCase(t.ext, ext)) return t.type;
  }
  return "application/octet-stream";
}

core::Result<std::unique_ptr<StaticFiles>> StaticFiles::Open(std::string_view root, StaticFilesOptions options) {
  struct stat st {};
  std::string r(root);
  if (::stat(r.c_str(), &st) != 0) return core::NotFound("static directory '" + r + "' does not exist");
  if (!S_ISDIR(st.st_mode)) return core::InvalidArgument("static root '" + r + "' is not a directory");
  auto real = RealPath(r);
  if (!real) return core::NotFound("static directory '" + r + "' cannot be resolved");
  return std::unique_ptr<StaticFiles>(new StaticFiles(std::move(*real), std::move(options)));
}

std::optional<StaticFiles::Entry> StaticFiles::Load(const std::string& rel) const {
  std::string path = root_ + "/" + rel;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  uint64_t size = static_cast<uint64_t>(st.st_size);
  int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  uint64_t dev = static_cast<uint64_t>(st.st_dev), ino = static_cast<uint64_t>(st.st_ino);
  {
    // A hit is the very file that passed the root check when it was cached:
    // one stat() instead of resolving the path again. A symlink re-pointed
    // elsewhere names another inode and misses.
    std::lock_guard lock(mu_);
    auto it = cache_.find(rel);
    if (it != cache_.end() && it->second.size == size && it->second.mtime_ns == mtime_ns &&
        it->second.dev == dev && it->second.ino == ino) {
      return it->second;
    }
  }
  // realpath follows symlinks; what it yields must still lie inside the root.
  auto real = RealPath(path);
  if (!real || real->size() <= root_.size() || real->compare(0, root_.size(), root_) != 0 ||
      (*real)[root_.size()] != '/') {
    return std::nullopt;
  }
  Entry e;
  e.size = size;
  e.mtime_ns = mtime_ns;
  e.dev = dev;
  e.ino = ino;
  e.etag = "\"" + Hex(size) + "-" + Hex(static_cast<uint64_t>(mtime_ns)) + "\"";
  auto content = std::make_shared<std::string>();
  if (!ReadWholeFile(*real, size, *content)) return std::nullopt;
  e.content = std::move(content);
  if (size <= options_.max_cached_file_bytes) {
    std::lock_guard lock(mu_);
    auto it = cache_.find(rel);
    if (it != cache_.end()) {
      cache_bytes_ -= it->second.size;
      cache_.erase(it);
    }
    if (cache_bytes_ + size <= options_.max_cache_bytes) {
      cache_bytes_ += size;
      cache_.emplace(rel, e);
    }
  }
  return e;
}

Response StaticFiles::Answer(const Entry& e, std::string_view rel, bool immutable, std::string_view if_none_match,
                             std::string_view accept_encoding) const {
  // The precompressed twin the client takes, brotli first, if it is current.
  struct Twin {
    std::string_view coding, suffix;
  };
  static constexpr Twin kTwins[] = {{"br", ".br"}, {"gzip", ".gz"}};
  std::optional<Entry> gz;
  std::string_view coding;
  for (const Twin& t : kTwins) {
    if (accept_encoding.empty() || !AcceptsCoding(accept_encoding, t.coding)) continue;
    gz = Load(std::string(rel).append(t.suffix));
    if (gz && gz->mtime_ns >= e.mtime_ns) {
      coding = t.coding;
      break;
    }
    gz.reset();
  }
  Response r;
  std::string etag = e.etag;
  if (gz) etag.insert(etag.size() - 1, "-" + std::string(coding));
  r.headers.Add("ETag", etag);
  r.headers.Add("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.Add("Vary", "Accept-Encoding");
  if (!if_none_match.empty() && NoneMatchHits(if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.headers.Add("Content-Type", std::string(ContentTypeFor(rel)));
  if (gz) r.headers.Add("Content-Encoding", std::string(coding));
  r.shared_body = gz ? gz->content : e.content;
  return r;
}

std::optional<Response> StaticFiles::Serve(std::string_view path, std::string_view if_none_match,
                                           std::string_view accept_encoding) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  // Rebuild the relative path from its segments, refusing anything that could
  // climb out of the root or confuse the file system.
  std::string rel;
  std::string_view last;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    std::string_view seg = path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    pos = slash == std::string_view::npos ? path.size() + 1 : slash + 1;
    if (seg.empty()) continue;
    if (seg == "." || seg == ".." || seg.find('\0') != std::string_view::npos ||
        seg.find('\\') != std::string_view::npos) {
      return std::nullopt;
    }
    if (!rel.empty()) rel += '/';
    rel += seg;
    last = seg;
  }
  bool under_assets = path.starts_with("/assets/");
  if (rel.empty()) rel = options_.index;
  if (auto e = Load(rel)) return Answer(*e, rel, under_assets, if_none_match, accept_encoding);

  std::string_view api = options_.api_prefix;
  bool is_api = !api.empty() && (path.starts_with(api) || (api.back() == '/' && path == api.substr(0, api.size() - 1)));
  if (is_api || under_assets || last.find('.') != std::string_view::npos) return std::nullopt;
  if (auto e = Load(options_.index)) return Answer(*e, options_.index, false, if_none_match, accept_encoding);
  return std::nullopt;
}

}  // namespace amtsweg::http
