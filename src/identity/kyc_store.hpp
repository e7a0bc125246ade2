#pragma once

// SQL for KYC documents and the review queue. Every function REQUIRES being called inside a
// database transaction.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "identity/field_crypto.hpp"
#include "identity/kyc_status.hpp"

namespace gw::identity {

struct KycDocumentRecord {
    std::string id;
    std::string user_id;
    std::string doc_type;
    std::string content_type;
    std::int64_t size_bytes = 0;
    std::string storage_key;
    SealedField file_key;
    std::string uploaded_at;  // RFC 3339
};

void insert_kyc_document(pqxx::work& tx, const KycDocumentRecord& document, TimePoint at);

// The user's current documents (the newest upload of each type), oldest first.
std::vector<KycDocumentRecord> list_kyc_documents(pqxx::work& tx, const std::string& user_id);

// One document of one user (nullopt also when it belongs to someone else or was purged).
std::optional<KycDocumentRecord> find_kyc_document(pqxx::work& tx,
                                                   const std::string& user_id,
                                                   const std::string& document_id);

struct KycQueueEntry {
    std::string user_id;
    std::string username;
    std::string email;
    KycStatus kyc_status = KycStatus::pending;
    std::string kyc_reason;
    std::string created_at;
};

// Open accounts in `status`, newest first, after the cursor user `before` (exclusive). A
// pending account appears only once it has uploaded a document.
std::vector<KycQueueEntry> list_kyc_queue(pqxx::work& tx,
                                          KycStatus status,
                                          const std::optional<std::string>& before,
                                          std::size_t limit);

// Documents of users closed before `closed_before` that still exist, at most `limit`.
std::vector<KycDocumentRecord> list_purgeable_documents(pqxx::work& tx,
                                                        TimePoint closed_before,
                                                        std::size_t limit);

// Marks the document purged and erases its sealed file key, so the file can never be decrypted
// again even if deleting it fails.
void mark_kyc_document_purged(pqxx::work& tx, const std::string& document_id, TimePoint at);

}  // namespace gw::identity
