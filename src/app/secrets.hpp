#pragma once

// Secrets, kept apart from the rest of the configuration: the JWT signing key and the master
// encryption keys. Read from the environment or from files named by it; never stored in the
// database, never logged (SecretKey cannot be printed).
//
//   GOLDWALLET_JWT_KEY / GOLDWALLET_JWT_KEY_FILE             64 hex characters (32 bytes)
//   GOLDWALLET_MASTER_KEY / GOLDWALLET_MASTER_KEY_FILE       64 hex characters (32 bytes)
//   GOLDWALLET_MASTER_KEY_ID                                 id of that key (default 1)
//   GOLDWALLET_MASTER_KEYS_PREVIOUS                          "id:hex,id:hex": retired keys that
//                                                            still decrypt older rows
//   GOLDWALLET_MPESA_CONSUMER_KEY, _CONSUMER_SECRET, _PASSKEY, _SECURITY_CREDENTIAL (or each
//   with _FILE)                                               Daraja credentials; default to the
//                                                            public sandbox values (DARAJA.md §1)
//   GOLDWALLET_BLIND_INDEX_KEY_ID                            the master key the phone blind index
//                                                            is derived from (default 1); pinned,
//                                                            because rotating it needs a re-index

#include "app/config.hpp"
#include "core/error.hpp"
#include "identity/secret_key.hpp"
#include "mpesa/settings.hpp"

namespace gw::app {

struct Secrets {
    identity::SecretKey jwt_key;
    identity::MasterKeyring master_keys;
    std::uint32_t blind_index_key_id = 1;  // REQUIRES: present in master_keys
    mpesa::Credentials mpesa;
};

// Daraja's public sandbox values (DARAJA.md §1), which daraja-sim also uses by default.
inline constexpr std::string_view kSandboxConsumerKey = "dev-key";
inline constexpr std::string_view kSandboxConsumerSecret = "dev-secret";
inline constexpr std::string_view kSandboxPasskey =
    "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919";

// Error invalid_configuration naming the missing or malformed variable (never its value).
Result<Secrets> load_secrets(const Environment& env);

// Fresh random keys (JWT, one master key) and the sandbox M-Pesa credentials without a
// security credential: for tests and benchmarks, whose data lives as long as the process.
Secrets throwaway_secrets();

}  // namespace gw::app
