// String built-ins: substring, string length, upper/lower case, substring
// before/after, replace, contains, starts/ends with, matches, split, string join.
#include <locale>
#include <memory>
#include <mutex>
#include <regex>
#include <unordered_map>

#include "feel/builtins_internal.h"

namespace amtsweg::feel::builtins {
namespace {

// Case mapping for Latin-1, Latin Extended-A (Polish, Czech, Hungarian,
// Turkish, Croatian names), Greek and Cyrillic basics. 'ß' has no single-letter
// upper case and stays.
bool PairEvenUpper(char32_t c) {
  return (c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
}
bool PairOddUpper(char32_t c) { return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E); }

char32_t Upper(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
  if (c == 0xFF) return 0x178;
  if (PairEvenUpper(c)) return c & ~char32_t{1};
  if (PairOddUpper(c)) return (c % 2 == 0) ? c - 1 : c;
  if (c == 0x131) return 'I';
  // Digraph letters: DŽ Dž dž, LJ Lj lj, NJ Nj nj.
  if (c >= 0x1C4 && c <= 0x1CC) return c - (c - 0x1C4) % 3;
  if (c == 0x17F) return 'S';
  if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 32;  // Greek
  if (c >= 0x430 && c <= 0x44F) return c - 32;                // Cyrillic
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  return c;
}

char32_t Lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c == 0x178) return 0xFF;
  if (PairEvenUpper(c)) return c | 1;
  if (PairOddUpper(c)) return (c % 2 == 1) ? c + 1 : c;
  if (c >= 0x1C4 && c <= 0x1CC) return c - (c - 0x1C4) % 3 + 2;
  if (c >= 0x391 && c <= 0x3A9) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

bool Strings(Args a, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!a[i].is_string()) return false;
  }
  return true;
}

// Translates an XPath/XML Schema regular expression (as FEEL's matches,
// replace and split use) to ECMAScript for std::regex: the 'x' flag strips
// whitespace outside character classes, 's' lets '.' match newlines,
// \p{IsBasicLatin} and a few ASCII-approximated categories are expanded, and
// character class subtraction [a-z-[aeiou]] becomes a lookahead. nullopt for
// constructs XPath forbids (\0, back-references inside classes).
std::optional<std::string> TranslateRegex(const std::string& p, bool strip_ws, bool dot_all) {
  std::string out;
  int class_depth = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (strip_ws && class_depth == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) continue;
    if (c == '\\' && i + 1 < p.size()) {
      if (strip_ws) {
        // "\ s" with the x flag is "\s": whitespace goes before escapes are read.
        size_t k = i + 1;
        while (k < p.size() && (p[k] == ' ' || p[k] == '\t' || p[k] == '\n' || p[k] == '\r')) ++k;
        if (k > i + 1 && k < p.size()) {
          std::string rest = "\\" + p.substr(k);
          auto t = TranslateRegex(rest, strip_ws, dot_all);
          if (!t) return std::nullopt;
          if (class_depth > 0) return std::nullopt;
          return out + *t;
        }
      }
      char e = p[i + 1];
      if (e == '0') return std::nullopt;
      if (class_depth > 0 && e >= '1' && e <= '9') return std::nullopt;
      if (e == 'p' || e == 'P') {
        size_t close = p.find('}', i);
        if (i + 2 >= p.size() || p[i + 2] != '{' || close == std::string::npos) return std::nullopt;
        std::string name;
        for (size_t k = i + 3; k < close; ++k) {
          if (!(strip_ws && (p[k] == ' ' || p[k] == '\t' || p[k] == '\n' || p[k] == '\r'))) name += p[k];
        }
        std::string set;
        if (name == "IsBasicLatin") set = "\\x00-\\x7F";
        else if (name == "Lu") set = "A-Z";
        else if (name == "Ll") set = "a-z";
        else if (name == "L") set = "A-Za-z";
        else if (name == "N" || name == "Nd") set = "0-9";
        else if (name == "P") set = "!-/:-@\\[-`{-~";
        else return std::nullopt;
        bool neg = e == 'P';
        if (class_depth > 0) {
          if (neg) return std::nullopt;
          out += set;
        } else {
          out += std::string(neg ? "[^" : "[") + set + "]";
        }
        i = close;
        continue;
      }
      out += c;
      out += e;
      ++i;
      continue;
    }
    if (c == '[') {
      if (class_depth == 0) {
        // Find this class's end, watching for a subtraction "-[...]".
        size_t j = i + 1;
        if (j < p.size() && p[j] == '^') ++j;
        if (j < p.size() && p[j] == ']') ++j;  // literal ']' first
        size_t sub_start = std::string::npos;
        for (; j < p.size(); ++j) {
          if (p[j] == '\\') {
            ++j;
            continue;
          }
          if (p[j] == '-' && j + 1 < p.size() && p[j + 1] == '[') {
            sub_start = j;
            break;
          }
          if (p[j] == ']') break;
        }
        if (sub_start != std::string::npos) {
          size_t inner_end = p.find(']', sub_start + 2);
          if (inner_end == std::string::npos || inner_end + 1 >= p.size() || p[inner_end + 1] != ']')
            return std::nullopt;
          std::string outer = p.substr(i, sub_start - i) + "]";
          std::string inner = p.substr(sub_start + 1, inner_end - sub_start);
          auto o = TranslateRegex(outer, false, dot_all);
          auto n = TranslateRegex(inner, false, dot_all);
          if (!o || !n) return std::nullopt;
          out += "(?:(?!" + *n + ")" + *o + ")";
          i = inner_end + 1;
          continue;
        }
      }
      ++class_depth;
      out += c;
      continue;
    }
    if (c == ']' && class_depth > 0) {
      --class_depth;
      out += c;
      continue;
    }
    if (c == '.' && class_depth == 0 && dot_all) {
      out += "[\\s\\S]";
      continue;
    }
    out += c;
  }
  return out;
}

