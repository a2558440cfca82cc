#include "forms/utf8.h"

#include <utility>
#include <vector>

#include "forms/schema.h"

namespace amtsweg::forms {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (char ch : s) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string_view TrimAscii(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<std::string> FindInvalidUtf8(const core::Json& root) {
  std::vector<std::pair<const core::Json*, std::string>> stack{{&root, ""}};
  while (!stack.empty()) {
    auto [j, ptr] = std::move(stack.back());
    stack.pop_back();
    if (j->is_string()) {
      if (!IsValidUtf8(j->get_ref<const std::string&>())) return ptr;
    } else if (j->is_object()) {
      for (auto it = j->begin(); it != j->end(); ++it) {
        if (!IsValidUtf8(it.key())) return ptr;
        stack.emplace_back(&it.value(), ptr + "/" + EscapePointerToken(it.key()));
      }
    } else if (j->is_array()) {
      for (size_t i = 0; i < j->size(); ++i) {
        stack.emplace_back(&(*j)[i], ptr + "/" + std::to_string(i));
      }
    }
  }
  return std::nullopt;
}

size_t JsonDepth(const core::Json& root) {
  size_t max = 0;
  std::vector<std::pair<const core::Json*, size_t>> stack{{&root, 0}};
  while (!stack.empty()) {
    auto [j, d] = stack.back();
    stack.pop_back();
    if (j->is_structured()) {
      max = std::max(max, d + 1);
      for (const auto& child : *j) stack.emplace_back(&child, d + 1);
    }
  }
  return max;
}

}  // namespace amtsweg::forms
