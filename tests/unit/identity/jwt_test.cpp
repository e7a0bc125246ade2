// Proves that JwtCodec accepts exactly the HS256 tokens it signed itself: round trips work
// (also for hand-built and libjwt-built HS256 tokens, the positive controls), while a wrong key
// or issuer, any changed character, alg "none" in every spelling, HS384/HS512 signed with the
// same key, missing or mistyped claims, garbage and oversized input all give unauthorized, and
// expiry (exp <= now) gives token_expired only once the signature checked out. Tokens are
// built by hand with libsodium and with libjwt, the way an attacker would.

#include "identity/jwt.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <jwt.h>
#include <sodium.h>

namespace gw::identity {
namespace {

constexpr std::string_view kKeyHex =
    "c0ffee00c0ffee01c0ffee02c0ffee03c0ffee04c0ffee05c0ffee06c0ffee07";
constexpr std::int64_t kIssuedAt = 1'700'000'000;
constexpr std::int64_t kExpiresAt = kIssuedAt + 900;
constexpr std::int64_t kNow = kIssuedAt + 60;
constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::string_view kExpBeyondInt64 =
    R"({"exp":18446744073709551615,"iat":1,"iss":"goldwallet","role":"user","sid":"s","sub":"u"})";
constexpr std::string_view kGoodPayload =
    R"({"exp":1700000900,"iat":1700000000,"iss":"goldwallet","role":"user","sid":"session-1",)"
    R"("sub":"user-1"})";

SecretKey test_key() {
    return SecretKey::from_hex(kKeyHex).value();
}

AccessClaims sample_claims() {
    return {"user-1", "user", "session-1", kIssuedAt, kExpiresAt};
}

const JwtCodec& codec() {
    static const JwtCodec instance(test_key());
    return instance;
}

std::string base64url(std::string_view bytes) {
    std::string out(
        sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(),
                      out.size(),
                      reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return out;
}

std::string hs256(std::string_view signing_input) {
    const SecretKey key = test_key();
    std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256(reinterpret_cast<unsigned char*>(mac.data()),
                           reinterpret_cast<const unsigned char*>(signing_input.data()),
                           signing_input.size(),
                           key.data());
    return mac;
}

// header.payload.signature with an HS256 signature under the test key, whatever the header says.
std::string craft_hs256(std::string_view header_json, std::string_view payload_json) {
    const std::string input = base64url(header_json) + "." + base64url(payload_json);
    return input + "." + base64url(hs256(input));
}

// A token built by libjwt with `alg` and the test key, carrying exactly `claims_json`.
std::string craft_with_libjwt(jwt_alg_t alg, std::string_view claims_json) {
    jwt_t* raw = nullptr;
    EXPECT_EQ(jwt_new(&raw), 0);
    std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, &jwt_free);
    const SecretKey key = test_key();
    EXPECT_EQ(jwt_set_alg(jwt.get(), alg, key.data(), static_cast<int>(key.size())), 0);
    EXPECT_EQ(jwt_add_grants_json(jwt.get(), std::string(claims_json).c_str()), 0);
    char* text = jwt_encode_str(jwt.get());
    EXPECT_NE(text, nullptr);
    std::string token = text != nullptr ? std::string(text) : std::string();
    std::free(text);  // NOLINT(cppcoreguidelines-no-malloc): libjwt's strings come from malloc
    return token;
}

std::string code_of(const Result<AccessClaims>& result) {
    return result.has_value() ? "ok" : std::string(to_string(result.error().code));
}

void expect_unauthorized(std::string_view token, const JwtCodec& verifier = codec()) {
    Result<AccessClaims> result = verifier.verify(token, kNow);
    ASSERT_FALSE(result.has_value()) << token;
    EXPECT_EQ(code_of(result), "unauthorized") << token;
    EXPECT_EQ(result.error().detail, "invalid access token");
}

// ---- what must be accepted ----

TEST(JwtCodec, RoundTrip) {
    const std::string token = codec().sign(sample_claims());
    Result<AccessClaims> claims = codec().verify(token, kNow);
    ASSERT_TRUE(claims.has_value()) << claims.error().detail;
    EXPECT_EQ(*claims, sample_claims());
}

TEST(JwtCodec, RoundTripEscapesAwkwardClaimText) {
    AccessClaims claims = sample_claims();
    claims.user_id = "ünï\"cødé\\ \u2028 user";
    claims.session_id = std::string(200, 's');
    Result<AccessClaims> back = codec().verify(codec().sign(claims), kNow);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, claims);
}

TEST(JwtCodec, SignedTokenIsCompactHs256) {
    const std::string token = codec().sign(sample_claims());
    ASSERT_EQ(std::count(token.begin(), token.end(), '.'), 2);
    EXPECT_EQ(token.substr(0, token.find('.')), base64url(kHs256Header));
}

TEST(JwtCodec, AcceptsHandBuiltAndLibjwtBuiltHs256Tokens) {
    // Positive controls: the crafting helpers below make valid tokens when asked to.
    EXPECT_EQ(code_of(codec().verify(craft_hs256(kHs256Header, kGoodPayload), kNow)), "ok");
    EXPECT_EQ(code_of(codec().verify(craft_with_libjwt(JWT_ALG_HS256, kGoodPayload), kNow)), "ok");
}

// ---- keys, issuers and tampering ----

TEST(JwtCodec, RejectsAnotherKey) {
    JwtCodec other(SecretKey::random());
    expect_unauthorized(other.sign(sample_claims()));
    expect_unauthorized(codec().sign(sample_claims()), other);
}

TEST(JwtCodec, RejectsAnotherIssuer) {
    JwtCodec same_key_other_issuer(test_key(), "someone-else");
    expect_unauthorized(same_key_other_issuer.sign(sample_claims()));
    expect_unauthorized(codec().sign(sample_claims()), same_key_other_issuer);
}

TEST(JwtCodec, RejectsTamperedPayload) {
    const std::string token = codec().sign(sample_claims());
    const std::size_t first = token.find('.');
    const std::size_t second = token.find('.', first + 1);
    const std::string admin_payload =
        std::string(kGoodPayload)
            .replace(std::string(kGoodPayload).find(R"("role":"user")"), 13, R"("role":"admin")");
    expect_unauthorized(token.substr(0, first + 1) + base64url(admin_payload) +
                        token.substr(second));
}

TEST(JwtCodec, RejectsEverySingleCharacterChange) {
    const std::string token = codec().sign(sample_claims());
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '.') {
            continue;
        }
        std::string changed = token;
        changed[i] = token[i] == 'A' ? 'B' : 'A';
        expect_unauthorized(changed);
    }
}

