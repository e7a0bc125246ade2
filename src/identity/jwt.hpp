#pragma once

// Short-lived access tokens (DESIGN §7): HS256 JWTs signed with the server's key, carrying the
// user, their role and the session they belong to. The session id lets logout and password
// changes revoke tokens before they expire (the session row is checked on every request).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "identity/secret_key.hpp"

namespace gw::identity {

// What an access token says. Times are Unix seconds.
struct AccessClaims {
    std::string user_id;          // "sub"
    std::string role;             // "role", e.g. "user", "admin" (identity/role.hpp)
    std::string session_id;       // "sid"
    std::int64_t issued_at = 0;   // "iat"
    std::int64_t expires_at = 0;  // "exp"

    friend bool operator==(const AccessClaims&, const AccessClaims&) = default;
};

// Signs and verifies access tokens with one HS256 key. Const after construction and safe to
// use from many threads at once.
class JwtCodec {
public:
    // Tokens longer than this are refused before any parsing.
    static constexpr std::size_t kTokenBytesMax = 4096;

    // Takes ownership of `key` (32 bytes, i.e. the full 256-bit strength HS256 can use).
    // REQUIRES: `issuer` is not empty and contains no NUL byte.
    explicit JwtCodec(SecretKey key, std::string issuer = "goldwallet");

    JwtCodec(const JwtCodec&) = delete;
    JwtCodec& operator=(const JwtCodec&) = delete;

    // Returns the compact HS256 JWT of `claims` with claims sub, role, sid, iat, exp and
    // iss = this codec's issuer. Throws std::bad_alloc / std::runtime_error only when libjwt
    // runs out of memory.
    // REQUIRES: user_id, role and session_id are non-empty and contain no NUL byte.
    std::string sign(const AccessClaims& claims) const;

    // Returns the claims of `token` when it is a compact JWS of at most kTokenBytesMax bytes
    // whose header says alg "HS256", whose signature is a valid HMAC-SHA256 under this codec's
    // key (compared in constant time), whose iss equals this codec's issuer, whose sub, role
    // and sid are non-empty strings and whose iat and exp are integers, and which has not
    // expired.
    // Errors: ErrorCode::token_expired when exp <= now_unix, reported only after everything
    //   else checked out (an attacker learns nothing from a forged token's exp);
    //   ErrorCode::unauthorized for everything else: empty, too long, garbage, alg "none" or
    //   any other alg (even correctly signed with this key), wrong key, changed bytes, another
    //   issuer, missing or mistyped claims. Details are generic and never echo the token.
    [[nodiscard]] Result<AccessClaims> verify(std::string_view token, std::int64_t now_unix) const;

private:
    bool signature_matches(std::string_view token) const;

    SecretKey key_;
    std::string issuer_;
};

}  // namespace gw::identity
