#include "http/outbound.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <cstring>

#include <fmt/format.h>

#include "http/client.h"

namespace amtsweg::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitList(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = Trim(list.substr(0, comma));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

IpAddress V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  IpAddress ip;
  ip.bytes[0] = a;
  ip.bytes[1] = b;
  ip.bytes[2] = c;
  ip.bytes[3] = d;
  return ip;
}

bool InV4(const IpAddress& a, uint8_t b0, uint8_t b1, int prefix) {
  IpNetwork n{V4(b0, b1, 0, 0), prefix};
  return n.Contains(a);
}

bool PrefixEquals(const IpAddress& a, std::initializer_list<uint8_t> prefix) {
  size_t i = 0;
  for (uint8_t b : prefix) {
    if (a.bytes[i++] != b) return false;
  }
  return true;
}

std::string_view SpecialV4(const IpAddress& a) {
  if (InV4(a, 0, 0, 8)) return "unspecified";  // "this network"; 0.0.0.0 reaches the local host on Linux
  if (InV4(a, 127, 0, 8)) return "loopback";
  if (InV4(a, 10, 0, 8) || InV4(a, 172, 16, 12) || InV4(a, 192, 168, 16)) return "private";
  if (InV4(a, 169, 254, 16)) return "link-local";
  if (InV4(a, 100, 64, 10)) return "shared (CGNAT)";
  if (InV4(a, 224, 0, 4)) return "multicast";
  if (InV4(a, 240, 0, 4)) return "reserved";  // incl. 255.255.255.255
  // IETF protocol assignments, documentation (TEST-NET-1..3), benchmarking.
  IpNetwork reserved[] = {{V4(192, 0, 0, 0), 24},   {V4(192, 0, 2, 0), 24}, {V4(198, 51, 100, 0), 24},
                          {V4(203, 0, 113, 0), 24}, {V4(198, 18, 0, 0), 15}};
  for (const auto& n : reserved) {
    if (n.Contains(a)) return "reserved";
  }
  return "";
}

// The IPv4 address inside an IPv6 one that carries it, if any.
std::optional<IpAddress> EmbeddedV4(const IpAddress& a) {
  if (!a.v6) return std::nullopt;
  bool mapped = true;  // ::ffff:0:0/96
  for (int i = 0; i < 10; ++i) mapped = mapped && a.bytes[i] == 0;
  mapped = mapped && a.bytes[10] == 0xff && a.bytes[11] == 0xff;
  bool nat64 = PrefixEquals(a, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0});  // 64:ff9b::/96
  if (mapped || nat64) return V4(a.bytes[12], a.bytes[13], a.bytes[14], a.bytes[15]);
  if (PrefixEquals(a, {0x20, 0x02})) return V4(a.bytes[2], a.bytes[3], a.bytes[4], a.bytes[5]);  // 6to4
  return std::nullopt;
}

std::string_view SpecialV6(const IpAddress& a) {
  bool zero_head = true;  // ::/96 : ::, ::1 and the deprecated IPv4-compatible addresses
  for (int i = 0; i < 12; ++i) zero_head = zero_head && a.bytes[i] == 0;
  if (zero_head) {
    bool rest_zero = a.bytes[12] == 0 && a.bytes[13] == 0 && a.bytes[14] == 0;
    if (rest_zero && a.bytes[15] == 0) return "unspecified";
    if (rest_zero && a.bytes[15] == 1) return "loopback";
    return "reserved";
  }
  if ((a.bytes[0] & 0xfe) == 0xfc) return "private";                         // fc00::/7 unique local
  if (a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0x80) return "link-local";  // fe80::/10
  if (a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0xc0) return "private";     // fec0::/10 site-local (deprecated)
  if (a.bytes[0] == 0xff) return "multicast";                                 // ff00::/8
  if (PrefixEquals(a, {0x01, 0x00, 0, 0, 0, 0, 0, 0})) return "reserved";     // 100::/64 discard
  if (PrefixEquals(a, {0x20, 0x01, 0x0d, 0xb8})) return "reserved";           // 2001:db8::/32 documentation
  return "";
}

// The address to judge: an IPv4 address carried in IPv6 is judged as IPv4.
IpAddress Effective(const IpAddress& a) {
  auto v4 = EmbeddedV4(a);
  return v4 ? *v4 : a;
}

}  // namespace

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (!v6) {
    inet_ntop(AF_INET, bytes.data(), buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

core::Result<IpAddress> ParseIpAddress(std::string_view text) {
  std::string s(text);
  IpAddress ip;
  if (inet_pton(AF_INET, s.c_str(), ip.bytes.data()) == 1) return ip;
  ip.v6 = true;
  if (inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) == 1) return ip;
  return core::InvalidArgument("not an IP address: '" + s + "'");
}

bool IpNetwork::Contains(const IpAddress& a) const {
  if (a.v6 != base.v6) return false;
  int full = prefix / 8;
  for (int i = 0; i < full; ++i) {
    if (a.bytes[i] != base.bytes[i]) return false;
  }
  int bits = prefix % 8;
  if (bits == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - bits));
  return (a.bytes[full] & mask) == (base.bytes[full] & mask);
}