// Regexes run on UTF-32 (wchar_t is 32 bits here) so that '.', classes and
// quantifiers work on code points, not UTF-8 bytes ("^.$" matches "ü").
std::wstring W(const std::string& s) {
  std::u32string u = ToU32(s);
  return std::wstring(u.begin(), u.end());
}
std::string N(const std::wstring& w) { return FromU32(std::u32string(w.begin(), w.end())); }

// std::regex matches recursively; very long inputs could exhaust the stack.
constexpr size_t kMaxRegexInput = 20000;

// Builds a std::wregex from an XPath-style pattern and flags; nullopt if invalid.
std::optional<std::wregex> BuildRegex(const std::string& pattern, const std::string& flags) {
  auto opts = std::wregex::ECMAScript;
  bool strip_ws = false, dot_all = false;
  for (char f : flags) {
    if (f == 'i') opts |= std::wregex::icase;
    else if (f == 'x') strip_ws = true;
    else if (f == 's') dot_all = true;
    else if (f == 'm') opts |= std::wregex::multiline;
    else if (f == 'q') continue;
    else return std::nullopt;
  }
  auto p = TranslateRegex(pattern, strip_ws, dot_all);
  if (!p) return std::nullopt;
  // A UTF-8 locale gives Unicode case folding to the 'i' flag ("Ä" ~ "ä");
  // without one (minimal systems) only ASCII folds.
  static const std::optional<std::locale> kUtf8 = []() -> std::optional<std::locale> {
    try {
      return std::locale("C.UTF-8");
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }();
  try {
    std::wregex re;
    if (kUtf8) re.imbue(*kUtf8);
    re.assign(W(*p), opts);
    return re;
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

// Compiled regexes by (flags, pattern): decision tables evaluate the same
// `matches(?, "^[0-9]{5}$")` many times. Shared immutable regexes are safe to
// use from several threads; the map is guarded and simply cleared when full.
std::shared_ptr<const std::wregex> MakeRegex(const std::string& pattern, const std::string& flags) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const std::wregex>> cache;
  std::string key = flags + '\0' + pattern;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
  }
  auto re = BuildRegex(pattern, flags);
  if (!re) return nullptr;
  auto shared = std::make_shared<const std::wregex>(std::move(*re));
  std::lock_guard<std::mutex> lock(mu);
  if (cache.size() >= 256) cache.clear();
  cache.emplace(std::move(key), shared);
  return shared;
}

Value Substring(EvalState& st, Args a) {
  if (!a[0].is_string()) return Fail(st, "substring", "string expected");
  std::u32string s = ToU32(a[0].as_string());
  if (!a[1].is_number()) return Fail(st, "substring", "start position must be a number");
  auto sp = IntArg(a[1]);
  if (!sp || *sp == 0) return Fail(st, "substring", "bad start position");
  int64_t len = static_cast<int64_t>(s.size());
  int64_t from = *sp > 0 ? *sp - 1 : len + *sp;
  if (from < 0 || from >= len + (len == 0 ? 1 : 0)) {
    if (from < 0 || from > len) return Fail(st, "substring", "start position out of range");
  }
  int64_t count = len - from;
  if (a.size() > 2 && !a[2].is_null()) {
    if (!a[2].is_number()) return Fail(st, "substring", "length must be a number");
    auto li = IntArg(a[2]);
    if (!li || *li < 0) return Fail(st, "substring", "bad length");
    count = std::min(count, *li);
  }
  if (count < 0) count = 0;
  return Value::String(FromU32(s.substr(static_cast<size_t>(from), static_cast<size_t>(count))));
}

Value Replace(EvalState& st, Args a) {
  if (!Strings(a, 3)) return Fail(st, "replace", "string arguments expected");
  if (a.size() > 3 && !a[3].is_null() && !a[3].is_string()) return Fail(st, "replace", "flags must be a string");
  std::string flags = a.size() > 3 && a[3].is_string() ? a[3].as_string() : "";
  if (flags.find('q') != std::string::npos) {
    std::string out, in = a[0].as_string(), pat = a[1].as_string(), rep = a[2].as_string();
    if (pat.empty()) return Fail(st, "replace", "empty pattern");
    size_t pos = 0, hit;
    while ((hit = in.find(pat, pos)) != std::string::npos) {
      out += in.substr(pos, hit - pos) + rep;
      pos = hit + pat.size();
    }
    return Value::String(out + in.substr(pos));
  }
  if (a[0].as_string().size() > kMaxRegexInput) return Fail(st, "replace", "input too long for a regex");
  auto re = MakeRegex(a[1].as_string(), flags);
  if (!re) return Fail(st, "replace", "invalid pattern");
  try {
    return Value::String(N(std::regex_replace(W(a[0].as_string()), *re, W(a[2].as_string()))));
  } catch (const std::regex_error&) {
    return Fail(st, "replace", "regex failure");
  }
}

Value Matches(EvalState& st, Args a) {
  if (!Strings(a, 2)) return Fail(st, "matches", "string arguments expected");
  if (a.size() > 2 && !a[2].is_null() && !a[2].is_string()) return Fail(st, "matches", "flags must be a string");
  std::string flags = a.size() > 2 && a[2].is_string() ? a[2].as_string() : "";
  if (a[0].as_string().size() > kMaxRegexInput) return Fail(st, "matches", "input too long for a regex");
  auto re = MakeRegex(a[1].as_string(), flags);
  if (!re) return Fail(st, "matches", "invalid pattern");
  try {
    return Value::Bool(std::regex_search(W(a[0].as_string()), *re));
  } catch (const std::regex_error&) {
    return Fail(st, "matches", "regex failure");
  }
}

Value Split(EvalState& st, Args a) {
  if (!Strings(a, 2)) return Fail(st, "split", "string arguments expected");
  if (a[0].as_string().size() > kMaxRegexInput) return Fail(st, "split", "input too long for a regex");
  auto re = MakeRegex(a[1].as_string(), "");
  if (!re) return Fail(st, "split", "invalid delimiter");
  const std::wstring s = W(a[0].as_string());
  List out;
  if (s.empty()) return Value::OfList({Value::String("")});  // as Java and feelin
  try {
    // Pieces between matches, including empty ones and a trailing empty piece.
    size_t start = 0;
    for (std::wsregex_iterator it(s.begin(), s.end(), *re), end; it != end; ++it) {
      if (it->length() == 0) continue;
      size_t pos = static_cast<size_t>(it->position());
      out.push_back(Value::String(N(s.substr(start, pos - start))));
      start = pos + static_cast<size_t>(it->length());
    }
    out.push_back(Value::String(N(s.substr(start))));
  } catch (const std::regex_error&) {
    return Fail(st, "split", "regex failure");
  }
  return Value::OfList(std::move(out));
}

}  // namespace

