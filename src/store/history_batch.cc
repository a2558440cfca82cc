#include "store/history_batch.h"

#include <charconv>

#include "core/utf8.h"

namespace amtsweg::store {

namespace {

// Appends `s` as a JSON string: quotes, backslashes and control characters
// escaped, every other byte as it is (the text is UTF-8 as the stored column
// was before; nothing here validates it).
void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

class Decoder {
 public:
  explicit Decoder(std::string_view text) : t_(text) {}

  core::Status Run(FunctionRef<core::Status(const HistoryEventView&)> fn) {
    SkipWs();
    if (!Eat('[')) return Corrupt("expected '['");
    SkipWs();
    if (Eat(']')) return Trailing();
    for (;;) {
      HistoryEventView e;
      SkipWs();
      if (!Eat('[')) return Corrupt("expected '[' of an event");
      SkipWs();
      if (!String(event_buf_, e.event)) return Corrupt("bad event name");
      if (!Comma()) return Corrupt("expected ',' after the event name");
      if (!String(element_buf_, e.element_id)) return Corrupt("bad element id");
      if (!Comma()) return Corrupt("expected ',' after the element id");
      if (!Integer(e.element_key)) return Corrupt("bad element key");
      SkipWs();
      if (Eat(',')) {
        SkipWs();
        size_t begin = p_;
        if (!SkipValue()) return Corrupt("bad event data");
        e.data = t_.substr(begin, p_ - begin);
        if (e.data == "null") e.data = {};
        SkipWs();
      }
      if (!Eat(']')) return Corrupt("expected ']' of an event");
      AW_TRY(fn(e));
      SkipWs();
      if (Eat(']')) return Trailing();
      if (!Eat(',')) return Corrupt("expected ',' or ']' between events");
    }
  }

 private:
  core::Error Corrupt(std::string_view what) const {
    return core::Internal("stored engine history is corrupt at byte " + std::to_string(p_) + ": " + std::string(what));
  }
  core::Status Trailing() {
    SkipWs();
    if (p_ != t_.size()) return Corrupt("text after the batch");
    return core::OkStatus();
  }
  void SkipWs() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\n' || t_[p_] == '\r' || t_[p_] == '\t')) ++p_;
  }
  bool Eat(char c) {
    if (p_ < t_.size() && t_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool Comma() {
    SkipWs();
    if (!Eat(',')) return false;
    SkipWs();
    return true;
  }
  bool Integer(int64_t& v) {
    auto [end, ec] = std::from_chars(t_.data() + p_, t_.data() + t_.size(), v);
    if (ec != std::errc()) return false;
    p_ = static_cast<size_t>(end - t_.data());
    return true;
  }
  // Moves past a JSON string starting at p_; `escaped` tells whether it holds a backslash.
  bool SkipString(bool& escaped) {
    if (!Eat('"')) return false;
    escaped = false;
    while (p_ < t_.size()) {
      char c = t_[p_++];
      if (c == '"') return true;
      if (c == '\\') {
        escaped = true;
        if (p_ == t_.size()) return false;
        ++p_;
      }
    }
    return false;
  }
  // A JSON string: a view into the text, or into `buf` when it has escapes.
  bool String(std::string& buf, std::string_view& out) {
    size_t begin = p_;
    bool escaped = false;
    if (!SkipString(escaped)) return false;
    std::string_view raw = t_.substr(begin + 1, p_ - begin - 2);
    if (!escaped) {
      out = raw;
      return true;
    }
    buf.clear();
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c != '\\') {
        buf += c;
        continue;
      }
      char k = raw[++i];  // SkipString guarantees a character after each backslash
      switch (k) {
        case '"': buf += '"'; break;
        case '\\': buf += '\\'; break;
        case '/': buf += '/'; break;
        case 'b': buf += '\b'; break;
        case 'f': buf += '\f'; break;
        case 'n': buf += '\n'; break;
        case 'r': buf += '\r'; break;
        case 't': buf += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(raw, i + 1, cp)) return false;
          i += 4;
          if (cp >= 0xd800 && cp < 0xdc00) {  // a high surrogate: its low half follows
            uint32_t lo = 0;
            if (i + 2 >= raw.size() || raw[i + 1] != '\\' || raw[i + 2] != 'u' || !Hex4(raw, i + 3, lo) ||
                lo < 0xdc00 || lo >= 0xe000) {
              return false;
            }
            i += 6;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          } else if (cp >= 0xdc00 && cp < 0xe000) {
            return false;
          }
          core::AppendUtf8(buf, cp);
          break;
        }
        default: return false;
      }
    }
    out = buf;
    return true;
  }
  static bool Hex4(std::string_view s, size_t at, uint32_t& v) {
    if (at + 4 > s.size()) return false;
    auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + 4, v, 16);
    return ec == std::errc() && end == s.data() + at + 4;
  }
  // Moves past one JSON value (its extent only: the caller parses data when it needs it).
  bool SkipValue() {
    if (p_ >= t_.size()) return false;
    bool escaped = false;
    char c = t_[p_];
    if (c == '"') return SkipString(escaped);
    if (c == '{' || c == '[') {
      int depth = 0;
      while (p_ < t_.size()) {
        c = t_[p_];
        if (c == '"') {
          if (!SkipString(escaped)) return false;
          continue;
        }
        ++p_;
        if (c == '{' || c == '[') ++depth;
        if ((c == '}' || c == ']') && --depth == 0) return true;
      }
      return false;
    }
    // A number, true, false or null.
    size_t begin = p_;
    while (p_ < t_.size() && t_[p_] != ',' && t_[p_] != ']' && t_[p_] != ' ' && t_[p_] != '\n' &&
           t_[p_] != '\r' && t_[p_] != '\t') {
      ++p_;
    }
    return p_ > begin;
  }

  std::string_view t_;
  size_t p_ = 0;
  std::string event_buf_, element_buf_;
};

}  // namespace

void AppendHistoryEvent(std::string& batch, std::string_view event, std::string_view element_id,
                        int64_t element_key, std::string_view data_json) {
  batch += batch.empty() ? "[[" : ",[";
  AppendJsonString(batch, event);
  batch += ',';
  AppendJsonString(batch, element_id);
  char num[24];
  auto [end, ec] = std::to_chars(num, num + sizeof num, element_key);
  (void)ec;  // 24 characters hold every int64_t
  batch += ',';
  batch.append(num, end);
  batch += ',';
  if (data_json.empty()) {
    batch += "null";
  } else {
    batch += data_json;
  }
  batch += ']';
}

void FinishHistoryBatch(std::string& batch) { batch += batch.empty() ? "[]" : "]"; }

core::Status ForEachHistoryEvent(std::string_view batch, FunctionRef<core::Status(const HistoryEventView&)> fn) {
  return Decoder(batch).Run(fn);
}

}  // namespace amtsweg::store
