#include "mpesa/mpesa_store.hpp"

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::mpesa {
namespace {

constexpr const char* kRequestColumns =
    "SELECT id, kind, reference, amount_cents, phone_masked, encode(phone_tag, 'hex'), status, "
    "coalesce(checkout_request_id, ''), coalesce(merchant_request_id, ''), "
    "coalesce(originator_conversation_id, ''), coalesce(conversation_id, ''), "
    "coalesce(error_code, ''), coalesce(result_code, ''), coalesce(result_desc, ''), "
    "coalesce(receipt, ''), created_at, updated_at, completed_at FROM mpesa_requests ";

std::optional<std::string> text_or_null(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

MpesaRequest request_from_row(const pqxx::row& row) {
    MpesaRequest request;
    request.id = row[0].as<std::string>();
    const auto kind = parse_request_kind(row[1].as<std::string>());
    const auto status = parse_request_status(row[6].as<std::string>());
    GW_ASSERT(kind.has_value(), "the CHECK constraint admits only known kinds");
    GW_ASSERT(status.has_value(), "the CHECK constraint admits only known statuses");
    request.kind = *kind;
    request.reference = row[2].as<std::string>();
    request.amount = Cents{row[3].as<std::int64_t>()};
    request.phone_masked = row[4].as<std::string>();
    request.phone_tag_hex = row[5].as<std::string>();
    request.status = *status;
    request.checkout_request_id = row[7].as<std::string>();
    request.merchant_request_id = row[8].as<std::string>();
    request.originator_conversation_id = row[9].as<std::string>();
    request.conversation_id = row[10].as<std::string>();
    request.error_code = row[11].as<std::string>();
    request.result_code = row[12].as<std::string>();
    request.result_desc = row[13].as<std::string>();
    request.receipt = row[14].as<std::string>();
    request.created_at = *parse_rfc3339(rfc3339_from_pg(row[15].as<std::string>()));
    request.updated_at = *parse_rfc3339(rfc3339_from_pg(row[16].as<std::string>()));
    if (!row[17].is_null()) {
        request.completed_at = parse_rfc3339(rfc3339_from_pg(row[17].as<std::string>()));
    }
    return request;
}

std::optional<MpesaRequest> first(const pqxx::result& rows) {
    if (rows.empty()) {
        return std::nullopt;
    }
    return request_from_row(rows[0]);
}

}  // namespace

std::optional<std::string> insert_request(pqxx::work& tx, const NewRequest& request, TimePoint at) {
    const std::string now = format_rfc3339(at);
    const pqxx::result rows = db::exec_prepared(tx,
        "INSERT INTO mpesa_requests (kind, reference, amount_cents, phone_masked, phone_tag, "
        "callback_token_hash, originator_conversation_id, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, decode($5, 'hex'), decode($6, 'hex'), $7, "
        "$8::timestamptz, $8::timestamptz) "
        "ON CONFLICT (kind, reference) WHERE status NOT IN ('rejected', 'failed') DO NOTHING "
        "RETURNING id",
        std::string(to_string(request.kind)), request.reference, request.amount.value(),
        request.phone_masked, request.phone_tag_hex, request.token_hash_hex,
        text_or_null(request.originator_conversation_id), now);
    if (rows.empty()) {
        return std::nullopt;
    }
    return rows[0][0].as<std::string>();
}

bool checkout_request_id_taken(pqxx::work& tx, const std::string& checkout_request_id,
                               const std::string& id) {
    return !db::exec_prepared(tx, "SELECT 1 FROM mpesa_requests WHERE checkout_request_id = $1 "
                           "AND id <> $2::uuid",
                           checkout_request_id, id)
                .empty();
}

bool record_submission(pqxx::work& tx,
                       const std::string& id,
                       const Submission& submission,
                       TimePoint at) {
    const pqxx::result updated = db::exec_prepared(tx,
        "UPDATE mpesa_requests SET status = $2, checkout_request_id = coalesce($3, "
        "checkout_request_id), merchant_request_id = coalesce($4, merchant_request_id), "
        "conversation_id = coalesce($5, conversation_id), error_code = $6, result_desc = "
        "coalesce($7, result_desc), updated_at = $8::timestamptz, completed_at = CASE WHEN $2 = "
        "'rejected' THEN $8::timestamptz END "
        "WHERE id = $1::uuid AND status = 'created'",
        id,
        std::string(to_string(submission.status)),
        text_or_null(submission.checkout_request_id),
        text_or_null(submission.merchant_request_id),
        text_or_null(submission.conversation_id),
        text_or_null(submission.error_code),
        text_or_null(submission.error_message),
        format_rfc3339(at));
    return updated.affected_rows() == 1;
}

bool complete_request(pqxx::work& tx,
                      const std::string& id,
                      const FinalResult& result,
                      TimePoint at) {
    GW_ASSERT(!result.succeeded || !result.receipt.empty(), "a payment has a receipt");
    const pqxx::result updated = db::exec_prepared(tx,
        "UPDATE mpesa_requests SET status = $2, result_code = $3, result_desc = $4, receipt = $5, "
        "updated_at = $6::timestamptz, completed_at = $6::timestamptz "
        "WHERE id = $1::uuid AND status NOT IN ('rejected', 'succeeded', 'failed')",
        id,
        result.succeeded ? "succeeded" : "failed",
        result.result_code,
        result.result_desc,
        text_or_null(result.receipt),
        format_rfc3339(at));
    return updated.affected_rows() == 1;
}

bool mark_request_unknown(pqxx::work& tx,
                          const std::string& id,
                          std::string_view why,
                          TimePoint at) {
    const pqxx::result updated = db::exec_prepared(tx,
        "UPDATE mpesa_requests SET status = 'unknown', result_desc = $2, "
        "updated_at = $3::timestamptz "
        "WHERE id = $1::uuid AND status IN ('created', 'accepted', 'unknown')",
        id,
        std::string(why),
        format_rfc3339(at));
    return updated.affected_rows() == 1;
}

void adopt_checkout_request_id(pqxx::work& tx,
                               const std::string& id,
                               const std::string& checkout_request_id) {
    db::exec_prepared(tx,
        "UPDATE mpesa_requests SET checkout_request_id = $2 "
        "WHERE id = $1::uuid AND checkout_request_id IS NULL",
        id,
        checkout_request_id);
}

void set_status_token(pqxx::work& tx,
                      const std::string& id,
                      const std::string& token_hash_hex,
                      TimePoint at) {
    db::exec_prepared(tx,
        "UPDATE mpesa_requests SET status_token_hash = decode($2, 'hex'), "
        "updated_at = $3::timestamptz WHERE id = $1::uuid",
        id,
        token_hash_hex,
        format_rfc3339(at));
}

void insert_exchanges(pqxx::work& tx,
                      const std::string& id,
                      const std::vector<Exchange>& exchanges) {
    for (const Exchange& exchange : exchanges) {
        db::exec_prepared(tx,
            "INSERT INTO mpesa_exchanges (mpesa_request_id, operation, path, request, "
            "http_status, response_body, transport_error, started_at, duration_us) "
            "VALUES ($1::uuid, $2, $3, $4::jsonb, $5, $6, $7, $8::timestamptz, $9)",
            text_or_null(id),
            exchange.operation,
            exchange.path,
            exchange.request.is_null() ? std::nullopt
                                       : std::optional<std::string>(exchange.request.dump()),
            exchange.reply.http_status,
            exchange.reply.body,
            exchange.reply.transport_error,
            format_rfc3339(exchange.started_at),
            exchange.duration.count());
    }
}

std::optional<MpesaRequest> find_request(pqxx::work& tx, const std::string& id, bool for_update) {
    return first(db::exec_prepared(tx,
        std::string(kRequestColumns) + "WHERE id = $1::uuid" + (for_update ? " FOR NO KEY UPDATE" : ""),
        id));
}

std::optional<MpesaRequest> find_request_by_token(pqxx::transaction_base& tx,
                                                  const std::string& token_hash_hex) {
    return first(db::exec_prepared(tx, std::string(kRequestColumns) +
                                    "WHERE callback_token_hash = decode($1, 'hex') "
                                    "OR status_token_hash = decode($1, 'hex')",
                                token_hash_hex));
}

std::optional<MpesaRequest> find_live_request(pqxx::work& tx, RequestKind kind, const std::string& reference) {
    return first(db::exec_prepared(tx, std::string(kRequestColumns) +
                                    "WHERE kind = $1 AND reference = $2 AND status NOT IN ('rejected', 'failed')",
                                std::string(to_string(kind)), reference));
}

std::vector<MpesaRequest> open_requests(pqxx::work& tx,
                                        RequestKind kind,
                                        TimePoint before,
                                        std::size_t limit) {
    std::vector<MpesaRequest> requests;
    for (const auto& row :
         db::exec_prepared(tx, std::string(kRequestColumns) +
                            "WHERE kind = $1 AND status IN ('created', 'accepted', 'unknown') "
                            "AND updated_at < $2::timestamptz ORDER BY updated_at LIMIT $3",
                        std::string(to_string(kind)),
                        format_rfc3339(before),
                        static_cast<std::int64_t>(limit))) {
        requests.push_back(request_from_row(row));
    }
    return requests;
}

}  // namespace gw::mpesa