void RegisterString(Registry& r) {
  r.Add("substring", {Sig({"string", "start position", "length"}, 1)}, Scalars(Substring));
  r.Add("string length", {Sig({"string"})}, Scalars([](EvalState& st, Args a) {
    if (!a[0].is_string()) return Fail(st, "string length", "string expected");
    return Value::Number(static_cast<int64_t>(ToU32(a[0].as_string()).size()));
  }));
  r.Add("upper case", {Sig({"string"})}, Scalars([](EvalState& st, Args a) {
    if (!a[0].is_string()) return Fail(st, "upper case", "string expected");
    // Full case mapping where one letter becomes two (as XPath upper-case and
    // Java): "ß" -> "SS".
    std::u32string out;
    for (char32_t c : ToU32(a[0].as_string())) {
      if (c == 0xDF) {
        out += U"SS";
      } else {
        out += Upper(c);
      }
    }
    return Value::String(FromU32(out));
  }));
  r.Add("lower case", {Sig({"string"})}, Scalars([](EvalState& st, Args a) {
    if (!a[0].is_string()) return Fail(st, "lower case", "string expected");
    std::u32string out;
    for (char32_t c : ToU32(a[0].as_string())) {
      if (c == 0x130) {
        out += U"i\u0307";  // İ -> i + combining dot above (full mapping)
      } else {
        out += Lower(c);
      }
    }
    return Value::String(FromU32(out));
  }));
  r.Add("substring before", {Sig({"string", "match"})}, Scalars([](EvalState& st, Args a) {
    if (!Strings(a, 2)) return Fail(st, "substring before", "string arguments expected");
    size_t p = a[0].as_string().find(a[1].as_string());
    return Value::String(p == std::string::npos ? "" : a[0].as_string().substr(0, p));
  }));
  r.Add("substring after", {Sig({"string", "match"})}, Scalars([](EvalState& st, Args a) {
    if (!Strings(a, 2)) return Fail(st, "substring after", "string arguments expected");
    size_t p = a[0].as_string().find(a[1].as_string());
    return Value::String(p == std::string::npos ? ""
                                                : a[0].as_string().substr(p + a[1].as_string().size()));
  }));
  r.Add("replace", {Sig({"input", "pattern", "replacement", "flags"}, 1)}, Scalars(Replace));
  r.Add("contains", {Sig({"string", "match"})}, Scalars([](EvalState& st, Args a) {
    if (!Strings(a, 2)) return Fail(st, "contains", "string arguments expected");
    return Value::Bool(a[0].as_string().find(a[1].as_string()) != std::string::npos);
  }));
  r.Add("starts with", {Sig({"string", "match"})}, Scalars([](EvalState& st, Args a) {
    if (!Strings(a, 2)) return Fail(st, "starts with", "string arguments expected");
    return Value::Bool(a[0].as_string().rfind(a[1].as_string(), 0) == 0);
  }));
  r.Add("ends with", {Sig({"string", "match"})}, Scalars([](EvalState& st, Args a) {
    if (!Strings(a, 2)) return Fail(st, "ends with", "string arguments expected");
    const std::string &s = a[0].as_string(), &m = a[1].as_string();
    return Value::Bool(s.size() >= m.size() && s.compare(s.size() - m.size(), m.size(), m) == 0);
  }));
  r.Add("matches", {Sig({"input", "pattern", "flags"}, 1)}, Scalars(Matches));
  r.Add("split", {Sig({"string", "delimiter"})}, Scalars(Split));
  r.Add("string join", {Sig({"list", "delimiter"}, 1)}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "string join", "list expected");
    std::string delim;
    if (a.size() > 1 && !a[1].is_null()) {
      if (!a[1].is_string()) return Fail(st, "string join", "delimiter must be a string");
      delim = a[1].as_string();
    }
    std::string out;
    bool first = true;
    for (const Value& v : a[0].as_list()) {
      if (v.is_null()) continue;
      if (!v.is_string()) return Fail(st, "string join", "list must contain strings");
      if (!first) out += delim;
      first = false;
      out += v.as_string();
    }
    return Value::String(out);
  }));
}

}  // namespace amtsweg::feel::builtins
