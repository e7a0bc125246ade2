// Proves that PasswordHasher stores salted Argon2id hashes that verify only the right
// password, reports hashes made with other settings as needing a re-hash, and that
// burn_equal_time costs about what a real failed verify costs; and that check_password_policy
// enforces each documented rule (code points not bytes, 1024-byte cap, username, common list)
// in the documented order with ErrorCode::weak_password and a detail that never echoes the
// password. Most tests use libsodium's minimum cost; one uses the production defaults.

#include "identity/password.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "identity/common_passwords.hpp"

namespace gw::identity {
namespace {

constexpr PasswordHashSettings kCheap{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

const PasswordHasher& cheap_hasher() {
    static const PasswordHasher hasher(kCheap);
    return hasher;
}

// The detail of a policy failure, or "<ok>" when the password passed.
std::string policy_detail(std::string_view password, std::string_view username = "") {
    Result<void> result = check_password_policy(password, username);
    if (result.has_value()) {
        return "<ok>";
    }
    EXPECT_EQ(to_string(result.error().code), "weak_password");
    if (password.size() >= kPasswordCharsMin) {  // shorter ones may be words of the detail
        EXPECT_EQ(result.error().detail.find(password), std::string::npos) << "echoes password";
    }
    return result.error().detail;
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

std::string repeat(std::string_view unit, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) {
        out.append(unit);
    }
    return out;
}

// ---- hashing ----

TEST(PasswordHasher, HashIsArgon2idWithTheConfiguredCost) {
    const std::string hash = cheap_hasher().hash("correct horse battery staple");
    EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$")) << hash;
    EXPECT_LT(hash.size(), crypto_pwhash_STRBYTES);
}

TEST(PasswordHasher, VerifiesOnlyTheRightPassword) {
    const PasswordHasher& hasher = cheap_hasher();
    const std::string hash = hasher.hash("correct horse battery staple");
    EXPECT_TRUE(hasher.verify(hash, "correct horse battery staple"));
    EXPECT_FALSE(hasher.verify(hash, "correct horse battery stapl"));
    EXPECT_FALSE(hasher.verify(hash, "Correct horse battery staple"));
    EXPECT_FALSE(hasher.verify(hash, ""));
    EXPECT_FALSE(hasher.verify(hash, std::string_view("correct horse battery staple\0", 29)));
}

TEST(PasswordHasher, SaltsEveryHash) {
    const PasswordHasher& hasher = cheap_hasher();
    const std::string a = hasher.hash("same password here");
    const std::string b = hasher.hash("same password here");
    EXPECT_NE(a, b);
    EXPECT_TRUE(hasher.verify(a, "same password here"));
    EXPECT_TRUE(hasher.verify(b, "same password here"));
}

TEST(PasswordHasher, HandlesEmptyAndMultibytePasswords) {
    const PasswordHasher& hasher = cheap_hasher();
    EXPECT_TRUE(hasher.verify(hasher.hash(""), ""));
    EXPECT_TRUE(hasher.verify(hasher.hash("ñandú-🔑-пароль"), "ñandú-🔑-пароль"));
}

TEST(PasswordHasher, MalformedStoredHashesNeverVerify) {
    const PasswordHasher& hasher = cheap_hasher();
    const std::string good = hasher.hash("a real password");
    std::vector<std::string> malformed = {
        "",
        "garbage",
        "$argon2id$",
        good.substr(0, good.size() - 5),
        "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5Yq3Qp9zTQ3ZbFvOAKEZ6DoIMzkWRqK",  // bcrypt
        good + std::string("\0", 1),
        good + std::string(crypto_pwhash_STRBYTES, 'A'),
    };
    // Some truncations leave only zero bits over and still parse as base64; all must be refused.
    for (std::size_t cut = 1; cut <= 12; ++cut) {
        malformed.push_back(good.substr(0, good.size() - cut));
    }
    for (const std::string& stored : malformed) {
        EXPECT_FALSE(hasher.verify(stored, "a real password")) << stored;
        EXPECT_TRUE(hasher.needs_rehash(stored)) << stored;
    }
}

TEST(PasswordHasher, NeedsRehashWhenSettingsChange) {
    const PasswordHasher& cheap = cheap_hasher();
    const std::string hash = cheap.hash("a real password");
    EXPECT_FALSE(cheap.needs_rehash(hash));
    PasswordHasher stronger(
        {.ops_limit = crypto_pwhash_OPSLIMIT_MIN + 1, .memory_bytes = crypto_pwhash_MEMLIMIT_MIN});
    EXPECT_TRUE(stronger.needs_rehash(hash));
    EXPECT_TRUE(stronger.verify(hash, "a real password")) << "old hashes still verify";
    EXPECT_FALSE(stronger.needs_rehash(stronger.hash("a real password")));
}

TEST(PasswordHasher, BurnEqualTimeRunsWithoutAUser) {
    const PasswordHasher& hasher = cheap_hasher();
    hasher.burn_equal_time("whatever");
    hasher.burn_equal_time("");
    SUCCEED();
}

// Microseconds of the fastest of `runs` calls of `fn`; the minimum filters out scheduling noise.
template <typename Fn>
std::int64_t fastest_us(int runs, Fn fn) {
    std::int64_t best = -1;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        fn();
        const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - start);
        if (best < 0 || elapsed.count() < best) {
            best = elapsed.count();
        }
    }
    return best;
}

TEST(PasswordHasher, DefaultSettingsAndEqualTimeForUnknownUsers) {
    const PasswordHasher hasher;  // production defaults: Argon2id, 2 passes, 64 MiB
    const std::string hash = hasher.hash("production strength password");
    EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << hash;
    EXPECT_TRUE(hasher.verify(hash, "production strength password"));
    EXPECT_FALSE(hasher.needs_rehash(hash));
    EXPECT_TRUE(hasher.needs_rehash(cheap_hasher().hash("x")));

    const std::int64_t wrong_password_us =
        fastest_us(3, [&] { EXPECT_FALSE(hasher.verify(hash, "wrong password!")); });
    const std::int64_t unknown_user_us = fastest_us(3, [&] { hasher.burn_equal_time("wrong!"); });
    // Both run one Argon2id with the same parameters; generous bounds keep this stable on a
    // busy machine while still catching a burn_equal_time that does no work.
    EXPECT_GT(unknown_user_us * 3, wrong_password_us);
    EXPECT_GT(wrong_password_us * 3, unknown_user_us);
}

// ---- policy ----

TEST(PasswordPolicy, CountsCodePointsNotBytes) {
    EXPECT_TRUE(contains(policy_detail("tr0ub4dor"), "at least 10 characters"));  // 9
    EXPECT_EQ(policy_detail("tr0ub4dor&"), "<ok>");                               // 10
    EXPECT_TRUE(contains(policy_detail(repeat("ñ", 9)), "at least 10"));  // 9 chars, 18 bytes
    EXPECT_EQ(policy_detail(repeat("ñ", 10)), "<ok>");
    EXPECT_TRUE(contains(policy_detail(repeat("🔑", 9)), "at least 10"));  // 36 bytes
    EXPECT_EQ(policy_detail(repeat("🔑", 10)), "<ok>");
    EXPECT_EQ(policy_detail("пароль-мой"), "<ok>");  // 10 Cyrillic and ASCII characters
    EXPECT_TRUE(contains(policy_detail(""), "at least 10"));
}

TEST(PasswordPolicy, RejectsInvalidUtf8) {
    for (std::string_view bad : {std::string_view("\xff\xfe abcdefghijk"),
                                 std::string_view("abcdefghij\xc0\xaf"),          // overlong '/'
                                 std::string_view("abcdefghij\xed\xa0\x80"),      // surrogate
                                 std::string_view("abcdefghij\xf4\x90\x80\x80"),  // > U+10FFFF
                                 std::string_view("abcdefghij\xe2\x82"),          // truncated
                                 std::string_view("abcdefghij\x80")}) {  // stray continuation
        EXPECT_TRUE(contains(policy_detail(bad), "valid UTF-8")) << bad.size();
    }
}

TEST(PasswordPolicy, ByteLimitIsInclusive) {
    const std::string at_max = repeat("Kx7-", 256);
    ASSERT_EQ(at_max.size(), kPasswordBytesMax);
    EXPECT_EQ(policy_detail(at_max), "<ok>");
    EXPECT_TRUE(contains(policy_detail(at_max + "q"), "at most 1024 bytes"));
    // The cap is on bytes: 342 three-byte characters are 1026 bytes.
    EXPECT_TRUE(contains(policy_detail(repeat("€", 342)), "at most 1024 bytes"));
    EXPECT_EQ(policy_detail(repeat("€", 341)), "<ok>");
}

TEST(PasswordPolicy, RefusesTheUsernameInAnyCase) {
    EXPECT_TRUE(contains(policy_detail("JohnKamau21", "johnkamau21"), "username"));
    EXPECT_TRUE(contains(policy_detail("johnkamau21", "JohnKamau21"), "username"));
    EXPECT_TRUE(contains(policy_detail("JOHNKAMAU21", "JohnKamau21"), "username"));
}

TEST(PasswordPolicy, RefusesPasswordsBuiltAroundTheUsername) {
    EXPECT_TRUE(contains(policy_detail("Wanjiku2024!", "wanjiku"), "username"));
    EXPECT_TRUE(contains(policy_detail("my-WANJIKU-pass", "Wanjiku"), "username"));
    EXPECT_TRUE(contains(policy_detail("kamau_1990", "mwangi_kamau_1990"), "username"));
    // Usernames under 4 bytes are only compared for equality, or "al" would ban half the
    // dictionary.
    EXPECT_EQ(policy_detail("totally-fine-pass", "al"), "<ok>");
    EXPECT_EQ(policy_detail("totally-fine-pass", ""), "<ok>");
    EXPECT_EQ(policy_detail("totally-fine-pass", "wanjiku"), "<ok>");
}

TEST(PasswordPolicy, RefusesCommonPasswordsInAnyCase) {
    EXPECT_TRUE(contains(policy_detail("PassWord123"), "too common"));
    EXPECT_TRUE(contains(policy_detail("QWERTYUIOP"), "too common"));
    EXPECT_TRUE(contains(policy_detail("1234567890"), "too common"));
    EXPECT_TRUE(contains(policy_detail("Basketball"), "too common"));
    EXPECT_EQ(policy_detail("Basketball7"), "<ok>");
}

TEST(PasswordPolicy, RulesApplyInTheDocumentedOrder) {
    // Too long beats everything else.
    EXPECT_TRUE(contains(policy_detail(repeat("password", 129), "password"), "at most"));
    // Too short beats username and common list.
    EXPECT_TRUE(contains(policy_detail("password", "password"), "at least 10"));
    // The username rule beats the common list.
    EXPECT_TRUE(contains(policy_detail("password123", "password123"), "username"));
}

TEST(CommonPasswords, EmbeddedListEqualsTheReviewedTextFile) {
    std::ifstream file(std::string(GW_SOURCE_DIR) + "/src/identity/common_passwords.txt");
    ASSERT_TRUE(file.is_open());
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);) {
        lines.push_back(line);
    }
    for (const std::string& line : lines) {
        EXPECT_FALSE(line.empty());
        EXPECT_FALSE(std::any_of(line.begin(), line.end(), [](char c) {
            return c >= 'A' && c <= 'Z';
        })) << line;
    }
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    const auto embedded = common_passwords();
    ASSERT_EQ(embedded.size(), lines.size()) << "regenerate common_passwords.cpp";
    EXPECT_GE(embedded.size(), 1000U);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        EXPECT_EQ(embedded[i], lines[i]);
    }
    for (const std::string& line : lines) {
        EXPECT_TRUE(is_common_password(line)) << line;
    }
    EXPECT_FALSE(is_common_password("gold-wallet-unique-passphrase"));
}

}  // namespace
}  // namespace gw::identity
