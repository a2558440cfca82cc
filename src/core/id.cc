#include "core/id.h"

#include <chrono>
#include <mutex>

#include <sodium.h>

namespace amtsweg::core {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Monotonic {
  std::mutex mu;
  int64_t last_ms = -1;
  uint16_t counter = 0;  // 12 bits used
};
Monotonic& State() {
  static Monotonic m;
  return m;
}

}  // namespace

Uuid Uuid::NewV7() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return NewV7At(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

Uuid Uuid::NewV7At(int64_t unix_ms) {
  static const bool sodium_ready = sodium_init() >= 0;
  AW_ASSERT(sodium_ready, "libsodium failed to initialise");
  std::array<uint8_t, 16> b{};
  randombytes_buf(b.data() + 6, 10);
  uint16_t seq;
  {
    // Same millisecond as the previous id: count up in rand_a so ids stay ordered.
    auto& st = State();
    std::lock_guard lock(st.mu);
    if (unix_ms > st.last_ms) {
      st.last_ms = unix_ms;
      st.counter = static_cast<uint16_t>((b[6] << 8 | b[7]) & 0x07FF);  // random start, room to count
    } else {
      unix_ms = st.last_ms;  // clock went backwards or same ms: keep order
      if (++st.counter > 0x0FFF) {
        ++st.last_ms;  // counter exhausted: borrow the next millisecond
        unix_ms = st.last_ms;
        st.counter = 0;
      }
    }
    seq = st.counter;
  }
  for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(unix_ms >> (8 * (5 - i)));
  b[6] = static_cast<uint8_t>(0x70 | (seq >> 8));
  b[7] = static_cast<uint8_t>(seq & 0xFF);
  b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3F));  // RFC 4122 variant
  return Uuid(b);
}

Result<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36) return InvalidArgument("not a UUID: wrong length");
  std::array<uint8_t, 16> b{};
  size_t j = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return InvalidArgument("not a UUID: expected '-' at position " + std::to_string(i + 1));
      ++i;
      continue;
    }
    int hi = HexValue(text[i]), lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return InvalidArgument("not a UUID: bad hex digit at position " + std::to_string(i + 1));
    b[j++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return Uuid(b);
}

std::string Uuid::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes_[i] >> 4];
    out += kHex[bytes_[i] & 0xF];
  }
  return out;
}

int64_t Uuid::UnixMillis() const {
  int64_t ms = 0;
  for (int i = 0; i < 6; ++i) ms = ms << 8 | bytes_[i];
  return ms;
}

bool Uuid::IsNil() const {
  for (uint8_t v : bytes_) if (v) return false;
  return true;
}

}  // namespace amtsweg::core
