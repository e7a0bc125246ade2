#include "identity/jwt.hpp"

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <jwt.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "core/assert.hpp"

namespace gw::identity {

namespace {

// libjwt 1.10 takes and returns integer claims as `long`.
static_assert(sizeof(long) == sizeof(std::int64_t));  // NOLINT(google-runtime-int)

struct JwtFree {
    void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

// libjwt 1.10 has no jwt_free_str; the strings it returns come from malloc.
struct MallocFree {
    void operator()(char* text) const { std::free(text); }  // NOLINT(cppcoreguidelines-no-malloc)
};
using CString = std::unique_ptr<char, MallocFree>;

constexpr std::string_view kAlgorithm = "HS256";
constexpr std::size_t kSignatureBytes = crypto_auth_hmacsha256_BYTES;

Error unauthorized() {
    return make_error(ErrorCode::unauthorized, "invalid access token");
}

bool is_base64url_or_dot(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

// A compact JWS split at its two dots: what the signature covers, and the signature text.
struct CompactJws {
    std::string_view signing_input;  // header "." payload
    std::string_view signature;
};

// Returns the parts of `token` when it is three base64url segments joined by exactly two dots
// with a non-empty header and payload; nullopt otherwise.
std::optional<CompactJws> split_compact_jws(std::string_view token) {
    for (char c : token) {
        if (!is_base64url_or_dot(c)) {
            return std::nullopt;
        }
    }
    const std::size_t first = token.find('.');
    if (first == std::string_view::npos || first == 0) {
        return std::nullopt;
    }
    const std::size_t second = token.find('.', first + 1);
    if (second == std::string_view::npos || second == first + 1 ||
        token.find('.', second + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    return CompactJws{token.substr(0, second), token.substr(second + 1)};
}

void throw_on_failure(int status, const char* what) {
    if (status == ENOMEM) {
        throw std::bad_alloc();
    }
    if (status != 0) {
        throw std::runtime_error(what);
    }
}

std::optional<std::string> string_claim(const nlohmann::json& claims, const char* name) {
    auto found = claims.find(name);
    if (found == claims.end() || !found->is_string()) {
        return std::nullopt;
    }
    std::string value = found->get<std::string>();
    if (value.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> integer_claim(const nlohmann::json& claims, const char* name) {
    auto found = claims.find(name);
    if (found == claims.end() || !found->is_number_integer()) {
        return std::nullopt;  // absent, a string, a float such as 1.7e9, …
    }
    if (found->is_number_unsigned()) {
        const auto value = found->get<std::uint64_t>();
        if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return std::nullopt;
        }
        return static_cast<std::int64_t>(value);
    }
    return found->get<std::int64_t>();
}

// Reads and type-checks the claims of a decoded, signature-checked token.
Result<AccessClaims> read_claims(jwt_t* jwt, std::string_view issuer) {
    CString text(jwt_get_grants_json(jwt, nullptr));
    if (text == nullptr) {
        return unauthorized();
    }
    const nlohmann::json claims = nlohmann::json::parse(text.get(), nullptr, false);
    if (!claims.is_object()) {
        return unauthorized();
    }
    std::optional<std::string> iss = string_claim(claims, "iss");
    if (!iss.has_value() || *iss != issuer) {
        return unauthorized();
    }
    std::optional<std::string> sub = string_claim(claims, "sub");
    std::optional<std::string> role = string_claim(claims, "role");
    std::optional<std::string> sid = string_claim(claims, "sid");
    std::optional<std::int64_t> iat = integer_claim(claims, "iat");
    std::optional<std::int64_t> exp = integer_claim(claims, "exp");
    if (!sub || !role || !sid || !iat || !exp) {
        return unauthorized();
    }
    return AccessClaims{std::move(*sub), std::move(*role), std::move(*sid), *iat, *exp};
}

bool has_no_nul(std::string_view text) {
    return text.find('\0') == std::string_view::npos;
}

}  // namespace

JwtCodec::JwtCodec(SecretKey key, std::string issuer)
    : key_(std::move(key)), issuer_(std::move(issuer)) {
    GW_ASSERT(!issuer_.empty(), "a token issuer is configured");
    GW_ASSERT(has_no_nul(issuer_), "libjwt takes C strings");
}

std::string JwtCodec::sign(const AccessClaims& claims) const {
    GW_ASSERT(!claims.user_id.empty() && has_no_nul(claims.user_id), "sub is a C string");
    GW_ASSERT(!claims.role.empty() && has_no_nul(claims.role), "role is a C string");
    GW_ASSERT(!claims.session_id.empty() && has_no_nul(claims.session_id), "sid is a C string");
    jwt_t* raw = nullptr;
    throw_on_failure(jwt_new(&raw), "jwt_new failed");
    JwtPtr jwt(raw);
    throw_on_failure(
        jwt_set_alg(jwt.get(), JWT_ALG_HS256, key_.data(), static_cast<int>(SecretKey::kBytes)),
        "jwt_set_alg failed");
    throw_on_failure(jwt_add_grant(jwt.get(), "iss", issuer_.c_str()), "jwt_add_grant failed");
    throw_on_failure(jwt_add_grant(jwt.get(), "sub", claims.user_id.c_str()), "jwt_add_grant");
    throw_on_failure(jwt_add_grant(jwt.get(), "role", claims.role.c_str()), "jwt_add_grant");
    throw_on_failure(jwt_add_grant(jwt.get(), "sid", claims.session_id.c_str()), "jwt_add_grant");
    throw_on_failure(jwt_add_grant_int(jwt.get(), "iat", claims.issued_at), "jwt_add_grant_int");
    throw_on_failure(jwt_add_grant_int(jwt.get(), "exp", claims.expires_at), "jwt_add_grant_int");
    CString token(jwt_encode_str(jwt.get()));
    if (token == nullptr) {
        throw std::runtime_error("jwt_encode_str failed");
    }
    return std::string(token.get());
}

Result<AccessClaims> JwtCodec::verify(std::string_view token, std::int64_t now_unix) const {
    if (token.empty() || token.size() > kTokenBytesMax) {
        return unauthorized();
    }
    // Our own constant-time HS256 check comes first, so libjwt only ever parses tokens we
    // signed, and its own signature comparison (strcmp in some versions) is never an oracle.
    if (!signature_matches(token)) {
        return unauthorized();
    }
    const std::string text(token);  // libjwt wants a NUL-terminated string
    jwt_t* raw = nullptr;
    const int status =
        jwt_decode(&raw, text.c_str(), key_.data(), static_cast<int>(SecretKey::kBytes));
    JwtPtr jwt(raw);
    if (status != 0 || jwt == nullptr) {
        return unauthorized();
    }
    // Only HS256, whatever else libjwt would accept with this key ("none", HS384, HS512, …).
    const char* header_alg = jwt_get_header(jwt.get(), "alg");
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256 || header_alg == nullptr ||
        kAlgorithm != header_alg) {
        return unauthorized();
    }
    Result<AccessClaims> claims = read_claims(jwt.get(), issuer_);
    if (!claims.has_value()) {
        return claims;
    }
    if (claims->expires_at <= now_unix) {
        return make_error(ErrorCode::token_expired, "access token has expired");
    }
    return claims;
}

bool JwtCodec::signature_matches(std::string_view token) const {
    std::optional<CompactJws> jws = split_compact_jws(token);
    if (!jws.has_value()) {
        return false;
    }
    std::array<unsigned char, kSignatureBytes> given{};
    std::size_t given_bytes = 0;
    const char* end = nullptr;
    if (sodium_base642bin(given.data(),
                          given.size(),
                          jws->signature.data(),
                          jws->signature.size(),
                          nullptr,
                          &given_bytes,
                          &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        given_bytes != given.size() || end != jws->signature.data() + jws->signature.size()) {
        return false;  // empty ("alg":"none"), longer (HS384/HS512) or malformed signature
    }
    return crypto_auth_hmacsha256_verify(
               given.data(),
               reinterpret_cast<const unsigned char*>(jws->signing_input.data()),
               jws->signing_input.size(),
               key_.data()) == 0;
}

}  // namespace gw::identity
