#include "daraja-sim/security_credential.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daraja-sim/base64.hpp"

namespace gw::sim {
namespace {

struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
struct ContextFree {
    void operator()(EVP_PKEY_CTX* context) const { EVP_PKEY_CTX_free(context); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using ContextPtr = std::unique_ptr<EVP_PKEY_CTX, ContextFree>;

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const auto size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string private_key_pem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        throw std::runtime_error("daraja-sim: could not encode the RSA key as PEM");
    }
    return bio_text(bio.get());
}

// Writes `text` to a new file at `path` readable by its owner only.
void write_private_file(const std::filesystem::path& path, const std::string& text) {
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        throw std::runtime_error("daraja-sim: cannot create key file " + path.string());
    }
    const ssize_t written = ::write(fd, text.data(), text.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(text.size())) {
        throw std::runtime_error("daraja-sim: cannot write key file " + path.string());
    }
}

}  // namespace

RsaKey RsaKey::generate(int bits) {
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits));
    if (key == nullptr) {
        throw std::runtime_error("daraja-sim: RSA key generation failed");
    }
    return RsaKey(key);
}

RsaKey RsaKey::load_or_create(const std::filesystem::path& path, int bits) {
    if (!std::filesystem::exists(path)) {
        RsaKey key = generate(bits);
        write_private_file(path, private_key_pem(key.key_.get()));
        return key;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
        throw std::runtime_error("daraja-sim: cannot read key file " + path.string());
    }
    return from_pem(text.str());
}

RsaKey RsaKey::from_pem(std::string_view pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (key == nullptr) {
        BioPtr again(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
        key = PEM_read_bio_PUBKEY(again.get(), nullptr, nullptr, nullptr);
    }
    if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        throw std::runtime_error("daraja-sim: the key file holds no RSA key");
    }
    return RsaKey(key);
}

std::string RsaKey::public_key_pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
        throw std::runtime_error("daraja-sim: could not encode the public key");
    }
    return bio_text(bio.get());
}

std::string RsaKey::encrypt_credential(std::string_view password) const {
    ContextPtr context(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    std::size_t size = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(password.data());
    if (!context || EVP_PKEY_encrypt_init(context.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(context.get(), RSA_PKCS1_PADDING) != 1 ||
        EVP_PKEY_encrypt(context.get(), nullptr, &size, in, password.size()) != 1) {
        throw std::runtime_error("daraja-sim: RSA encryption setup failed");
    }
    std::vector<unsigned char> out(size);
    if (EVP_PKEY_encrypt(context.get(), out.data(), &size, in, password.size()) != 1) {
        throw std::runtime_error("daraja-sim: RSA encryption failed");
    }
    return base64_encode(std::string_view(reinterpret_cast<const char*>(out.data()), size));
}

std::optional<std::string> RsaKey::decrypt_credential(std::string_view credential) const {
    const std::optional<std::string> cipher = base64_decode(credential);
    if (!cipher || cipher->empty()) {
        return std::nullopt;
    }
    ContextPtr context(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    std::size_t size = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(cipher->data());
    if (!context || EVP_PKEY_decrypt_init(context.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(context.get(), RSA_PKCS1_PADDING) != 1 ||
        EVP_PKEY_decrypt(context.get(), nullptr, &size, in, cipher->size()) != 1) {
        ERR_clear_error();  // a wrong credential is an expected outcome, not a stuck error
        return std::nullopt;
    }
    std::vector<unsigned char> out(size);
    if (EVP_PKEY_decrypt(context.get(), out.data(), &size, in, cipher->size()) != 1) {
        ERR_clear_error();
        return std::nullopt;
    }
    return std::string(reinterpret_cast<const char*>(out.data()), size);
}

bool RsaKey::credential_matches(std::string_view credential, std::string_view password) const {
    const std::optional<std::string> plain = decrypt_credential(credential);
    return plain && plain->size() == password.size() &&
           CRYPTO_memcmp(plain->data(), password.data(), password.size()) == 0;
}

}  // namespace gw::sim
