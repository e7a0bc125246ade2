#pragma once

// Password storage and policy (DESIGN §7): Argon2id through libsodium's crypto_pwhash_str,
// whose output string carries its own salt and parameters, so the settings can be raised later
// and old hashes upgraded at the next successful login (needs_rehash).

#include <cstddef>
#include <memory>
#include <semaphore>
#include <string>
#include <string_view>

#include <sodium.h>

#include "core/error.hpp"

namespace gw::identity {

// Policy limits. Lengths count Unicode code points, so "ñ" is one character, not two bytes.
inline constexpr std::size_t kPasswordCharsMin = 10;
inline constexpr std::size_t kPasswordBytesMax = 1024;
// Usernames shorter than this are not searched for inside passwords: "password contains
// 'al'" would refuse far too many good passwords. Equality is refused at any length.
inline constexpr std::size_t kUsernameBytesMinForContainsRule = 4;

// Argon2id cost. The defaults are libsodium's "interactive" level (2 passes, 64 MiB), which
// costs tens of milliseconds per hash; tests use OPSLIMIT_MIN / MEMLIMIT_MIN.
struct PasswordHashSettings {
    // NOLINTNEXTLINE(google-runtime-int): the type of libsodium's opslimit parameter
    unsigned long long ops_limit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    std::size_t memory_bytes = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    // Hashes computed at once, at most; the rest wait. Bounds memory: 4 × 64 MiB by default.
    std::ptrdiff_t concurrent_max = 4;
};

// Hashes and verifies passwords. Const after construction and safe to use from many threads
// at once; each call allocates `memory_bytes` for its duration, and at most `concurrent_max`
// run at a time (the others wait), which bounds the memory a burst of logins can take.
class PasswordHasher {
public:
    // Computes the dummy hash for burn_equal_time, so construction costs one hash.
    // REQUIRES: ops_limit and memory_bytes within libsodium's crypto_pwhash bounds (the
    // configuration validates them at start-up).
    explicit PasswordHasher(PasswordHashSettings settings = {});

    // Returns the Argon2id hash string of `password` ("$argon2id$v=19$m=…"), with a fresh salt,
    // under this hasher's settings; ASCII, at most crypto_pwhash_STRBYTES - 1 characters.
    // Throws std::runtime_error only when the memory for the hash cannot be allocated.
    std::string hash(std::string_view password) const;

    // Returns whether `password` matches `stored_hash` (constant-time comparison inside
    // libsodium). False, never an error, for a wrong password and for a stored hash that is
    // malformed, too long, or of another algorithm. Costs what the stored hash's own
    // parameters say, not this hasher's settings.
    bool verify(const std::string& stored_hash, std::string_view password) const;

    // Returns whether `stored_hash` was made with other settings than this hasher's (or is not
    // a valid hash string), i.e. whether to re-hash the password after it verified.
    bool needs_rehash(const std::string& stored_hash) const;

    // Spends the time of one failed verify() without a real hash to compare against. Login
    // calls it when the username does not exist, so an unknown user and a wrong password take
    // the same time and usernames cannot be enumerated by timing.
    void burn_equal_time(std::string_view password) const;

private:
    PasswordHashSettings settings_;
    std::unique_ptr<std::counting_semaphore<>> permits_;
    std::string dummy_hash_;
};

// Checks a new password against the policy, in this order (the first failure is returned):
//   1. longer than kPasswordBytesMax bytes;
//   2. not valid UTF-8;
//   3. fewer than kPasswordCharsMin code points;
//   4. equal to the username, or containing it, or contained in it, ignoring ASCII case
//      (containment only for usernames of kUsernameBytesMinForContainsRule bytes or more):
//      a password built around the username is the first thing an attacker tries;
//   5. on the embedded list of common passwords, ignoring ASCII case.
// Errors: ErrorCode::weak_password with a detail naming the rule that failed; the detail never
//   contains the password or the username.
// An empty username skips rule 4.
[[nodiscard]] Result<void> check_password_policy(std::string_view password,
                                                 std::string_view username);

}  // namespace gw::identity
