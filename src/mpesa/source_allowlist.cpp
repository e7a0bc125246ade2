#include "mpesa/source_allowlist.hpp"

#include <charconv>
#include <cstdint>

#include <arpa/inet.h>

namespace gw::mpesa {
namespace {

std::optional<std::uint32_t> ipv4(std::string_view text) {
    const std::string copy(text);
    in_addr parsed{};
    if (inet_pton(AF_INET, copy.c_str(), &parsed) != 1) {
        return std::nullopt;
    }
    return ntohl(parsed.s_addr);
}

bool is_ipv6(std::string_view text) {
    const std::string copy(text);
    in6_addr parsed{};
    return inet_pton(AF_INET6, copy.c_str(), &parsed) == 1;
}

struct Block {
    std::uint32_t network = 0;
    int prefix = 32;
};

std::optional<Block> ipv4_block(std::string_view entry) {
    const std::size_t slash = entry.find('/');
    const auto address = ipv4(entry.substr(0, slash));
    if (!address) {
        return std::nullopt;
    }
    Block block{*address, 32};
    if (slash != std::string_view::npos) {
        const std::string_view digits = entry.substr(slash + 1);
        const auto [end, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), block.prefix);
        if (ec != std::errc{} || end != digits.data() + digits.size() || block.prefix < 0 ||
            block.prefix > 32) {
            return std::nullopt;
        }
    }
    return block;
}

std::uint32_t mask_of(int prefix) {
    return prefix == 0 ? 0U : ~std::uint32_t{0} << (32 - prefix);
}

}  // namespace

bool is_valid_allowlist_entry(std::string_view entry) {
    return ipv4_block(entry).has_value() || is_ipv6(entry);
}

bool source_allowed(std::string_view address, const std::vector<std::string>& allowlist) {
    if (allowlist.empty()) {
        return true;
    }
    const auto v4 = ipv4(address);
    for (const std::string& entry : allowlist) {
        if (const auto block = ipv4_block(entry); block && v4) {
            const std::uint32_t mask = mask_of(block->prefix);
            if ((*v4 & mask) == (block->network & mask)) {
                return true;
            }
        } else if (!v4 && is_ipv6(address) && entry == address) {
            return true;
        }
    }
    return false;
}

}  // namespace gw::mpesa
