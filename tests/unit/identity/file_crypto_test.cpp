// Proves that encrypt_file/decrypt_file round-trip files of every size around the 64 KiB chunk
// boundary (0, 1, 65535, 65536, 65537, 131072 and 300000 bytes) with the documented layout, and
// that decryption refuses a changed byte anywhere, truncation (mid-chunk and at a chunk
// boundary, where only the missing FINAL tag reveals it), reordered chunks, bytes appended after
// FINAL, and a wrong or wrongly sized key.

#include "identity/file_crypto.hpp"

#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <sodium.h>

namespace gw::identity {
namespace {

constexpr std::size_t kHeader = 24;
constexpr std::size_t kOverhead = 17;
constexpr std::size_t kCipherChunk = kFileChunkBytes + kOverhead;

// Deterministic pseudo-random content (seeded), so failures reproduce.
std::string content(std::size_t bytes, unsigned seed = 42) {
    std::mt19937 generator(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    std::string out(bytes, '\0');
    for (char& c : out) {
        c = static_cast<char>(byte(generator));
    }
    return out;
}

std::size_t expected_cipher_bytes(std::size_t plain_bytes) {
    const std::size_t chunks =
        plain_bytes == 0 ? 1 : (plain_bytes + kFileChunkBytes - 1) / kFileChunkBytes;
    return kHeader + plain_bytes + chunks * kOverhead;
}

std::string flipped(std::string text, std::size_t at) {
    text[at] = static_cast<char>(text[at] ^ 0x01);
    return text;
}

class FileCryptoSizes : public ::testing::TestWithParam<std::size_t> {};

TEST_P(FileCryptoSizes, RoundTripsWithTheDocumentedLayout) {
    const std::string plain = content(GetParam());
    const EncryptedFile file = encrypt_file(plain);
    EXPECT_EQ(file.file_key.size(), kFileKeyBytes);
    EXPECT_EQ(file.ciphertext.size(), expected_cipher_bytes(plain.size()));
    EXPECT_EQ(decrypt_file(file.ciphertext, file.file_key), plain);
}

INSTANTIATE_TEST_SUITE_P(AroundTheChunkBoundary,
                         FileCryptoSizes,
                         ::testing::Values(0, 1, 65535, 65536, 65537, 131072, 300000));

TEST(FileCrypto, EveryFileGetsItsOwnKey) {
    const std::string plain = content(1000);
    const EncryptedFile a = encrypt_file(plain);
    const EncryptedFile b = encrypt_file(plain);
    EXPECT_NE(a.file_key, b.file_key);
    EXPECT_NE(a.ciphertext, b.ciphertext);
    EXPECT_EQ(decrypt_file(a.ciphertext, b.file_key), std::nullopt);
    EXPECT_EQ(decrypt_file(b.ciphertext, b.file_key), plain);
}

TEST(FileCrypto, ChangingAnyByteOfASmallFileFails) {
    const EncryptedFile file = encrypt_file("x");
    ASSERT_EQ(file.ciphertext.size(), kHeader + 1 + kOverhead);
    for (std::size_t i = 0; i < file.ciphertext.size(); ++i) {
        EXPECT_EQ(decrypt_file(flipped(file.ciphertext, i), file.file_key), std::nullopt) << i;
    }
}

TEST(FileCrypto, ChangingBytesOfALargeFileFails) {
    const EncryptedFile file = encrypt_file(content(300000));
    const std::size_t size = file.ciphertext.size();
    for (std::size_t at : {std::size_t{0},
                           kHeader - 1,
                           kHeader,
                           kHeader + 1,
                           kHeader + kCipherChunk - 1,
                           kHeader + kCipherChunk,
                           kHeader + 2 * kCipherChunk + 1000,
                           size / 2,
                           size - kOverhead,
                           size - 1}) {
        EXPECT_EQ(decrypt_file(flipped(file.ciphertext, at), file.file_key), std::nullopt) << at;
    }
}

TEST(FileCrypto, TruncationFails) {
    const EncryptedFile file = encrypt_file(content(300000));
    const std::string& c = file.ciphertext;
    // 300000 bytes = 4 full chunks + a FINAL chunk of 37856 bytes.
    for (std::size_t keep : {std::size_t{0},
                             std::size_t{1},
                             kHeader - 1,
                             kHeader,
                             kHeader + 1,
                             kHeader + kCipherChunk,      // one whole chunk, no FINAL
                             kHeader + 4 * kCipherChunk,  // every full chunk, FINAL dropped
                             kHeader + 4 * kCipherChunk + kOverhead,
                             c.size() - 1}) {
        EXPECT_EQ(decrypt_file(std::string_view(c).substr(0, keep), file.file_key), std::nullopt)
            << "kept " << keep;
    }
}

TEST(FileCrypto, TruncationAtAChunkBoundaryIsCaughtByTheMissingFinalTag) {
    // Two full chunks: cutting the second leaves a first chunk that authenticates on its own.
    const EncryptedFile file = encrypt_file(content(2 * kFileChunkBytes));
    ASSERT_EQ(file.ciphertext.size(), kHeader + 2 * kCipherChunk);
    EXPECT_EQ(decrypt_file(std::string_view(file.ciphertext).substr(0, kHeader + kCipherChunk),
                           file.file_key),
              std::nullopt);
}

TEST(FileCrypto, EmptyFileCannotBeTruncatedToItsHeader) {
    const EncryptedFile file = encrypt_file("");
    ASSERT_EQ(file.ciphertext.size(), kHeader + kOverhead);
    EXPECT_EQ(decrypt_file(file.ciphertext, file.file_key), std::string());
    EXPECT_EQ(decrypt_file(file.ciphertext.substr(0, kHeader), file.file_key), std::nullopt);
}

TEST(FileCrypto, ReorderedChunksFail) {
    const EncryptedFile file = encrypt_file(content(3 * kFileChunkBytes + 10));
    const std::string& c = file.ciphertext;
    const std::string swapped =
        c.substr(0, kHeader) + c.substr(kHeader + kCipherChunk, kCipherChunk) +
        c.substr(kHeader, kCipherChunk) + c.substr(kHeader + 2 * kCipherChunk);
    ASSERT_EQ(swapped.size(), c.size());
    EXPECT_EQ(decrypt_file(swapped, file.file_key), std::nullopt);
}

TEST(FileCrypto, BytesAfterFinalFail) {
    const EncryptedFile file = encrypt_file(content(70000));
    EXPECT_EQ(decrypt_file(file.ciphertext + std::string(1, '\0'), file.file_key), std::nullopt);
    // A whole extra chunk: the FINAL chunk repeated.
    const std::string last_chunk = file.ciphertext.substr(kHeader + kCipherChunk);
    EXPECT_EQ(decrypt_file(file.ciphertext + last_chunk, file.file_key), std::nullopt);
    // Another file's chunks glued on.
    const EncryptedFile other = encrypt_file("tail");
    EXPECT_EQ(decrypt_file(file.ciphertext + other.ciphertext.substr(kHeader), file.file_key),
              std::nullopt);
}

TEST(FileCrypto, WrongOrMalformedKeyFails) {
    const std::string plain = content(5000);
    const EncryptedFile file = encrypt_file(plain);
    std::string random_key(kFileKeyBytes, '\0');
    randombytes_buf(random_key.data(), random_key.size());
    EXPECT_EQ(decrypt_file(file.ciphertext, random_key), std::nullopt);
    EXPECT_EQ(decrypt_file(file.ciphertext, flipped(file.file_key, 31)), std::nullopt);
    EXPECT_EQ(decrypt_file(file.ciphertext, file.file_key.substr(0, 31)), std::nullopt);
    EXPECT_EQ(decrypt_file(file.ciphertext, file.file_key + "x"), std::nullopt);
    EXPECT_EQ(decrypt_file(file.ciphertext, ""), std::nullopt);
    EXPECT_EQ(decrypt_file(file.ciphertext, file.file_key), plain);
}

TEST(FileCrypto, CiphertextContainsNoPlaintext) {
    const std::string plain(200000, 'K');  // maximally repetitive: any leak would show
    const EncryptedFile file = encrypt_file(plain);
    EXPECT_EQ(file.ciphertext.find(std::string(16, 'K')), std::string::npos);
}

}  // namespace
}  // namespace gw::identity
