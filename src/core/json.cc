#include "core/json.h"

#include <algorithm>

namespace amtsweg::core {

Result<Json> ParseJson(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // e.byte is 1-based; translate to line and column, which people can find.
    size_t byte = e.byte == 0 ? 0 : std::min<size_t>(e.byte - 1, text.size());
    size_t line = 1 + std::count(text.begin(), text.begin() + byte, '\n');
    size_t last_nl = text.rfind('\n', byte == 0 ? 0 : byte - 1);
    size_t column = last_nl == std::string_view::npos || byte == 0 ? byte + 1 : byte - last_nl;
    std::string what = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] parse error at line 1, column 2: "
    auto colon = what.find(": ", what.find("parse error"));
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    return InvalidArgument("malformed JSON at line " + std::to_string(line) + ", column " +
                           std::to_string(column) + ": " + reason);
  }
}

std::string DumpJson(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace amtsweg::core
