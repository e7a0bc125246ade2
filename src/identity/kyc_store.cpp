#include "identity/kyc_store.hpp"

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"
#include "identity/hex.hpp"

namespace gw::identity {
namespace {

constexpr const char* kDocumentColumns =
    "SELECT d.id, d.user_id, d.doc_type, d.content_type, d.size_bytes, d.storage_key, "
    "d.file_key_id, encode(d.file_key_sealed, 'hex'), d.uploaded_at FROM kyc_documents d ";

KycDocumentRecord document_from_row(const pqxx::row& row) {
    return KycDocumentRecord{row[0].as<std::string>(),
                             row[1].as<std::string>(),
                             row[2].as<std::string>(),
                             row[3].as<std::string>(),
                             row[4].as<std::int64_t>(),
                             row[5].as<std::string>(),
                             SealedField{row[6].as<std::uint32_t>(), from_hex(row[7].as<std::string>())},
                             rfc3339_from_pg(row[8].as<std::string>())};
}

std::vector<KycDocumentRecord> documents_from(const pqxx::result& rows) {
    std::vector<KycDocumentRecord> documents;
    documents.reserve(rows.size());
    for (const auto& row : rows) {
        documents.push_back(document_from_row(row));
    }
    return documents;
}

}  // namespace

void insert_kyc_document(pqxx::work& tx, const KycDocumentRecord& document, TimePoint at) {
    db::exec_prepared(tx,
        "INSERT INTO kyc_documents (id, user_id, doc_type, content_type, size_bytes, storage_key, "
        "file_key_sealed, file_key_id, uploaded_at) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, "
        "decode($7, 'hex'), $8, $9::timestamptz)",
        document.id, document.user_id, document.doc_type, document.content_type,
        document.size_bytes, document.storage_key, to_hex(document.file_key.bytes),
        document.file_key.key_id, format_rfc3339(at));
}

std::vector<KycDocumentRecord> list_kyc_documents(pqxx::work& tx, const std::string& user_id) {
    // The newest upload of each type is the current one; older ones stay for the record.
    return documents_from(db::exec_prepared(tx,
        "SELECT * FROM (SELECT DISTINCT ON (d.doc_type) " +
            std::string(kDocumentColumns).substr(std::string_view("SELECT ").size()) +
            "WHERE d.user_id = $1::uuid AND d.purged_at IS NULL "
            "ORDER BY d.doc_type, d.uploaded_at DESC, d.id DESC) newest "
            "ORDER BY uploaded_at, id",
        user_id));
}

std::optional<KycDocumentRecord> find_kyc_document(pqxx::work& tx, const std::string& user_id,
                                                   const std::string& document_id) {
    const auto documents = documents_from(db::exec_prepared(tx,
        std::string(kDocumentColumns) +
            "WHERE d.id = $1::uuid AND d.user_id = $2::uuid AND d.purged_at IS NULL",
        document_id, user_id));
    if (documents.empty()) {
        return std::nullopt;
    }
    return documents.front();
}

std::vector<KycQueueEntry> list_kyc_queue(pqxx::work& tx, KycStatus status,
                                          const std::optional<std::string>& before,
                                          std::size_t limit) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT u.id, u.username, u.email, u.kyc_status, coalesce(u.kyc_reason, ''), u.created_at "
        "FROM users u WHERE u.kyc_status = $1 AND u.closed_at IS NULL AND u.role = 'user' "
        "AND ($1 <> 'pending' OR EXISTS (SELECT 1 FROM kyc_documents d "
        "     WHERE d.user_id = u.id AND d.purged_at IS NULL)) "
        "AND ($2::uuid IS NULL OR (u.created_at, u.id) < "
        "     (SELECT created_at, id FROM users WHERE id = $2::uuid)) "
        "ORDER BY u.created_at DESC, u.id DESC LIMIT $3",
        std::string(to_string(status)), before, static_cast<std::int64_t>(limit));
    std::vector<KycQueueEntry> entries;
    for (const auto& row : rows) {
        const auto parsed = parse_kyc_status(row[3].as<std::string>());
        GW_ASSERT(parsed.has_value(), "the kyc_status CHECK constraint admits only known states");
        entries.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                           row[2].as<std::string>(), *parsed, row[4].as<std::string>(),
                           rfc3339_from_pg(row[5].as<std::string>())});
    }
    return entries;
}

std::vector<KycDocumentRecord> list_purgeable_documents(pqxx::work& tx, TimePoint closed_before,
                                                        std::size_t limit) {
    return documents_from(db::exec_prepared(tx,
        std::string(kDocumentColumns) +
            "JOIN users u ON u.id = d.user_id WHERE d.purged_at IS NULL "
            "AND u.closed_at < $1::timestamptz ORDER BY u.closed_at, d.id LIMIT $2 "
            "FOR UPDATE OF d SKIP LOCKED",
        format_rfc3339(closed_before), static_cast<std::int64_t>(limit)));
}

void mark_kyc_document_purged(pqxx::work& tx, const std::string& document_id, TimePoint at) {
    db::exec_prepared(tx,
        "UPDATE kyc_documents SET purged_at = $2::timestamptz, file_key_sealed = ''::bytea "
        "WHERE id = $1::uuid",
        document_id, format_rfc3339(at));
}

}  // namespace gw::identity
