#include "api/multipart.h"

#include <cctype>

namespace amtsweg::api {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string HeaderParam(std::string_view value, std::string_view name) {
  size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;  // past ';'
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) return "";
    std::string_view key = Trim(value.substr(i, eq - i));
    size_t j = eq + 1;
    std::string out;
    if (j < value.size() && value[j] == '"') {
      ++j;
      while (j < value.size() && value[j] != '"') {
        if (value[j] == '\\' && j + 1 < value.size()) ++j;
        out += value[j++];
      }
      ++j;  // closing quote
      i = value.find(';', j);
    } else {
      size_t end = value.find(';', j);
      out = std::string(Trim(value.substr(j, end == std::string_view::npos ? std::string_view::npos : end - j)));
      i = end;
    }
    if (IEquals(key, name)) return out;
  }
  return "";
}

core::Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body) {
  std::string_view media = Trim(content_type.substr(0, content_type.find(';')));
  if (!IEquals(media, "multipart/form-data")) {
    return core::InvalidArgument("Content-Type: expected multipart/form-data, got '" + std::string(media) + "'");
  }
  std::string boundary = HeaderParam(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) {
    return core::InvalidArgument("Content-Type: multipart/form-data needs a boundary of 1 to 70 characters");
  }
  const std::string delimiter = "--" + boundary;
  // The first delimiter may be preceded by a preamble; later ones follow a CRLF.
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return core::InvalidArgument("multipart body: no part delimiter found");
  std::vector<FormPart> parts;
  const std::string next_delimiter = "\r\n" + delimiter;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the close delimiter
    size_t line_end = body.find("\r\n", pos);
    if (line_end == std::string_view::npos) return core::InvalidArgument("multipart body: truncated after a delimiter");
    pos = line_end + 2;
    size_t head_end = body.find("\r\n\r\n", pos);
    FormPart part;
    std::string disposition;
    if (body.substr(pos, 2) == "\r\n") {
      head_end = pos - 2;  // no header lines at all
    } else if (head_end == std::string_view::npos) {
      return core::InvalidArgument("multipart body: part " + std::to_string(parts.size() + 1) + " has no end of headers");
    }
    for (size_t line = pos; line < head_end + 2;) {
      size_t eol = body.find("\r\n", line);
      std::string_view h = body.substr(line, eol - line);
      line = eol + 2;
      size_t colon = h.find(':');
      if (colon == std::string_view::npos) continue;
      std::string_view key = Trim(h.substr(0, colon));
      std::string_view value = Trim(h.substr(colon + 1));
      if (IEquals(key, "Content-Disposition")) disposition = std::string(value);
      if (IEquals(key, "Content-Type")) part.content_type = std::string(value);
    }
    if (disposition.empty()) {
      return core::InvalidArgument("multipart body: part " + std::to_string(parts.size() + 1) +
                                   " has no Content-Disposition header");
    }
    part.name = HeaderParam(disposition, "name");
    part.filename = HeaderParam(disposition, "filename");
    size_t content_begin = head_end + 4;
    size_t content_end = body.find(next_delimiter, content_begin);
    if (content_end == std::string_view::npos) {
      return core::InvalidArgument("multipart body: the closing delimiter --" + boundary + "-- is missing");
    }
    part.content = std::string(body.substr(content_begin, content_end - content_begin));
    parts.push_back(std::move(part));
    pos = content_end + 2;  // at the delimiter
  }
}

}  // namespace amtsweg::api
