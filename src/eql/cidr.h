// IP addresses and CIDR blocks for cidrMatch().
//
// Addresses are kept as 16 bytes; IPv4 addresses (and IPv4 blocks) are
// stored IPv4-mapped (::ffff:a.b.c.d), the way Elasticsearch indexes ip
// fields, so "::ffff:10.1.2.3" is inside "10.0.0.0/8".
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace auditeql::eql {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};
};

// Dotted-quad IPv4 or RFC 4291 IPv6 text (an IPv6 zone suffix such as
// "%eth0" is ignored). nullopt when the text is not an address.
std::optional<IpAddress> parse_ip(std::string_view text);

struct CidrBlock {
  IpAddress network;     // host bits cleared
  uint8_t prefix = 128;  // in the 128-bit space

  bool contains(const IpAddress& address) const;
};

// "10.0.0.0/8", "fe80::/10", or a bare address (a single-host block).
std::optional<CidrBlock> parse_cidr(std::string_view text);

}  // namespace auditeql::eql
