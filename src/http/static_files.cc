#include "http/static_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <vector>

#include "core/json.h"
#include "core/log.h"

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

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    std::string_view seg = path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    pos = slash == std::string_view::npos ? path.size() + 1 : slash + 1;
    if (!seg.empty()) out.push_back(seg);
  }
  return out;
}

// encodeURIComponent: everything but A-Z a-z 0-9 - _ . ! ~ * ' ( ) as %XX of its UTF-8 bytes.
std::string EncodeUriComponent(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        std::string_view("-_.!~*'()").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// For an attribute value in double quotes.
std::string EscapeAttribute(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

core::Result<RouteHints> ParseRouteHints(std::string_view json) {
  auto parsed = core::ParseJson(json);
  if (!parsed.ok()) return core::InvalidArgument("route hints: " + parsed.error().message());
  const core::Json& doc = *parsed;
  if (!doc.is_object() || !doc.contains("routes") || !doc["routes"].is_array()) {
    return core::InvalidArgument("route hints: 'routes' must be an array");
  }
  RouteHints out;
  for (size_t i = 0; i < doc["routes"].size(); ++i) {
    const core::Json& r = doc["routes"][i];
    std::string at = "routes[" + std::to_string(i) + "]";
    if (!r.is_object() || !r.contains("pattern") || !r["pattern"].is_string() ||
        !r["pattern"].get_ref<const std::string&>().starts_with("/")) {
      return core::InvalidArgument("route hints: " + at + ".pattern must be a path starting with '/'");
    }
    if (!r.contains("hints") || !r["hints"].is_array()) {
      return core::InvalidArgument("route hints: " + at + ".hints must be an array");
    }
    RouteHints::Route route;
    for (std::string_view seg : Segments(r["pattern"].get_ref<const std::string&>())) route.pattern.emplace_back(seg);
    for (size_t j = 0; j < r["hints"].size(); ++j) {
      const core::Json& h = r["hints"][j];
      std::string hat = at + ".hints[" + std::to_string(j) + "]";
      if (!h.is_object() || !h.contains("href") || !h["href"].is_string() ||
          !h["href"].get_ref<const std::string&>().starts_with("/")) {
        return core::InvalidArgument("route hints: " + hat + ".href must be a same-origin path starting with '/'");
      }
      std::string as = h.contains("as") && h["as"].is_string() ? h["as"].get<std::string>() : "";
      if (as != "fetch" && as != "modulepreload" && as != "style") {
        return core::InvalidArgument("route hints: " + hat + ".as must be fetch, modulepreload or style");
      }
      route.hints.push_back({h["href"].get<std::string>(), std::move(as)});
    }
    out.routes.push_back(std::move(route));
  }
  return out;
}

std::string RouteHintLinks(const RouteHints& hints, std::string_view path) {
  std::vector<std::string_view> segs = Segments(path);
  for (const auto& route : hints.routes) {
    if (route.pattern.size() != segs.size()) continue;
    std::unordered_map<std::string_view, std::string> captured;
    bool match = true;
    for (size_t i = 0; i < segs.size() && match; ++i) {
      const std::string& p = route.pattern[i];
      if (p.size() > 1 && p[0] == ':') captured[std::string_view(p).substr(1)] = EncodeUriComponent(segs[i]);
      else match = p == segs[i];
    }
    if (!match) continue;
    std::string out;
    for (const auto& h : route.hints) {
      // Substitute ":name" where a name of the pattern starts (after '/', '=' or '&').
      std::string href;
      for (size_t i = 0; i < h.href.size();) {
        bool at_start = i > 0 && (h.href[i - 1] == '/' || h.href[i - 1] == '=' || h.href[i - 1] == '&');
        if (h.href[i] == ':' && at_start) {
          size_t end = h.href.find_first_of("/?&=#", i + 1);
          if (end == std::string::npos) end = h.href.size();
          auto it = captured.find(std::string_view(h.href).substr(i + 1, end - i - 1));
          if (it != captured.end()) {
            href += it->second;
            i = end;
            continue;
          }
        }
        href += h.href[i++];
      }
      if (h.as == "modulepreload") out += "<link rel=\"modulepreload\" href=\"";
      else if (h.as == "style") out += "<link rel=\"preload\" as=\"style\" crossorigin href=\"";
      else out += "<link rel=\"preload\" as=\"fetch\" crossorigin href=\"";
      out += EscapeAttribute(href);
      out += "\">";
    }
    return out;
  }
  return {};
}

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
  auto e = Load(options_.index);
  if (!e) return std::nullopt;
  std::optional<Response> r = HintedIndex(*e, path, if_none_match);
  if (!r) r = Answer(*e, options_.index, false, if_none_match, accept_encoding);
  for (const auto& [prefix, csp] : options_.csp_by_prefix) {
    if (path.starts_with(prefix)) {
      r->headers.Add("Content-Security-Policy", csp);
      break;
    }
  }
  return r;
}

std::optional<Response> StaticFiles::HintedIndex(const Entry& index, std::string_view path,
                                                 std::string_view if_none_match) const {
  if (options_.route_hints.empty()) return std::nullopt;
  auto file = Load(options_.route_hints);
  if (!file) return std::nullopt;
  std::shared_ptr<const RouteHints> hints;
  {
    std::lock_guard lock(mu_);
    if (hints_ && hints_etag_ == file->etag) hints = hints_;
  }
  if (!hints) {
    auto parsed = ParseRouteHints(*file->content);
    if (!parsed.ok()) {
      core::LogWarn("static files: route hints ignored", {{"file", options_.route_hints},
                                                         {"error", parsed.error().message()}});
    }
    hints = std::make_shared<const RouteHints>(parsed.ok() ? std::move(*parsed) : RouteHints{});
    std::lock_guard lock(mu_);
    hints_etag_ = file->etag;  // a broken file is reported once, until it changes
    hints_ = hints;
  }
  std::string links = RouteHintLinks(*hints, path);
  if (links.empty()) return std::nullopt;
  const std::string& html = *index.content;
  size_t head_end = html.find("</head>");
  if (head_end == std::string::npos) return std::nullopt;
  Response r;
  std::string etag = index.etag;
  etag.insert(etag.size() - 1, "-h" + Hex(Fnv1a(links) ^ Fnv1a(file->etag)));
  r.headers.Add("ETag", etag);
  r.headers.Add("Cache-Control", "no-cache");
  r.headers.Add("Vary", "Accept-Encoding");
  if (!if_none_match.empty() && NoneMatchHits(if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.headers.Add("Content-Type", std::string(ContentTypeFor(options_.index)));
  std::string body;
  body.reserve(html.size() + links.size());
  body.append(html, 0, head_end).append(links).append(html, head_end, std::string::npos);
  r.body = std::move(body);
  return r;
}

}  // namespace amtsweg::http
