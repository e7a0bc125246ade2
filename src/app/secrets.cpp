#include "app/secrets.hpp"

#include <charconv>
#include <fstream>

namespace gw::app {
namespace {

std::string strip(std::string text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    const auto last = text.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

std::string value_of(const Environment& env, const std::string& name) {
    const auto found = env.find(name);
    return found == env.end() ? std::string() : found->second;
}

Error bad(const std::string& name, const std::string& what) {
    return make_error(ErrorCode::invalid_configuration, name + " " + what);
}

// A key from NAME (hex) or NAME_FILE (a file holding the hex).
Result<identity::SecretKey> read_key(const Environment& env, const std::string& name) {
    std::string hex = value_of(env, name);
    std::string source = name;
    if (hex.empty()) {
        const std::string path = value_of(env, name + "_FILE");
        if (path.empty()) {
            return bad(name, "or " + name + "_FILE must be set (64 hex characters)");
        }
        std::ifstream file(path);
        if (!file) {
            return bad(name + "_FILE", "names a file that cannot be read");
        }
        hex = std::string(std::istreambuf_iterator<char>(file), {});
        source = name + "_FILE";
    }
    auto key = identity::SecretKey::from_hex(strip(hex));
    if (!key) {
        return bad(source, "must hold exactly 64 hex characters");
    }
    return key;
}

Result<std::uint32_t> key_id(std::string_view text, const std::string& name) {
    std::uint32_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id == 0) {
        return bad(name, "must name key ids as positive integers");
    }
    return id;
}

Result<void> read_previous_keys(const Environment& env, identity::MasterKeyring& ring) {
    const std::string name = "GOLDWALLET_MASTER_KEYS_PREVIOUS";
    const std::string list = value_of(env, name);
    std::string_view rest = list;
    while (!rest.empty()) {
        const std::string_view item = rest.substr(0, rest.find(','));
        rest.remove_prefix(std::min(rest.size(), item.size() + 1));
        const auto colon = item.find(':');
        if (colon == std::string_view::npos) {
            return bad(name, "must be a list of id:hex");
        }
        auto id = key_id(item.substr(0, colon), name);
        auto key = identity::SecretKey::from_hex(item.substr(colon + 1));
        if (!id || !key || ring.keys.contains(*id)) {
            return bad(name, "must be a list of id:hex with distinct ids and 64 hex characters");
        }
        ring.keys.emplace(*id, std::move(*key));
    }
    return {};
}

// A credential from NAME, or the file NAME_FILE names, or `fallback`.
Result<mpesa::Credential> read_credential(const Environment& env, const std::string& name,
                                          std::string_view fallback) {
    if (std::string text = value_of(env, name); !text.empty()) {
        return mpesa::Credential(std::move(text));
    }
    const std::string path = value_of(env, name + "_FILE");
    if (path.empty()) {
        return mpesa::Credential(std::string(fallback));
    }
    std::ifstream file(path);
    if (!file) {
        return bad(name + "_FILE", "names a file that cannot be read");
    }
    return mpesa::Credential(strip(std::string(std::istreambuf_iterator<char>(file), {})));
}

Result<mpesa::Credentials> read_mpesa_credentials(const Environment& env) {
    mpesa::Credentials credentials;
    const std::pair<std::string, std::pair<mpesa::Credential*, std::string_view>> fields[] = {
        {"GOLDWALLET_MPESA_CONSUMER_KEY", {&credentials.consumer_key, kSandboxConsumerKey}},
        {"GOLDWALLET_MPESA_CONSUMER_SECRET", {&credentials.consumer_secret, kSandboxConsumerSecret}},
        {"GOLDWALLET_MPESA_PASSKEY", {&credentials.passkey, kSandboxPasskey}},
        {"GOLDWALLET_MPESA_SECURITY_CREDENTIAL", {&credentials.security_credential, ""}},
    };
    for (const auto& [name, target] : fields) {
        auto credential = read_credential(env, name, target.second);
        if (!credential) {
            return credential.error();
        }
        *target.first = std::move(*credential);
    }
    return credentials;
}

}  // namespace

Result<Secrets> load_secrets(const Environment& env) {
    identity::ensure_sodium();
    auto jwt_key = read_key(env, "GOLDWALLET_JWT_KEY");
    if (!jwt_key) {
        return jwt_key.error();
    }
    auto master = read_key(env, "GOLDWALLET_MASTER_KEY");
    if (!master) {
        return master.error();
    }
    const std::string id_text = value_of(env, "GOLDWALLET_MASTER_KEY_ID");
    auto id = key_id(id_text.empty() ? "1" : id_text, "GOLDWALLET_MASTER_KEY_ID");
    if (!id) {
        return id.error();
    }
    identity::MasterKeyring ring;
    ring.current_id = *id;
    ring.keys.emplace(*id, std::move(*master));
    if (auto previous = read_previous_keys(env, ring); !previous) {
        return previous.error();
    }
    const std::string blind_text = value_of(env, "GOLDWALLET_BLIND_INDEX_KEY_ID");
    auto blind_id = key_id(blind_text.empty() ? "1" : blind_text, "GOLDWALLET_BLIND_INDEX_KEY_ID");
    if (!blind_id || !ring.keys.contains(*blind_id)) {
        return bad("GOLDWALLET_BLIND_INDEX_KEY_ID", "must name a configured master key id");
    }
    auto mpesa = read_mpesa_credentials(env);
    if (!mpesa) {
        return mpesa.error();
    }
    return Secrets{std::move(*jwt_key), std::move(ring), *blind_id, std::move(*mpesa)};
}

Secrets throwaway_secrets() {
    identity::MasterKeyring ring;
    ring.current_id = 1;
    ring.keys.emplace(1, identity::SecretKey::random());
    mpesa::Credentials sandbox{mpesa::Credential(std::string(kSandboxConsumerKey)),
                               mpesa::Credential(std::string(kSandboxConsumerSecret)),
                               mpesa::Credential(std::string(kSandboxPasskey)),
                               mpesa::Credential()};
    return Secrets{identity::SecretKey::random(), std::move(ring), 1, std::move(sandbox)};
}

}  // namespace gw::app
