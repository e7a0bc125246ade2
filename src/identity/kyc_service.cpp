#include "identity/kyc_service.hpp"

#include <array>

#include "db/transaction.hpp"
#include "identity/audit_store.hpp"
#include "identity/file_crypto.hpp"
#include "identity/user_store.hpp"
#include "identity/uuid.hpp"
#include "observability/log.hpp"

namespace gw::identity {
namespace {

constexpr std::array<std::string_view, 3> kDocumentTypes = {"id_front", "id_back", "selfie"};
constexpr std::array<std::string_view, 3> kAllowedContentTypes = {"image/jpeg", "image/png",
                                                                  "application/pdf"};

std::string file_key_associated_data(const std::string& document_id) {
    return "kyc-file:" + document_id;
}

bool contains(const auto& values, std::string_view wanted) {
    return std::find(values.begin(), values.end(), wanted) != values.end();
}

KycDocumentView view_of(const KycDocumentRecord& record) {
    return {record.id, record.doc_type, record.content_type, record.size_bytes, record.uploaded_at};
}

std::vector<KycDocumentView> views_of(const std::vector<KycDocumentRecord>& records) {
    std::vector<KycDocumentView> views;
    for (const auto& record : records) {
        views.push_back(view_of(record));
    }
    return views;
}

Result<void> check_upload(const std::string& doc_type, std::string_view content,
                          std::size_t file_bytes_max) {
    if (!contains(kDocumentTypes, doc_type)) {
        return make_error(ErrorCode::validation_failed,
                          "doc_type: must be one of id_front, id_back, selfie");
    }
    if (content.empty()) {
        return make_error(ErrorCode::validation_failed, "file: the uploaded file is empty");
    }
    if (content.size() > file_bytes_max) {
        return make_error(ErrorCode::payload_too_large,
                          "file: larger than " + std::to_string(file_bytes_max) + " bytes");
    }
    return {};
}

KycStatusView status_view(const UserRecord& user, const std::vector<KycDocumentRecord>& records) {
    KycStatusView view{user.kyc_status, user.kyc_reason, views_of(records), {}};
    for (std::string_view type : kDocumentTypes) {
        const bool present = std::any_of(records.begin(), records.end(),
                                         [&](const auto& record) { return record.doc_type == type; });
        if (!present) {
            view.missing.emplace_back(type);
        }
    }
    return view;
}

}  // namespace

KycService::KycService(db::ConnectionPool& pool, const Clock& clock, const FieldCipher& cipher,
                       const FileTypeSniffer& sniffer, KycFileStore& store, KycSettings settings)
    : pool_(pool),
      clock_(clock),
      cipher_(cipher),
      sniffer_(sniffer),
      store_(store),
      settings_(settings) {}

Result<KycDocumentView> KycService::upload(const Principal& principal, const std::string& doc_type,
                                           std::string_view content,
                                           const std::string& request_id) {
    if (auto ok = check_upload(doc_type, content, settings_.file_bytes_max); !ok) {
        return ok.error();
    }
    const std::string content_type = sniffer_.mime_type(content);
    if (!contains(kAllowedContentTypes, content_type)) {
        return make_error(ErrorCode::unsupported_media_type, "file: only JPEG, PNG or PDF");
    }
    KycDocumentRecord record;
    record.id = random_uuid();
    record.user_id = principal.user_id;
    record.doc_type = doc_type;
    record.content_type = content_type;
    record.size_bytes = static_cast<std::int64_t>(content.size());
    record.storage_key = record.id;
    const EncryptedFile encrypted = encrypt_file(content);
    record.file_key = cipher_.seal(encrypted.file_key, file_key_associated_data(record.id));

    const auto remove_file = [&] {
        try {
            store_.remove(record.storage_key);
        } catch (const std::exception& error) {
            obs::log_error("kyc.upload.orphan_file", {{"document_id", record.id}, {"what", error.what()}});
        }
    };
    std::optional<Result<KycDocumentView>> outcome;
    try {
        // The file is stored before the transaction: no I/O to the store while rows are locked,
        // and a retried transaction does not write it twice. A refusal or a failed commit
        // removes it again below.
        store_.put(record.storage_key, encrypted.ciphertext);
        outcome = store_document(principal, record, content_type, request_id);
    } catch (...) {
        remove_file();
        throw;
    }
    if (!*outcome) {
        remove_file();
    }
    return std::move(*outcome);
}

Result<KycDocumentView> KycService::store_document(const Principal& principal,
                                                   const KycDocumentRecord& record,
                                                   const std::string& content_type,
                                                   const std::string& request_id) {
    const TimePoint now = clock_.now();
    const std::string& doc_type = record.doc_type;
    return db::with_transaction(pool_, "kyc.upload", [&](pqxx::work& tx) -> Result<KycDocumentView> {
        const auto user = find_user_by_id(tx, principal.user_id);
        if (!user || user->closed) {
            return make_error(ErrorCode::not_found, "no such account");
        }
        if (user->kyc_status == KycStatus::verified) {
            return make_error(ErrorCode::kyc_already_verified, "your identity is already verified");
        }
        insert_kyc_document(tx, record, now);
        if (user->kyc_status == KycStatus::rejected) {
            update_kyc_status(tx, user->id, KycStatus::pending, "", now);
        }
        append_audit(tx, Actor::of(principal, request_id),
                     {"kyc.upload", "kyc_document", record.id, nullptr,
                      {{"doc_type", doc_type}, {"content_type", content_type},
                       {"size_bytes", record.size_bytes}}, ""},
                     now);
        return view_of(find_kyc_document(tx, record.user_id, record.id).value());
    });
}

Result<KycStatusView> KycService::status(const std::string& user_id) {
    return db::with_transaction(pool_, "kyc.status", [&](pqxx::work& tx) -> Result<KycStatusView> {
        const auto user = find_user_by_id(tx, user_id);
        if (!user || user->closed) {
            return make_error(ErrorCode::not_found, "no such account");
        }
        return status_view(*user, list_kyc_documents(tx, user_id));
    });
}

KycQueuePage KycService::queue(KycStatus status, const std::optional<std::string>& before,
                               std::size_t limit) {
    return db::with_transaction(pool_, "kyc.queue", [&](pqxx::work& tx) {
        KycQueuePage page;
        for (auto& entry : list_kyc_queue(tx, status, before, limit)) {
            auto documents = views_of(list_kyc_documents(tx, entry.user_id));
            page.items.push_back({std::move(entry), std::move(documents)});
        }
        if (page.items.size() == limit) {
            page.next_before = page.items.back().user.user_id;
        }
        return page;
    });
}

Result<KycFile> KycService::read_document(const Actor& reviewer, const std::string& user_id,
                                          const std::string& document_id) {
    const auto record = db::with_transaction(pool_, "kyc.document.read", [&](pqxx::work& tx) {
        auto found = find_kyc_document(tx, user_id, document_id);
        if (found) {
            append_audit(tx, reviewer,
                         {"kyc.document.view", "kyc_document", document_id, nullptr,
                          {{"user_id", user_id}, {"doc_type", found->doc_type}}, ""},
                         clock_.now());
        }
        return found;
    });
    if (!record) {
        return make_error(ErrorCode::not_found, "no such document");
    }
    const auto file_key = cipher_.open(record->file_key, file_key_associated_data(record->id));
    const auto ciphertext = store_.get(record->storage_key);
    const auto plaintext = file_key && ciphertext ? decrypt_file(*ciphertext, *file_key)
                                                  : std::nullopt;
    if (!plaintext) {
        obs::log_error("kyc.document.unreadable", {{"document_id", record->id}});
        return make_error(ErrorCode::internal_error, {});
    }
    return KycFile{record->content_type, *plaintext};
}

Result<KycStatusView> KycService::decide(const Actor& reviewer, const std::string& user_id,
                                         const std::string& decision, const std::string& reason) {
    const auto status = parse_kyc_status(decision);
    if (!status || *status == KycStatus::pending) {
        return make_error(ErrorCode::validation_failed, "status: must be verified or rejected");
    }
    if (*status == KycStatus::rejected && reason.empty()) {
        return make_error(ErrorCode::validation_failed, "reason: required when rejecting");
    }
    return db::with_transaction(pool_, "kyc.decide", [&](pqxx::work& tx) -> Result<KycStatusView> {
        const auto user = find_user_by_id(tx, user_id);
        if (!user || user->closed || user->role != Role::user) {
            return make_error(ErrorCode::not_found, "no such account");
        }
        const TimePoint now = clock_.now();
        update_kyc_status(tx, user_id, *status, reason, now);
        append_audit(tx, reviewer,
                     {"kyc.decision", "user", user_id,
                      {{"kyc_status", to_string(user->kyc_status)}, {"reason", user->kyc_reason}},
                      {{"kyc_status", to_string(*status)}, {"reason", reason}}, reason},
                     now);
        return status_view(*find_user_by_id(tx, user_id), list_kyc_documents(tx, user_id));
    });
}

std::size_t KycService::purge_expired(TimePoint now) {
    const TimePoint closed_before = now - settings_.retention;
    // Rows are marked (and their file keys erased) first, files deleted after the commit: a
    // failed commit leaves every document readable, and a failed deletion leaves a ciphertext
    // nobody can decrypt any more (crypto-shredding), which is logged.
    const auto purged = db::with_transaction(pool_, "kyc.purge", [&](pqxx::work& tx) {
        const auto documents = list_purgeable_documents(tx, closed_before, settings_.purge_batch_max);
        for (const auto& document : documents) {
            mark_kyc_document_purged(tx, document.id, now);
            append_audit(tx, Actor::system("kyc-purge"),
                         {"kyc.purge", "kyc_document", document.id, nullptr,
                          {{"user_id", document.user_id}, {"doc_type", document.doc_type}},
                          "retention period over"},
                         now);
        }
        return documents;
    });
    for (const auto& document : purged) {
        try {
            store_.remove(document.storage_key);
        } catch (const std::exception& error) {
            obs::log_error("kyc.purge.file_left", {{"document_id", document.id}, {"what", error.what()}});
        }
    }
    return purged.size();
}

}  // namespace gw::identity
