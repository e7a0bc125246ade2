#include "identity/password.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/assert.hpp"
#include "core/utf8.hpp"
#include "identity/common_passwords.hpp"
#include "identity/opaque_token.hpp"
#include "identity/secret_key.hpp"

namespace gw::identity {

namespace {

std::string ascii_lower(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return lower;
}

bool built_around_username(const std::string& password, const std::string& username) {
    if (username.empty()) {
        return false;
    }
    if (password == username) {
        return true;
    }
    if (username.size() < kUsernameBytesMinForContainsRule) {
        return false;
    }
    return password.find(username) != std::string::npos ||
           username.find(password) != std::string::npos;
}

Error weak(std::string rule) {
    return make_error(ErrorCode::weak_password, std::move(rule));
}

// Holds one of the hasher's permits for its lifetime.
class Permit {
public:
    explicit Permit(std::counting_semaphore<>& permits) : permits_(permits) { permits_.acquire(); }
    ~Permit() { permits_.release(); }
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;

private:
    std::counting_semaphore<>& permits_;
};

// libsodium accepts any digest of 16 bytes or more, so a truncated hash whose leftover base64
// bits happen to be zero still parses. Ours always end "$<16-byte salt>$<32-byte digest>" in
// unpadded base64: 22 and 43 characters.
bool has_our_salt_and_digest_sizes(std::string_view stored_hash) {
    constexpr std::size_t kSaltChars = 22;
    constexpr std::size_t kDigestChars = 43;
    const std::size_t digest_start = stored_hash.rfind('$');
    if (digest_start == std::string_view::npos || digest_start < kSaltChars + 1) {
        return false;
    }
    const std::size_t salt_start = digest_start - kSaltChars - 1;
    return stored_hash.size() - digest_start - 1 == kDigestChars && stored_hash[salt_start] == '$' &&
           stored_hash.substr(salt_start + 1, kSaltChars).find('$') == std::string_view::npos;
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordHashSettings settings)
    : settings_(settings),
      permits_(std::make_unique<std::counting_semaphore<>>(std::max<std::ptrdiff_t>(1, settings.concurrent_max))) {
    ensure_sodium();
    GW_ASSERT(settings_.ops_limit >= crypto_pwhash_OPSLIMIT_MIN, "ops_limit within bounds");
    GW_ASSERT(settings_.ops_limit <= crypto_pwhash_OPSLIMIT_MAX, "ops_limit within bounds");
    GW_ASSERT(settings_.memory_bytes >= crypto_pwhash_MEMLIMIT_MIN, "memory within bounds");
    GW_ASSERT(settings_.memory_bytes <= crypto_pwhash_MEMLIMIT_MAX, "memory within bounds");
    // A random password nobody knows, hashed with the same settings as real users' hashes,
    // so verifying against it costs exactly what a wrong password costs.
    dummy_hash_ = hash(random_token());
}

std::string PasswordHasher::hash(std::string_view password) const {
    std::array<char, crypto_pwhash_STRBYTES> out{};
    const Permit permit(*permits_);
    if (crypto_pwhash_str(out.data(),
                          password.data(),
                          password.size(),
                          settings_.ops_limit,
                          settings_.memory_bytes) != 0) {
        throw std::runtime_error("out of memory while hashing a password");
    }
    return std::string(out.data());
}

bool PasswordHasher::verify(const std::string& stored_hash, std::string_view password) const {
    // libsodium reads the stored hash as a C string of fewer than crypto_pwhash_STRBYTES bytes.
    if (stored_hash.size() >= crypto_pwhash_STRBYTES ||
        stored_hash.find('\0') != std::string::npos) {
        return false;
    }
    const Permit permit(*permits_);
    return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(const std::string& stored_hash) const {
    if (stored_hash.size() >= crypto_pwhash_STRBYTES ||
        stored_hash.find('\0') != std::string::npos || !has_our_salt_and_digest_sizes(stored_hash)) {
        return true;
    }
    return crypto_pwhash_str_needs_rehash(
               stored_hash.c_str(), settings_.ops_limit, settings_.memory_bytes) != 0;
}

void PasswordHasher::burn_equal_time(std::string_view password) const {
    // The result is meaningless (nobody knows the dummy password); only the time matters.
    [[maybe_unused]] bool matched = verify(dummy_hash_, password);
}

Result<void> check_password_policy(std::string_view password, std::string_view username) {
    if (password.size() > kPasswordBytesMax) {
        return weak("password must be at most " + std::to_string(kPasswordBytesMax) +
                    " bytes long");
    }
    std::optional<std::size_t> chars = utf8_code_points(password);
    if (!chars.has_value()) {
        return weak("password must be valid UTF-8 text");
    }
    if (*chars < kPasswordCharsMin) {
        return weak("password must be at least " + std::to_string(kPasswordCharsMin) +
                    " characters long");
    }
    const std::string lower = ascii_lower(password);
    if (built_around_username(lower, ascii_lower(username))) {
        return weak("password must not contain the username");
    }
    if (is_common_password(lower)) {
        return weak("password is too common; choose one that is harder to guess");
    }
    return {};
}

}  // namespace gw::identity
