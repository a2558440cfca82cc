#include "feel/lexer.h"

#include <cstdint>

#include "core/utf8.h"

namespace amtsweg::feel {
namespace {

bool IsNameStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '?' || c >= 0x80;
}
bool IsNamePart(unsigned char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

core::Result<std::vector<Token>> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  int line = 1;
  size_t line_start = 0;
  auto err = [&](size_t at, const std::string& what) {
    return core::InvalidArgument(std::to_string(line) + ":" +
                                 std::to_string(at - line_start + 1) + ": " + what);
  };
  while (true) {
    // Skip whitespace and comments.
    while (i < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == '\n') {
        ++line;
        line_start = ++i;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        ++i;
      } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
        i += 2;  // no-break space
      } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
        while (i < s.size() && s[i] != '\n') ++i;
      } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
        size_t start = i;
        i += 2;
        while (i + 1 < s.size() && !(s[i] == '*' && s[i + 1] == '/')) {
          if (s[i] == '\n') {
            ++line;
            line_start = i + 1;
          }
          ++i;
        }
        if (i + 1 >= s.size()) return err(start, "unterminated comment");
        i += 2;
      } else {
        break;
      }
    }
    Token t;
    t.begin = i;
    t.line = line;
    t.column = static_cast<int>(i - line_start + 1);
    if (i >= s.size()) {
      t.kind = TokenKind::kEnd;
      t.end = i;
      out.push_back(std::move(t));
      return out;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (IsDigit(static_cast<char>(c)) || (c == '.' && i + 1 < s.size() && IsDigit(s[i + 1]))) {
      size_t start = i;
      while (i < s.size() && IsDigit(s[i])) ++i;
      if (i + 1 < s.size() && s[i] == '.' && IsDigit(s[i + 1])) {
        ++i;
        while (i < s.size() && IsDigit(s[i])) ++i;
      }
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < s.size() && IsDigit(s[j])) {
          i = j;
          while (i < s.size() && IsDigit(s[i])) ++i;
        }
      }
      t.kind = TokenKind::kNumber;
      t.text = std::string(s.substr(start, i - start));
    } else if (c == '"') {
      size_t start = i++;
      std::string text;
      bool closed = false;
      while (i < s.size()) {
        char ch = s[i];
        if (ch == '"') {
          closed = true;
          ++i;
          break;
        }
        if (ch == '\n') {
          ++line;
          line_start = i + 1;
        }
        if (ch == '\\' && i + 1 < s.size()) {
          char e = s[i + 1];
          i += 2;
          switch (e) {
            case 'n': text += '\n'; break;
            case 't': text += '\t'; break;
            case 'r': text += '\r'; break;
            case 'b': text += '\b'; break;
            case 'f': text += '\f'; break;
            case '"': text += '"'; break;
            case '\'': text += '\''; break;
            case '\\': text += '\\'; break;
            case 'u':
            case 'U': {
              size_t n = e == 'u' ? 4 : 6;
              uint32_t cp = 0;
              size_t k = 0;
              for (; k < n && i < s.size() && HexValue(s[i]) >= 0; ++k, ++i) cp = cp * 16 + HexValue(s[i]);
              if (k == 0) return err(i, "bad \\u escape");
              // Surrogate pair written as two \u escapes.
              if (cp >= 0xD800 && cp < 0xDC00 && i + 5 < s.size() && s[i] == '\\' && s[i + 1] == 'u') {
                uint32_t lo = 0;
                bool ok = true;
                for (size_t m = 0; m < 4; ++m) {
                  int h = HexValue(s[i + 2 + m]);
                  if (h < 0) ok = false;
                  else lo = lo * 16 + h;
                }
                if (ok && lo >= 0xDC00 && lo < 0xE000) {
                  cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                  i += 6;
                }
              }
              core::AppendUtf8(text, cp);
              break;
            }
            default: text += '\\'; text += e;
          }
          continue;
        }
        text += ch;
        ++i;
      }
      if (!closed) return err(start, "unterminated string literal");
      t.kind = TokenKind::kString;
      t.text = std::move(text);
    } else if (IsNameStart(c)) {
      size_t start = i;
      while (i < s.size() && IsNamePart(static_cast<unsigned char>(s[i]))) {
        // A no-break space (C2 A0) separates names like other whitespace.
        if (static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
            static_cast<unsigned char>(s[i + 1]) == 0xA0)
          break;
        ++i;
      }
      t.kind = TokenKind::kName;
      t.text = std::string(s.substr(start, i - start));
    } else {
      static const char* kTwo[] = {"**", "..", "<=", ">=", "!=", "->"};
      t.kind = TokenKind::kPunct;
      bool two = false;
      for (const char* p : kTwo) {
        if (i + 1 < s.size() && s[i] == p[0] && s[i + 1] == p[1]) {
          t.text = p;
          i += 2;
          two = true;
          break;
        }
      }
      if (!two) {
        static const std::string_view kOne = "+-*/=<>()[]{},.:@'`!#$%&;^|~\\";
        if (kOne.find(static_cast<char>(c)) == std::string_view::npos) {
          return err(i, std::string("unexpected character '") + static_cast<char>(c) + "'");
        }
        t.text = std::string(1, static_cast<char>(c));
        ++i;
      }
    }
    t.end = i;
    out.push_back(std::move(t));
  }
}

}  // namespace amtsweg::feel
