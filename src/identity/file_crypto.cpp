#include "identity/file_crypto.hpp"

#include <algorithm>
#include <cstddef>
#include <string>

#include <sodium.h>

#include "core/assert.hpp"
#include "identity/secret_key.hpp"

namespace gw::identity {

namespace {

using StreamState = crypto_secretstream_xchacha20poly1305_state;

constexpr std::size_t kHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kChunkOverheadBytes = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t kCipherChunkBytes = kFileChunkBytes + kChunkOverheadBytes;
static_assert(kFileKeyBytes == crypto_secretstream_xchacha20poly1305_KEYBYTES);
static_assert(kHeaderBytes == 24 && kChunkOverheadBytes == 17);

const unsigned char* bytes_of(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* bytes_of(std::string& text) {
    return reinterpret_cast<unsigned char*>(text.data());
}

// Wipes the stream state (it holds the key) however the function using it returns.
class StateWiper {
public:
    explicit StateWiper(StreamState& state) : state_(state) {}
    StateWiper(const StateWiper&) = delete;
    StateWiper& operator=(const StateWiper&) = delete;
    ~StateWiper() { sodium_memzero(&state_, sizeof state_); }

private:
    StreamState& state_;
};

// Number of chunks for `plaintext_bytes`: at least one, so an empty file still has FINAL.
std::size_t chunk_count(std::size_t plaintext_bytes) {
    return std::max<std::size_t>(1, (plaintext_bytes + kFileChunkBytes - 1) / kFileChunkBytes);
}

}  // namespace

EncryptedFile encrypt_file(std::string_view plaintext) {
    ensure_sodium();
    EncryptedFile file;
    file.file_key.assign(kFileKeyBytes, '\0');
    crypto_secretstream_xchacha20poly1305_keygen(bytes_of(file.file_key));

    const std::size_t chunks = chunk_count(plaintext.size());
    file.ciphertext.assign(kHeaderBytes + plaintext.size() + chunks * kChunkOverheadBytes, '\0');
    unsigned char* out = bytes_of(file.ciphertext);

    StreamState state;
    StateWiper wiper(state);
    crypto_secretstream_xchacha20poly1305_init_push(&state, out, bytes_of(file.file_key));
    out += kHeaderBytes;
    for (std::size_t i = 0; i < chunks; ++i) {
        std::string_view chunk =
            plaintext.substr(std::min(plaintext.size(), i * kFileChunkBytes), kFileChunkBytes);
        const bool last = i + 1 == chunks;
        // NOLINTNEXTLINE(google-runtime-int): libsodium writes lengths as unsigned long long
        unsigned long long written = 0;
        crypto_secretstream_xchacha20poly1305_push(
            &state,
            out,
            &written,
            bytes_of(chunk),
            chunk.size(),
            nullptr,
            0,
            last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                 : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
        GW_ASSERT(written == chunk.size() + kChunkOverheadBytes, "a chunk grows by its overhead");
        out += written;
    }
    GW_ASSERT(out == bytes_of(file.ciphertext) + file.ciphertext.size(), "ciphertext is full");
    return file;
}

std::optional<std::string> decrypt_file(std::string_view ciphertext, std::string_view file_key) {
    if (file_key.size() != kFileKeyBytes || ciphertext.size() < kHeaderBytes) {
        return std::nullopt;
    }
    ensure_sodium();
    StreamState state;
    StateWiper wiper(state);
    if (crypto_secretstream_xchacha20poly1305_init_pull(
            &state, bytes_of(ciphertext), bytes_of(file_key)) != 0) {
        return std::nullopt;
    }
    std::string_view rest = ciphertext.substr(kHeaderBytes);
    std::string plaintext;
    plaintext.reserve(rest.size());
    std::string chunk(kFileChunkBytes, '\0');
    // Every chunk but the last is exactly kCipherChunkBytes, so chunk boundaries follow from
    // the length alone; a chunk shorter than its overhead fails authentication below.
    while (!rest.empty()) {
        std::string_view cipher_chunk = rest.substr(0, kCipherChunkBytes);
        rest.remove_prefix(cipher_chunk.size());
        // NOLINTNEXTLINE(google-runtime-int): libsodium writes lengths as unsigned long long
        unsigned long long chunk_bytes = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&state,
                                                       bytes_of(chunk),
                                                       &chunk_bytes,
                                                       &tag,
                                                       bytes_of(cipher_chunk),
                                                       cipher_chunk.size(),
                                                       nullptr,
                                                       0) != 0) {
            return std::nullopt;  // tampered, wrong key, reordered or cut mid-chunk
        }
        plaintext.append(chunk.data(), static_cast<std::size_t>(chunk_bytes));
        if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
            if (!rest.empty()) {
                return std::nullopt;  // bytes after FINAL: extended
            }
            return plaintext;
        }
    }
    return std::nullopt;  // no FINAL chunk: truncated at a chunk boundary
}

}  // namespace gw::identity