std::string IpNetwork::ToString() const { return base.ToString() + "/" + std::to_string(prefix); }

core::Result<IpNetwork> ParseIpNetwork(std::string_view text) {
  size_t slash = text.find('/');
  AW_ASSIGN_OR_RETURN(IpAddress base, ParseIpAddress(text.substr(0, slash)));
  int max = base.v6 ? 128 : 32;
  int prefix = max;
  if (slash != std::string_view::npos) {
    std::string_view p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (ec != std::errc() || end != p.data() + p.size() || prefix < 0 || prefix > max) {
      return core::InvalidArgument(fmt::format("bad prefix length in '{}' (0 to {})", text, max));
    }
  }
  // Host bits must be zero: "10.1.2.3/8" is most likely a typo.
  for (int i = 0; i < (base.v6 ? 16 : 4); ++i) {
    int keep = std::clamp(prefix - 8 * i, 0, 8);
    auto host_bits = static_cast<uint8_t>(0xff >> keep);
    if ((base.bytes[i] & host_bits) != 0) {
      return core::InvalidArgument(fmt::format("'{}' has bits set after the prefix length", text));
    }
  }
  IpNetwork n{base, prefix};
  return n;
}

std::string_view SpecialRange(const IpAddress& a) {
  IpAddress e = Effective(a);
  return e.v6 ? SpecialV6(e) : SpecialV4(e);
}

core::Result<OutboundPolicy> OutboundPolicy::FromConfig(bool allow_http, bool allow_private,
                                                        std::string_view networks, std::string_view hosts) {
  OutboundPolicy p;
  p.allow_http = allow_http;
  p.allow_private = allow_private;
  for (std::string_view item : SplitList(networks)) {
    auto n = ParseIpNetwork(item);
    if (!n.ok()) return core::InvalidArgument("outbound.allow_networks: " + n.error().message());
    p.allow_networks.push_back(*n);
  }
  for (std::string_view item : SplitList(hosts)) {
    for (char c : item) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':')) {
        return core::InvalidArgument(fmt::format("outbound.allow_hosts: '{}' is not a host name", item));
      }
    }
    p.allow_hosts.push_back(Lower(item));
  }
  return p;
}

core::Status OutboundPolicy::CheckAddress(std::string_view host, const IpAddress& address) const {
  std::string h = Lower(host);
  for (const auto& allowed : allow_hosts) {
    if (allowed == h) return core::OkStatus();
  }
  std::string_view range = SpecialRange(address);
  if (range.empty() || allow_private) return core::OkStatus();
  IpAddress e = Effective(address);
  for (const auto& n : allow_networks) {
    if (n.Contains(address) || n.Contains(e)) return core::OkStatus();
  }
  std::string what = address.ToString();
  std::string subject = ParseIpAddress(host).ok() ? fmt::format("{} is a {} address", host, range)
                                                  : fmt::format("{} resolves to a {} address {}", host, range, what);
  return core::PermissionDenied(fmt::format(
      "{}; the server calls such addresses only when the installation allows it ([outbound] allow_private = true, "
      "the network in allow_networks or the host in allow_hosts)",
      subject));
}

core::Status OutboundPolicy::CheckUrl(std::string_view url) const {
  AW_ASSIGN_OR_RETURN(ParsedUrl u, ParseHttpUrl(url));
  if (!u.tls && !allow_http) {
    return core::PermissionDenied(
        "plain http:// is not allowed for outbound calls (the data would travel unencrypted); use https:// or set "
        "[outbound] allow_http = true");
  }
  if (auto ip = ParseIpAddress(u.host); ip.ok()) return CheckAddress(u.host, *ip);
  return core::OkStatus();
}

core::Status OutboundPolicy::CheckUrlResolved(std::string_view url) const {
  AW_TRY(CheckUrl(url));
  AW_ASSIGN_OR_RETURN(ParsedUrl u, ParseHttpUrl(url));
  if (ParseIpAddress(u.host).ok()) return core::OkStatus();  // checked by CheckUrl
  std::string h = Lower(u.host);
  for (const auto& allowed : allow_hosts) {
    if (allowed == h) return core::OkStatus();
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(u.host.c_str(), nullptr, &hints, &res);
  if (rc != 0) return core::Unavailable(fmt::format("cannot resolve {}: {}", u.host, gai_strerror(rc)));
  core::Status verdict = core::OkStatus();
  for (addrinfo* ai = res; ai != nullptr && verdict.ok(); ai = ai->ai_next) {
    IpAddress ip;
    if (ai->ai_family == AF_INET) {
      std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, 4);
    } else if (ai->ai_family == AF_INET6) {
      ip.v6 = true;
      std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    verdict = CheckAddress(u.host, ip);
  }
  freeaddrinfo(res);
  return verdict;
}

}  // namespace amtsweg::http
