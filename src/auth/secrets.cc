#include "auth/secrets.h"

#include <sodium.h>

#include <vector>

namespace amtsweg::auth {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  AW_ASSERT(ready, "libsodium failed to initialise");
}

std::string Base64Url(std::string_view data) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(), variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string RandomSecret(size_t bytes) {
  EnsureSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out = Base64Url(raw);
  sodium_memzero(raw.data(), raw.size());
  return out;
}

namespace {
std::string Sha256Raw(std::string_view data) {
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  return digest;
}
}  // namespace

std::string CsrfTokenFor(std::string_view session_secret) {
  std::string input = "amtsweg-csrf-v1:";
  input += session_secret;
  return Base64Url(Sha256Raw(input));
}

std::string EncodeTenant(std::string_view tenant) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : tenant) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

core::Result<std::string> DecodeTenant(std::string_view in) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return core::InvalidArgument("bad tenant encoding");
    int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
    if (hi < 0 || lo < 0) return core::InvalidArgument("bad tenant encoding");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (out.empty()) return core::InvalidArgument("empty tenant");
  return out;
}

}  // namespace amtsweg::auth
