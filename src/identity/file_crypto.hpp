#pragma once

// Encryption of KYC documents at rest (DESIGN §7): each file gets its own random key and is
// encrypted with libsodium secretstream (XChaCha20-Poly1305) in 64 KiB chunks. The file key is
// then sealed with FieldCipher under associated data "kyc-file:" + doc_id and stored in the
// database, never beside the file. All functions are safe to call from any thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gw::identity {

// Plaintext bytes per secretstream chunk; each chunk adds 17 bytes (tag byte + MAC).
inline constexpr std::size_t kFileChunkBytes = std::size_t{64} * 1024;
// Bytes of a file key.
inline constexpr std::size_t kFileKeyBytes = 32;

// An encrypted file and the key that opens it. `file_key` is secret: seal it with FieldCipher
// right away and let this value go out of scope; never log or store it in clear.
struct EncryptedFile {
    std::string ciphertext;
    std::string file_key;
};

// Returns `plaintext` encrypted under a fresh key:
// ciphertext = secretstream header (24 bytes) || chunk 1 || … || chunk n, every chunk holding
// kFileChunkBytes of plaintext except the last, which is tagged FINAL (an empty plaintext is a
// single empty FINAL chunk). Truncation, reordering and appending are therefore detectable.
// Never fails.
EncryptedFile encrypt_file(std::string_view plaintext);

// Returns the plaintext of `ciphertext` under `file_key`; nullopt when the key is not
// kFileKeyBytes long or is the wrong key, any byte was changed, chunks were dropped or
// reordered, the stream ends before its FINAL chunk (truncated), or bytes follow the FINAL
// chunk (extended).
std::optional<std::string> decrypt_file(std::string_view ciphertext, std::string_view file_key);

}  // namespace gw::identity