// ---- algorithms ----

TEST(JwtCodec, RejectsAlgNoneWithAndWithoutTrailingDot) {
    for (std::string_view header : {R"({"alg":"none","typ":"JWT"})",
                                    R"({"alg":"none"})",
                                    R"({"alg":"None","typ":"JWT"})",
                                    R"({"alg":"NONE"})"}) {
        const std::string unsigned_token = base64url(header) + "." + base64url(kGoodPayload);
        expect_unauthorized(unsigned_token + ".");
        expect_unauthorized(unsigned_token);
        // Even with a correct HMAC over it, "none" is not HS256.
        expect_unauthorized(craft_hs256(header, kGoodPayload));
    }
}

TEST(JwtCodec, RejectsOtherHmacAlgorithmsSignedWithTheSameKey) {
    expect_unauthorized(craft_with_libjwt(JWT_ALG_HS384, kGoodPayload));
    expect_unauthorized(craft_with_libjwt(JWT_ALG_HS512, kGoodPayload));
    // A header that claims HS512 over a valid HS256 signature.
    expect_unauthorized(craft_hs256(R"({"alg":"HS512","typ":"JWT"})", kGoodPayload));
    expect_unauthorized(craft_hs256(R"({"alg":"RS256","typ":"JWT"})", kGoodPayload));
    expect_unauthorized(craft_hs256(R"({"typ":"JWT"})", kGoodPayload));
    expect_unauthorized(craft_hs256(R"({"alg":"hs256","typ":"JWT"})", kGoodPayload));
    expect_unauthorized(craft_hs256(R"({"alg":["HS256"],"typ":"JWT"})", kGoodPayload));
}

// ---- expiry ----

TEST(JwtCodec, ExpiredAtAndAfterExp) {
    AccessClaims claims = sample_claims();
    claims.expires_at = kNow;
    EXPECT_EQ(code_of(codec().verify(codec().sign(claims), kNow)), "token_expired");
    claims.expires_at = kNow - 1;
    EXPECT_EQ(code_of(codec().verify(codec().sign(claims), kNow)), "token_expired");
    claims.expires_at = kNow + 1;
    EXPECT_EQ(code_of(codec().verify(codec().sign(claims), kNow)), "ok");
}

TEST(JwtCodec, ExpiryIsReportedOnlyForGenuineTokens) {
    AccessClaims claims = sample_claims();
    claims.expires_at = kNow - 1000;
    JwtCodec other(SecretKey::random());
    expect_unauthorized(other.sign(claims));
    std::string forged = codec().sign(claims);
    forged.back() = forged.back() == 'A' ? 'B' : 'A';
    expect_unauthorized(forged);
}

// ---- claims ----

