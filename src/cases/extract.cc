#include "cases/extract.h"

#include <algorithm>
#include <array>

namespace amtsweg::cases {

using core::Json;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The value at the component's key path in `data`, or nullptr.
const Json* At(const Json& data, const std::vector<std::string>& path) {
  const Json* cur = &data;
  for (const auto& seg : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(seg);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string Str(const Json* v) {
  if (v == nullptr || !v->is_string()) return {};
  return v->get<std::string>();
}

void Walk(const Json& v, std::string& out, size_t max) {
  if (out.size() >= max) return;
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) return;
    if (!out.empty()) out += ' ';
    out += s;
  } else if (v.is_number()) {
    if (!out.empty()) out += ' ';
    out += core::DumpJson(v);
  } else if (v.is_object() || v.is_array()) {
    for (const auto& e : v) Walk(e, out, max);
  }
}

}  // namespace

Applicant ExtractApplicant(const forms::Form* form, const Json& data) {
  Applicant a;
  if (!data.is_object()) return a;
  // Candidates from the form (declared e-mail fields), then by key.
  static const std::array<std::string_view, 6> kNameKeys = {"name", "fullname", "antragsteller",
                                                            "ansprechpartner", "firma", "companyname"};
  std::string first, last;
  size_t best_name = kNameKeys.size();
  std::string by_key_email;
  if (form != nullptr) {
    auto visit = [&](const std::vector<forms::Component>& list, std::vector<std::string> prefix,
                     auto&& self) -> void {
      for (const auto& c : list) {
        if (c.is_repeating) continue;  // dynamic lists: many people, none is "the" applicant
        if (!c.components.empty()) {
          std::vector<std::string> inner = prefix;
          inner.insert(inner.end(), c.path_segments.begin(), c.path_segments.end());
          self(c.components, inner, self);
          continue;
        }
        if (c.key_path.empty()) continue;
        std::vector<std::string> path = prefix;
        path.insert(path.end(), c.key_path.begin(), c.key_path.end());
        std::string s = Str(At(data, path));
        if (s.empty()) continue;
        std::string key = Lower(c.key_path.back());
        if (a.email.empty() && c.validation_type == forms::ValidationType::kEmail) a.email = s;
        if (by_key_email.empty() && (key.ends_with("email") || key.ends_with("mail"))) by_key_email = s;
        for (size_t i = 0; i < best_name; ++i) {
          if (key == kNameKeys[i]) {
            a.name = s;
            best_name = i;
            break;
          }
        }
        if (first.empty() && (key == "vorname" || key == "firstname")) first = s;
        if (last.empty() && (key == "nachname" || key == "familienname" || key == "lastname")) last = s;
      }
    };
    visit(form->components(), {}, visit);
  } else {
    // No form: top-level and one level of groups, by key only.
    auto scan = [&](const Json& obj, auto&& self, int depth) -> void {
      for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (it->is_object() && depth == 0) {
          self(*it, self, 1);
          continue;
        }
        std::string s = Str(&*it);
        if (s.empty()) continue;
        std::string key = Lower(it.key());
        if (by_key_email.empty() && (key.ends_with("email") || key.ends_with("mail"))) by_key_email = s;
        for (size_t i = 0; i < best_name; ++i) {
          if (key == kNameKeys[i]) {
            a.name = s;
            best_name = i;
            break;
          }
        }
        if (first.empty() && (key == "vorname" || key == "firstname")) first = s;
        if (last.empty() && (key == "nachname" || key == "familienname" || key == "lastname")) last = s;
      }
    };
    scan(data, scan, 0);
  }
  if (a.email.empty()) a.email = by_key_email;
  if (!last.empty() && (best_name > 1)) a.name = first.empty() ? last : first + " " + last;
  return a;
}

std::string SearchText(const Json& data, size_t max_bytes) {
  std::string out;
  Walk(data, out, max_bytes);
  if (out.size() > max_bytes) {
    size_t n = max_bytes;
    while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;
    out.resize(n);
  }
  return out;
}

std::string FoldForSearch(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size(); ++i) {
    if (i + 1 < text.size() && static_cast<unsigned char>(text[i]) == 0xC3 &&
        static_cast<unsigned char>(text[i + 1]) == 0x9F) {  // ß U+00DF
      out += "ss";
      ++i;
    } else if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE1 &&
               static_cast<unsigned char>(text[i + 1]) == 0xBA && static_cast<unsigned char>(text[i + 2]) == 0x9E) {
      out += "SS";  // ẞ U+1E9E
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string Fts5Query(std::string_view text, bool prefix) {
  std::string folded = FoldForSearch(text);
  std::string out, word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out += ' ';
    out += '"' + word + (prefix ? "\"*" : "\"");
    word.clear();
  };
  for (char ch : folded) {
    auto u = static_cast<unsigned char>(ch);
    bool part = u >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    if (part) {
      word += ch;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace amtsweg::cases
