// The outbound policy: which destinations the server itself may call (webhook
// receivers, the HTTP connector's URLs). It is the SSRF guard: a tenant
// administrator or a process designer must not be able to make the server talk
// to 127.0.0.1, the PostgreSQL port, the private network or the cloud's
// metadata service (169.254.169.254).
//
// `http::Fetch` applies a policy given in `FetchOptions::policy` to the address
// it is about to connect to (after name resolution, for every address tried),
// so a host name that resolves to a public address when a webhook is created
// and to 127.0.0.1 when it is delivered (DNS rebinding) is still refused.
//
// Defaults (an installation that sets nothing): https only, public addresses only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace amtsweg::http {

// An IPv4 (4 bytes used) or IPv6 address.
struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
  std::string ToString() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// A literal address ("10.0.0.5", "::1", "::ffff:127.0.0.1"); kInvalidArgument otherwise.
core::Result<IpAddress> ParseIpAddress(std::string_view text);

struct IpNetwork {
  IpAddress base;
  int prefix = 0;
  bool Contains(const IpAddress& a) const;
  std::string ToString() const;
};
// "10.20.0.0/16", "fd00::/8", or a single address (/32, /128).
core::Result<IpNetwork> ParseIpNetwork(std::string_view text);

// The kind of non-public range `a` lies in — "loopback", "private",
// "link-local", "unspecified", "multicast", "shared (CGNAT)", "reserved" —
// or "" for an ordinary public address. IPv4 addresses embedded in IPv6
// (::ffff:0:0/96, 64:ff9b::/96, 2002::/16) are judged by their IPv4 part.
std::string_view SpecialRange(const IpAddress& a);

struct OutboundPolicy {
  bool allow_http = false;     // plain http:// (else https:// only)
  bool allow_private = false;  // every non-public range above
  std::vector<IpNetwork> allow_networks{};  // these networks are allowed even when not public
  std::vector<std::string> allow_hosts{};   // these host names (lower case) are allowed whatever they resolve to

  // From the `[outbound]` configuration: `networks` and `hosts` are
  // comma-separated lists. kInvalidArgument names the key and the bad entry.
  static core::Result<OutboundPolicy> FromConfig(bool allow_http, bool allow_private, std::string_view networks,
                                                 std::string_view hosts);

  // The URL's scheme and, for a literal address as host, that address. No
  // name resolution. kInvalidArgument for a malformed URL, kPermissionDenied
  // for a destination the policy refuses (the message names the reason and
  // the setting that would allow it).
  core::Status CheckUrl(std::string_view url) const;
  // CheckUrl, then resolves the host and checks every address it has (the
  // up-front check, e.g. when a webhook is created). kUnavailable when the
  // name does not resolve.
  core::Status CheckUrlResolved(std::string_view url) const;
  // May the server connect to `address`, which `host` (the URL's host) resolved to?
  core::Status CheckAddress(std::string_view host, const IpAddress& address) const;
};

}  // namespace amtsweg::http
