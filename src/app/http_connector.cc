#include "app/http_connector.h"

#include <cctype>

#include <fmt/format.h>

#include "http/client.h"

namespace amtsweg::app {

using core::Json;

namespace {

constexpr std::chrono::milliseconds kDefaultTimeout{10'000};
constexpr std::chrono::milliseconds kDefaultBackoff{5'000};
constexpr uint64_t kMaxResponseBytes = 4 * 1024 * 1024;

// The input `name`: a variable, else a task header; nullopt when neither has it.
std::optional<Json> Input(const engine::ActivatedJob& job, std::string_view name) {
  if (job.variables.is_object()) {
    auto it = job.variables.find(name);
    if (it != job.variables.end() && !it->is_null()) return *it;
  }
  if (job.headers.is_object()) {
    auto it = job.headers.find(name);
    if (it != job.headers.end() && !it->is_null()) return *it;
  }
  return std::nullopt;
}

// Headers hold strings; JSON-valued inputs given as headers are parsed.
std::optional<Json> JsonInput(const engine::ActivatedJob& job, std::string_view name) {
  auto v = Input(job, name);
  if (v && v->is_string()) {
    auto parsed = core::ParseJson(v->get<std::string>());
    if (parsed.ok()) return std::move(*parsed);
  }
  return v;
}

core::Result<std::chrono::milliseconds> Millis(const engine::ActivatedJob& job, std::string_view name,
                                               std::chrono::milliseconds fallback) {
  auto v = JsonInput(job, name);
  if (!v) return fallback;
  if (!v->is_number_integer() || v->get<int64_t>() < 0 || v->get<int64_t>() > 3'600'000) {
    return core::InvalidArgument(fmt::format("{}: must be milliseconds between 0 and 3600000", name));
  }
  return std::chrono::milliseconds(v->get<int64_t>());
}

engine::JobResult Fail(std::string message, std::chrono::milliseconds backoff) {
  engine::JobResult r;
  r.kind = engine::JobResult::Kind::kFail;
  r.message = std::move(message);
  r.retry_backoff = backoff;
  return r;
}

bool IsJsonMedia(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  return media == "application/json" || media.ends_with("+json");
}

core::Result<http::FetchRequest> BuildRequest(const engine::ActivatedJob& job) {
  http::FetchRequest req;
  auto url = Input(job, "url");
  if (!url || !url->is_string() || url->get<std::string>().empty()) {
    return core::InvalidArgument("url: required (a string variable or task header)");
  }
  req.url = url->get<std::string>();
  if (auto m = Input(job, "method")) {
    if (!m->is_string()) return core::InvalidArgument("method: must be a string");
    req.method = m->get<std::string>();
    for (auto& c : req.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (auto h = JsonInput(job, "headers")) {
    if (!h->is_object()) return core::InvalidArgument("headers: must be an object of strings");
    for (const auto& [name, value] : h->items()) {
      if (!value.is_string()) return core::InvalidArgument(fmt::format("headers: '{}' must be a string", name));
      req.headers.Add(name, value.get<std::string>());
    }
  }
  if (auto body = Input(job, "body")) {
    auto ct = req.headers.Get("Content-Type");
    if (ct && !IsJsonMedia(*ct) && body->is_string()) {
      req.body = body->get<std::string>();
    } else {
      req.body = core::DumpJson(*body);
      if (!ct) req.headers.Add("Content-Type", "application/json");
    }
  }
  if (!req.headers.Has("Accept")) req.headers.Add("Accept", "application/json");
  return req;
}

}  // namespace

engine::JobResult RunHttpJsonJob(const engine::ActivatedJob& job, const HttpConnectorOptions& connector) {
  auto backoff = Millis(job, "retryBackoffMs", kDefaultBackoff);
  if (!backoff.ok()) return Fail(backoff.error().message(), kDefaultBackoff);
  auto timeout = Millis(job, "timeoutMs", kDefaultTimeout);
  if (!timeout.ok()) return Fail(timeout.error().message(), *backoff);
  auto req = BuildRequest(job);
  if (!req.ok()) return Fail(req.error().message(), *backoff);

  http::FetchOptions options;
  options.connect_timeout = *timeout;
  options.timeout = *timeout;
  options.max_response_bytes = kMaxResponseBytes;
  options.ca_file = connector.ca_file;
  options.policy = connector.policy != nullptr ? connector.policy : std::make_shared<http::OutboundPolicy>();
  auto res = http::Fetch(*req, options);
  if (!res.ok()) return Fail(fmt::format("{} {}: {}", req->method, req->url, res.error().message()), *backoff);
  if (res->status < 200 || res->status > 299) {
    std::string excerpt = res->body.substr(0, 200);
    return Fail(fmt::format("{} {} answered {}: {}", req->method, req->url, res->status, excerpt), *backoff);
  }

  engine::JobResult done;
  auto result_variable = Input(job, "resultVariable");
  if (result_variable && result_variable->is_string() && !result_variable->get<std::string>().empty()) {
    Json headers = Json::object();
    for (const auto& [name, value] : res->headers) {
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      headers[lower] = value;
    }
    Json body = res->body;
    if (IsJsonMedia(res->headers.Get("Content-Type").value_or("")) && !res->body.empty()) {
      auto parsed = core::ParseJson(res->body);
      if (!parsed.ok()) {
        return Fail(fmt::format("{} {}: response is not valid JSON: {}", req->method, req->url,
                                parsed.error().message()),
                    *backoff);
      }
      body = std::move(*parsed);
    }
    done.variables[result_variable->get<std::string>()] =
        Json{{"status", res->status}, {"headers", std::move(headers)}, {"body", std::move(body)}};
  }
  return done;
}

void RegisterHttpConnector(engine::Engine& engine, HttpConnectorOptions options) {
  engine.RegisterWorker(std::string(kHttpJsonJobType),
                        [options = std::move(options)](const engine::ActivatedJob& job) {
                          return RunHttpJsonJob(job, options);
                        });
}

}  // namespace amtsweg::app
