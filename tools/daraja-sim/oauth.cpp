#include "daraja-sim/oauth.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/crypto.h>

#include "daraja-sim/base64.hpp"

namespace gw::sim {
namespace {

// True when `text` starts with `scheme` followed by one space, ignoring the scheme's case.
bool has_scheme(std::string_view text, std::string_view scheme) {
    if (text.size() <= scheme.size() || text[scheme.size()] != ' ') {
        return false;
    }
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != scheme[i]) {
            return false;
        }
    }
    return true;
}

bool same_bytes(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

BasicAuthCheck check_basic_auth(std::string_view authorization,
                                std::string_view consumer_key,
                                std::string_view consumer_secret) {
    if (!has_scheme(authorization, "basic")) {
        return BasicAuthCheck::not_basic;
    }
    const std::optional<std::string> decoded = base64_decode(authorization.substr(6));
    if (!decoded) {
        return BasicAuthCheck::wrong_credentials;
    }
    const std::string expected = std::string(consumer_key) + ":" + std::string(consumer_secret);
    return same_bytes(*decoded, expected) ? BasicAuthCheck::ok : BasicAuthCheck::wrong_credentials;
}

std::string bearer_token(std::string_view authorization) {
    if (!has_scheme(authorization, "bearer")) {
        return "";
    }
    return std::string(authorization.substr(7));
}

void TokenStore::add(const std::string& token, TimePoint now) {
    if (policy_.new_token_revokes_old) {
        issued_at_.clear();
    }
    make_room(now);
    issued_at_[token] = now;
}

bool TokenStore::is_live(std::string_view token, TimePoint now) const {
    const auto found = issued_at_.find(std::string(token));
    if (found == issued_at_.end()) {
        return false;
    }
    return now < found->second + std::chrono::seconds(policy_.ttl_seconds);
}

void TokenStore::make_room(TimePoint now) {
    if (issued_at_.size() < kLiveTokensMax) {
        return;
    }
    std::erase_if(issued_at_, [&](const auto& entry) { return !is_live(entry.first, now); });
    while (issued_at_.size() >= kLiveTokensMax) {
        const auto oldest = std::min_element(
            issued_at_.begin(), issued_at_.end(), [](const auto& a, const auto& b) {
                return a.second < b.second;
            });
        issued_at_.erase(oldest);
    }
}

}  // namespace gw::sim