TEST(JwtCodec, RejectsMissingOrMistypedClaims) {
    const std::string_view iss = R"("iss":"goldwallet")";
    const std::string_view times = R"("iat":1700000000,"exp":1700000900)";
    const std::string who = R"("sub":"user-1","role":"user","sid":"session-1")";
    const std::vector<std::string> bad_claims = {
        "{" + std::string(iss) + "," + std::string(times) + R"(,"sub":"user-1","role":"user"})",
        "{" + std::string(iss) + "," + std::string(times) + R"(,"role":"user","sid":"s-1"})",
        "{" + std::string(iss) + "," + std::string(times) + R"(,"sub":"user-1","sid":"s-1"})",
        "{" + std::string(times) + "," + who + "}",
        "{" + std::string(iss) + R"(,"exp":1700000900,)" + who + "}",
        "{" + std::string(iss) + R"(,"iat":1700000000,)" + who + "}",
        "{" + std::string(iss) + "," + std::string(times) + R"(,"sub":"","role":"user","sid":"s"})",
        "{" + std::string(iss) + "," + std::string(times) + R"(,"sub":"u","role":"user","sid":7})",
        "{" + std::string(iss) + "," + std::string(times) + R"(,"sub":1,"role":"user","sid":"s"})",
        "{" + std::string(iss) + R"(,"iat":1700000000,"exp":"1700000900",)" + who + "}",
        "{" + std::string(iss) + R"(,"iat":1700000000,"exp":1.7000009e9,)" + who + "}",
        "{" + std::string(iss) + R"(,"iat":true,"exp":1700000900,)" + who + "}",
        "{" + std::string(iss) + R"(,"iat":1700000000,"exp":null,)" + who + "}",
        R"({"iss":7,)" + std::string(times) + "," + who + "}",
        R"({"iss":"goldwallet2",)" + std::string(times) + "," + who + "}",
    };
    for (const std::string& claims : bad_claims) {
        SCOPED_TRACE(claims);
        expect_unauthorized(craft_with_libjwt(JWT_ALG_HS256, claims));
        expect_unauthorized(craft_hs256(kHs256Header, claims));
    }
    // Payloads that are not a JSON object at all, or have an exp beyond int64.
    for (std::string_view payload : {"[]", "\"text\"", "not json", "", "{", R"({"exp":1e999})"}) {
        expect_unauthorized(craft_hs256(kHs256Header, payload));
    }
    expect_unauthorized(craft_hs256(kHs256Header, kExpBeyondInt64));
}

// ---- garbage and limits ----

TEST(JwtCodec, RejectsGarbage) {
    const std::string token = codec().sign(sample_claims());
    for (const std::string& text : std::vector<std::string>{
             "",
             "abc",
             ".",
             "..",
             "...",
             "a.b",
             "a.b.c",
             "a..c",
             ".b.c",
             "a.b.",
             "..c",
             "Bearer " + token,
             token + " ",
             " " + token,
             token + "=",
             token + ".",
             token + ".x",
             token + "\n",
             std::string(token).insert(10, 1, '\0'),
             "ey\xc3\xa9.e30.abc",
             base64url(kHs256Header) + ".." + base64url(hs256(base64url(kHs256Header) + "."))}) {
        expect_unauthorized(text);
    }
    expect_unauthorized(std::string(5000, 'a'));
    expect_unauthorized(std::string(5000, '.'));
}

TEST(JwtCodec, LengthLimitIsInclusive) {
    // Grow the subject until the signed token is exactly kTokenBytesMax, then one byte more.
    std::string at_max;
    std::string over_max;
    for (std::size_t length = 2900; length < 3200 && (at_max.empty() || over_max.empty());
         ++length) {
        AccessClaims claims = sample_claims();
        claims.user_id = std::string(length, 'u');
        const std::string token = codec().sign(claims);
        if (token.size() == JwtCodec::kTokenBytesMax) {
            at_max = token;
        } else if (token.size() == JwtCodec::kTokenBytesMax + 1) {
            over_max = token;
        }
    }
    ASSERT_FALSE(at_max.empty());
    ASSERT_FALSE(over_max.empty());
    EXPECT_EQ(code_of(codec().verify(at_max, kNow)), "ok");
    expect_unauthorized(over_max);
}

TEST(JwtCodec, ConcurrentSignAndVerify) {
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (std::size_t t = 0; t < failures.size(); ++t) {
        threads.emplace_back([&failures, t] {
            for (int i = 0; i < 200; ++i) {
                AccessClaims claims = sample_claims();
                claims.session_id = "s-" + std::to_string(t) + "-" + std::to_string(i);
                Result<AccessClaims> back = codec().verify(codec().sign(claims), kNow);
                if (!back.has_value() || *back != claims) {
                    ++failures[t];
                }
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(JwtCodecDeathTest, SigningEmptyClaimsIsAProgrammingError) {
    AccessClaims claims = sample_claims();
    claims.session_id.clear();
    EXPECT_DEATH((void)codec().sign(claims), "sid");
}

}  // namespace
}  // namespace gw::identity
