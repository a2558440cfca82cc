#include "http/router.h"

#include <atomic>

#include <algorithm>
#include <array>

#include "core/log.h"

namespace amtsweg::http {

// A trie over path segments. Each node has literal children, at most one
// parameter child (parameter names live in the Route, so "/a/{x}" and
// "/a/{y}/b" can share the node), and the routes ending here by method.
struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> param;
  std::vector<const Route*> routes;

  const Route* ForMethod(std::string_view method) const {
    for (const Route* r : routes) {
      if (r->method == method) return r;
    }
    return nullptr;
  }
};

namespace {

bool IsTokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// "/a/b" → {"a","b"}; "/" → {}; "/a/" → {"a",""}. `path` starts with '/'.
void SplitSegments(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.size() <= 1) return;
  size_t start = 1;
  while (true) {
    size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
}

// Methods in the order the Allow header lists them.
constexpr std::array<std::string_view, 9> kMethodOrder = {"GET",     "HEAD",    "POST",  "PUT",  "PATCH",
                                                          "DELETE",  "OPTIONS", "TRACE", "CONNECT"};
size_t MethodRank(std::string_view m) {
  for (size_t i = 0; i < kMethodOrder.size(); ++i) {
    if (kMethodOrder[i] == m) return i;
  }
  return kMethodOrder.size();
}

struct Search {
  std::string_view method;
  const std::vector<std::string_view>* segs;
  std::vector<std::string_view> values;  // parameter values along the current trie path
  const Route* found = nullptr;
  std::vector<const Route*> seen;        // routes of every path match, for Allow
};

template <typename NodeT>
bool Dfs(const NodeT& node, size_t i, Search& s) {
  if (i == s.segs->size()) {
    if (node.routes.empty()) return false;
    const Route* r = node.ForMethod(s.method);
    if (r == nullptr && s.method == "HEAD") r = node.ForMethod("GET");
    if (r != nullptr) {
      s.found = r;
      return true;
    }
    s.seen.insert(s.seen.end(), node.routes.begin(), node.routes.end());
    return false;
  }
  std::string_view seg = (*s.segs)[i];
  for (const auto& [lit, child] : node.literals) {
    if (lit == seg) {
      if (Dfs(*child, i + 1, s)) return true;
      break;
    }
  }
  if (node.param && !seg.empty()) {
    s.values.push_back(seg);
    if (Dfs(*node.param, i + 1, s)) return true;
    s.values.pop_back();
  }
  return false;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

struct Responder::State {
  Fn fn;
  std::atomic<bool> answered{false};
};

Responder::Responder(Fn fn) : state_(std::make_shared<State>()) { state_->fn = std::move(fn); }

void Responder::operator()(core::Result<Response> result) const {
  if (!state_ || state_->answered.exchange(true)) return;
  state_->fn(std::move(result));
}

bool Responder::answered() const { return state_ && state_->answered.load(); }

core::Status Router::Add(std::string_view method, std::string_view pattern, Handler handler, RouteDoc doc,
                         RouteOptions options) {
  if (!handler) return core::InvalidArgument("route " + std::string(pattern) + " has no handler");
  return AddRoute(method, pattern, std::move(handler), nullptr, std::move(doc), options);
}

core::Status Router::AddAsync(std::string_view method, std::string_view pattern, AsyncHandler handler,
                              RouteDoc doc, RouteOptions options) {
  if (!handler) return core::InvalidArgument("route " + std::string(pattern) + " has no handler");
  return AddRoute(method, pattern, nullptr, std::move(handler), std::move(doc), options);
}

core::Status Router::AddRoute(std::string_view method, std::string_view pattern, Handler handler,
                              AsyncHandler async_handler, RouteDoc doc, RouteOptions options) {
  if (method.empty() || !std::all_of(method.begin(), method.end(), IsTokenChar)) {
    return core::InvalidArgument("route method '" + std::string(method) + "' is not an HTTP token");
  }
  if (pattern.empty() || pattern[0] != '/') {
    return core::InvalidArgument("route pattern '" + std::string(pattern) + "' must start with '/'");
  }
  if (doc.summary.empty()) {
    return core::InvalidArgument("route " + std::string(method) + " " + std::string(pattern) +
                                 " has no summary (every route is documented in OpenAPI)");
  }

  std::vector<std::string_view> segs;
  SplitSegments(pattern, segs);
  auto route = std::make_unique<Route>();
  Node* node = root_.get();
  for (std::string_view seg : segs) {
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      std::string_view name = seg.substr(1, seg.size() - 2);
      if (!IsIdentifier(name)) {
        return core::InvalidArgument("route pattern '" + std::string(pattern) + "': bad parameter name '" +
                                     std::string(name) + "'");
      }
      if (std::find(route->param_names.begin(), route->param_names.end(), name) != route->param_names.end()) {
        return core::InvalidArgument("route pattern '" + std::string(pattern) + "' repeats parameter '" +
                                     std::string(name) + "'");
      }
      route->param_names.emplace_back(name);
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
      continue;
    }
    if (seg.empty() || seg.find_first_of("{}") != std::string_view::npos) {
      return core::InvalidArgument("route pattern '" + std::string(pattern) +
                                   "': empty segment or braces inside a literal segment");
    }
    // Literals are matched against decoded request segments, so they are stored decoded too.
    auto decoded = PercentDecode(seg);
    if (!decoded) return core::InvalidArgument("route pattern '" + std::string(pattern) + "': bad %-escape");
    auto it = std::find_if(node->literals.begin(), node->literals.end(),
                           [&](const auto& l) { return l.first == *decoded; });
    if (it == node->literals.end()) {
      node->literals.emplace_back(std::move(*decoded), std::make_unique<Node>());
      it = node->literals.end() - 1;
    }
    node = it->second.get();
  }
  if (node->ForMethod(method) != nullptr) {
    return core::AlreadyExists("route " + std::string(method) + " " + std::string(pattern) +
                               " is registered twice (parameter names do not make routes distinct)");
  }
  route->method = std::string(method);
  route->pattern = std::string(pattern);
  route->handler = std::move(handler);
  route->async_handler = std::move(async_handler);
  route->doc = std::move(doc);
  route->options = options;
  route->index = routes_.size();
  node->routes.push_back(route.get());
  routes_.push_back(std::move(route));
  return core::OkStatus();
}

namespace {
void MustAdd(core::Status s) {
  if (!s.ok()) core::LogError("route registration failed", {{"error", s.error().ToString()}});
  AW_ASSERT(s.ok(), "route registration failed (see the log line before)");
}
}  // namespace

void Router::GetAsync(std::string_view p, AsyncHandler h, RouteDoc d, RouteOptions o) {
  MustAdd(AddAsync("GET", p, std::move(h), std::move(d), o));
}
void Router::PostAsync(std::string_view p, AsyncHandler h, RouteDoc d, RouteOptions o) {
  MustAdd(AddAsync("POST", p, std::move(h), std::move(d), o));
}

void Router::Get(std::string_view p, Handler h, RouteDoc d, RouteOptions o) {
  MustAdd(Add("GET", p, std::move(h), std::move(d), o));
}
void Router::Post(std::string_view p, Handler h, RouteDoc d, RouteOptions o) {
  MustAdd(Add("POST", p, std::move(h), std::move(d), o));
}
void Router::Put(std::string_view p, Handler h, RouteDoc d, RouteOptions o) {
  MustAdd(Add("PUT", p, std::move(h), std::move(d), o));
}
void Router::Patch(std::string_view p, Handler h, RouteDoc d, RouteOptions o) {
  MustAdd(Add("PATCH", p, std::move(h), std::move(d), o));
}
void Router::Delete(std::string_view p, Handler h, RouteDoc d, RouteOptions o) {
  MustAdd(Add("DELETE", p, std::move(h), std::move(d), o));
}

RouteMatch Router::Find(std::string_view method, std::string_view raw_path,
                        std::vector<std::pair<std::string, std::string>>* params) const {
  RouteMatch match;
  if (raw_path.empty() || raw_path[0] != '/') return match;

  // Reused per thread: matching runs once per request and should not allocate.
  thread_local std::vector<std::string_view> segs;
  thread_local std::vector<std::string> decoded;
  SplitSegments(raw_path, segs);
  decoded.clear();
  decoded.reserve(segs.size());  // views into `decoded` must not move
  for (auto& seg : segs) {
    if (seg.find('%') == std::string_view::npos) continue;
    auto d = PercentDecode(seg);
    if (!d) return match;  // malformed escape: no route can match
    decoded.push_back(std::move(*d));
    seg = decoded.back();
  }

  Search s;
  s.method = method;
  s.segs = &segs;
  if (Dfs(*root_, 0, s)) {
    match.kind = RouteMatch::Kind::kFound;
    match.route = s.found;
    if (params != nullptr) {
      params->clear();
      for (size_t i = 0; i < s.values.size() && i < s.found->param_names.size(); ++i) {
        params->emplace_back(s.found->param_names[i], std::string(s.values[i]));
      }
    }
    return match;
  }
  if (s.seen.empty()) return match;

  std::vector<std::string_view> methods;
  for (const Route* r : s.seen) {
    methods.push_back(r->method);
    if (r->method == "GET") methods.push_back("HEAD");
  }
  std::sort(methods.begin(), methods.end(), [](std::string_view a, std::string_view b) {
    size_t ra = MethodRank(a), rb = MethodRank(b);
    return ra != rb ? ra < rb : a < b;
  });
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  match.kind = RouteMatch::Kind::kMethodNotAllowed;
  for (size_t i = 0; i < methods.size(); ++i) {
    if (i) match.allow += ", ";
    match.allow += methods[i];
  }
  return match;
}

}  // namespace amtsweg::http
