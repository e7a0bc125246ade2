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
//   GOLDWALLET_BLIND_INDEX_KEY_ID                            the master key the phone blind index
//                                                            is derived from (default 1); pinned,
//                                                            because rotating it needs a re-index

#include "app/config.hpp"
#include "core/error.hpp"
#include "identity/secret_key.hpp"

namespace gw::app {

struct Secrets {
    identity::SecretKey jwt_key;
    identity::MasterKeyring master_keys;
    std::uint32_t blind_index_key_id = 1;  // REQUIRES: present in master_keys
};

// Error invalid_configuration naming the missing or malformed variable (never its value).
Result<Secrets> load_secrets(const Environment& env);

}  // namespace gw::app
