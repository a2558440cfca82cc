#include "intake/codes.h"

#include <sodium.h>

#include <cstdint>
#include <vector>

namespace amtsweg::intake {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void InitSodium() {
  static const int ok = sodium_init();
  (void)ok;
}

// Base32 of the bit string in `bytes`, `symbols` symbols from the top bits.
std::string Base32(const std::vector<uint8_t>& bytes, size_t symbols) {
  std::string out;
  out.reserve(symbols);
  size_t bit = 0;
  for (size_t i = 0; i < symbols; ++i, bit += 5) {
    unsigned v = 0;
    for (size_t b = 0; b < 5; ++b) {
      size_t pos = bit + b;
      unsigned set = (bytes[pos / 8] >> (7 - pos % 8)) & 1u;
      v = (v << 1) | set;
    }
    out += kCrockford[v];
  }
  return out;
}

}  // namespace

std::string NewTrackingCode() {
  InitSodium();
  std::vector<uint8_t> bytes(8);
  randombytes_buf(bytes.data(), bytes.size());
  return Base32(bytes, 12);  // 12 * 5 = 60 bits
}

std::string FormatTrackingCode(std::string_view c) {
  std::string out;
  for (size_t i = 0; i < c.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += c[i];
  }
  return out;
}

std::optional<std::string> NormalizeTrackingCode(std::string_view input) {
  std::string out;
  for (char c : input) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'O') c = '0';
    bool valid = false;
    for (const char* k = kCrockford; *k != '\0'; ++k) valid = valid || *k == c;
    if (!valid) return std::nullopt;
    out += c;
    if (out.size() > 12) return std::nullopt;
  }
  if (out.size() != 12) return std::nullopt;
  return out;
}

std::string NewSecret(size_t bytes) {
  InitSodium();
  std::vector<uint8_t> b(bytes);
  randombytes_buf(b.data(), b.size());
  std::string s = Base32(b, bytes * 8 / 5);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace amtsweg::intake
