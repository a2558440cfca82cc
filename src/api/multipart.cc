#include "api/multipart.h"

#include <fmt/format.h>

#include "http/request.h"

namespace amtsweg::api {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of parameter `key` in "form-data; name=\"x\"; filename=\"y\"".
// Quoted values may contain ';' and backslash escapes.
std::optional<std::string> Param(std::string_view header, std::string_view key) {
  size_t i = header.find(';');
  while (i != std::string_view::npos && i < header.size()) {
    ++i;  // after ';'
    size_t eq = header.find('=', i);
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view k = Trim(header.substr(i, eq - i));
    size_t j = eq + 1;
    while (j < header.size() && header[j] == ' ') ++j;
    std::string value;
    if (j < header.size() && header[j] == '"') {
      ++j;
      for (; j < header.size() && header[j] != '"'; ++j) {
        if (header[j] == '\\' && j + 1 < header.size()) ++j;
        value += header[j];
      }
      if (j >= header.size()) return std::nullopt;  // unterminated quote
      ++j;
    } else {
      size_t stop = header.find(';', j);
      if (stop == std::string_view::npos) stop = header.size();
      value = std::string(Trim(header.substr(j, stop - j)));
      j = stop;
    }
    if (http::EqualsIgnoreCase(k, key)) return value;
    i = header.find(';', j);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  std::string_view type = Trim(content_type.substr(0, content_type.find(';')));
  if (!http::EqualsIgnoreCase(type, "multipart/form-data")) return std::nullopt;
  auto b = Param(content_type, "boundary");
  if (!b || b->empty() || b->size() > 70) return std::nullopt;
  return b;
}

core::Result<std::vector<MultipartPart>> ParseMultipart(std::string_view body, std::string_view boundary,
                                                        size_t max_parts) {
  std::string delim = "--" + std::string(boundary);
  auto bad = [](std::string what) { return core::InvalidArgument("malformed multipart body: " + what); };
  if (!body.starts_with(delim)) return bad("it does not start with the boundary");
  std::vector<MultipartPart> parts;
  size_t pos = delim.size();
  std::string next_delim = "\r\n" + delim;
  for (;;) {
    if (body.substr(pos).starts_with("--")) break;  // closing delimiter
    if (!body.substr(pos).starts_with("\r\n")) return bad("no line break after a boundary");
    pos += 2;
    size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) return bad("a part has no end of headers");
    // A delimiter is CRLF--boundary followed by CRLF or "--"; the same bytes
    // followed by anything else belong to the content.
    size_t end = body.find(next_delim, head_end + 4);
    while (end != std::string_view::npos) {
      std::string_view after = body.substr(end + next_delim.size());
      if (after.starts_with("\r\n") || after.starts_with("--")) break;
      end = body.find(next_delim, end + 1);
    }
    if (end == std::string_view::npos) return bad("the closing boundary is missing");
    if (parts.size() >= max_parts) return bad(fmt::format("more than {} parts", max_parts));
    MultipartPart part;
    std::string_view head = body.substr(pos, head_end - pos);
    bool disposition = false;
    while (!head.empty()) {
      size_t eol = head.find("\r\n");
      std::string_view line = head.substr(0, eol);
      head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) return bad("a part header has no ':'");
      std::string_view name = Trim(line.substr(0, colon));
      std::string_view value = Trim(line.substr(colon + 1));
      if (http::EqualsIgnoreCase(name, "Content-Disposition")) {
        if (!http::EqualsIgnoreCase(Trim(value.substr(0, value.find(';'))), "form-data")) {
          return bad("a part is not form-data");
        }
        auto n = Param(value, "name");
        if (!n || n->empty()) return bad("a part has no name");
        part.name = *n;
        part.filename = Param(value, "filename");
        disposition = true;
      } else if (http::EqualsIgnoreCase(name, "Content-Type")) {
        part.content_type = std::string(value);
      }
    }
    if (!disposition) return bad("a part has no Content-Disposition");
    part.body = std::string(body.substr(head_end + 4, end - head_end - 4));
    parts.push_back(std::move(part));
    pos = end + next_delim.size();
  }
  return parts;
}

}  // namespace amtsweg::api
