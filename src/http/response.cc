#include "http/response.h"

namespace amtsweg::http {

Response Response::Json(const core::Json& value, int status) {
  return Bytes(core::DumpJson(value), "application/json", status);
}

Response Response::Text(std::string text, int status) {
  return Bytes(std::move(text), "text/plain; charset=utf-8", status);
}

Response Response::Bytes(std::string data, std::string content_type, int status) {
  Response r;
  r.status = status;
  r.headers.Add("Content-Type", std::move(content_type));
  r.body = std::move(data);
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

}  // namespace amtsweg::http
