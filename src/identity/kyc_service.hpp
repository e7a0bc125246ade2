#pragma once

// KYC: users upload identity documents; reviewers read them and decide; documents of closed
// accounts are purged after the retention period. Files are encrypted with a per-file key
// (secretstream) before they reach the store; the per-file key is sealed under the master key.
// Thread-safe: one instance serves every request.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"
#include "identity/field_crypto.hpp"
#include "identity/file_type.hpp"
#include "identity/kyc_file_store.hpp"
#include "identity/kyc_status.hpp"
#include "identity/kyc_store.hpp"

namespace gw::identity {

struct KycSettings {
    std::size_t file_bytes_max = 10u << 20;
    std::chrono::days retention{2557};  // 7 years: Kenyan AML record keeping
    std::size_t purge_batch_max = 100;
};

struct KycDocumentView {
    std::string id;
    std::string doc_type;
    std::string content_type;
    std::int64_t size_bytes = 0;
    std::string uploaded_at;
};

struct KycStatusView {
    KycStatus status = KycStatus::pending;
    std::string reason;
    std::vector<KycDocumentView> documents;
    std::vector<std::string> missing;  // document types not uploaded yet
};

struct KycQueueItem {
    KycQueueEntry user;
    std::vector<KycDocumentView> documents;
};

struct KycQueuePage {
    std::vector<KycQueueItem> items;
    std::optional<std::string> next_before;  // pass as `before` for the next page
};

struct KycFile {
    std::string content_type;
    std::string bytes;
};

class KycService {
public:
    // REQUIRES: every reference outlives the service.
    KycService(db::ConnectionPool& pool,
               const Clock& clock,
               const FieldCipher& cipher,
               const FileTypeSniffer& sniffer,
               KycFileStore& store,
               KycSettings settings);

    // Stores one document of the caller. The file name and the client's content type are
    // ignored: the type comes from the bytes. A rejected user who uploads again is pending again.
    // Errors, in order: validation_failed (doc_type not id_front|id_back|selfie, or an empty
    // file), payload_too_large (over file_bytes_max), unsupported_media_type (not JPEG, PNG or
    // PDF), kyc_already_verified. Nothing is stored on error.
    Result<KycDocumentView> upload(const Principal& principal,
                                   const std::string& doc_type,
                                   std::string_view content,
                                   const std::string& request_id);

    // The user's KYC state and documents. Error: not_found for an unknown or closed account.
    Result<KycStatusView> status(const std::string& user_id);

    // The review queue for `status`, newest first. REQUIRES: 1 <= limit <= 100.
    KycQueuePage queue(KycStatus status, const std::optional<std::string>& before, std::size_t limit);

    // Decrypts one document for a reviewer; the viewing is audited (`kyc.document.view`).
    // Error: not_found when the user has no such document.
    Result<KycFile> read_document(const Actor& reviewer,
                                  const std::string& user_id,
                                  const std::string& document_id);

    // Records a reviewer's decision (audited with before/after). A rejection needs a reason.
    // Errors: validation_failed (decision not verified|rejected, missing reason), not_found.
    Result<KycStatusView> decide(const Actor& reviewer,
                                 const std::string& user_id,
                                 const std::string& decision,
                                 const std::string& reason);

    // Deletes the documents of accounts closed more than `retention` before `now`, at most
    // purge_batch_max per call, each audited as `kyc.purge`. Returns how many were purged.
    std::size_t purge_expired(TimePoint now);

private:
    Result<KycDocumentView> store_document(const Principal& principal,
                                           const KycDocumentRecord& record,
                                           const std::string& content_type,
                                           const std::string& request_id);

    db::ConnectionPool& pool_;
    const Clock& clock_;
    const FieldCipher& cipher_;
    const FileTypeSniffer& sniffer_;
    KycFileStore& store_;
    const KycSettings settings_;
};

}  // namespace gw::identity
