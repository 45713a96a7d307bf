#include "eql/cidr.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace auditeql::eql {

namespace {

constexpr size_t kMaxAddressText = 64;

// inet_pton wants a NUL-terminated string; copy into a stack buffer.
bool to_c_string(std::string_view text, char (&buffer)[kMaxAddressText]) {
  if (text.empty() || text.size() >= kMaxAddressText) return false;
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  return true;
}

std::optional<IpAddress> parse_ipv4(std::string_view text) {
  char buffer[kMaxAddressText];
  uint8_t raw[4];
  if (!to_c_string(text, buffer) || inet_pton(AF_INET, buffer, raw) != 1) return std::nullopt;
  IpAddress address;
  address.bytes[10] = 0xFF;
  address.bytes[11] = 0xFF;
  std::memcpy(address.bytes.data() + 12, raw, 4);
  return address;
}

std::optional<IpAddress> parse_ipv6(std::string_view text) {
  const size_t zone = text.find('%');
  if (zone != std::string_view::npos) text = text.substr(0, zone);
  char buffer[kMaxAddressText];
  IpAddress address;
  if (!to_c_string(text, buffer) || inet_pton(AF_INET6, buffer, address.bytes.data()) != 1) return std::nullopt;
  return address;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.find(':') != std::string_view::npos) return parse_ipv6(text);
  return parse_ipv4(text);
}

bool CidrBlock::contains(const IpAddress& address) const {
  const unsigned full_bytes = prefix / 8;
  if (std::memcmp(address.bytes.data(), network.bytes.data(), full_bytes) != 0) return false;
  const unsigned rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (address.bytes[full_bytes] & mask) == network.bytes[full_bytes];
}

std::optional<CidrBlock> parse_cidr(std::string_view text) {
  const size_t slash = text.find('/');
  const std::string_view address_text = text.substr(0, slash);
  const bool is_v6 = address_text.find(':') != std::string_view::npos;
  const std::optional<IpAddress> address = parse_ip(address_text);
  if (!address) return std::nullopt;

  const unsigned max_prefix = is_v6 ? 128 : 32;
  unsigned prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || prefix > max_prefix)
      return std::nullopt;
  }
  CidrBlock block;
  block.prefix = static_cast<uint8_t>(is_v6 ? prefix : 96 + prefix);
  block.network = *address;
  // Clear host bits so that "10.1.2.3/8" means 10.0.0.0/8.
  for (unsigned bit = block.prefix; bit < 128; ++bit) {
    block.network.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  return block;
}

}  // namespace auditeql::eql
