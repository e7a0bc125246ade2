#include "mpesa/webhook_store.hpp"

#include <array>
#include <utility>

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::mpesa {
namespace {

constexpr std::array<std::pair<CallbackKind, std::string_view>, 5> kKinds = {{
    {CallbackKind::stk, "stk"},
    {CallbackKind::b2c_result, "b2c_result"},
    {CallbackKind::b2c_timeout, "b2c_timeout"},
    {CallbackKind::status_result, "status_result"},
    {CallbackKind::status_timeout, "status_timeout"},
}};

constexpr std::array<std::pair<CallbackOutcome, std::string_view>, 10> kOutcomes = {{
    {CallbackOutcome::applied, "applied"},
    {CallbackOutcome::duplicate, "duplicate"},
    {CallbackOutcome::not_final, "not_final"},
    {CallbackOutcome::unknown_token, "unknown_token"},
    {CallbackOutcome::mismatch, "mismatch"},
    {CallbackOutcome::source_refused, "source_refused"},
    {CallbackOutcome::malformed, "malformed"},
    {CallbackOutcome::deferred, "deferred"},
    {CallbackOutcome::awaiting_confirmation, "awaiting_confirmation"},
    {CallbackOutcome::error, "error"},
}};

std::string hex_of(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        hex.push_back(kDigits[byte >> 4]);
        hex.push_back(kDigits[byte & 0x0f]);
    }
    return hex;
}

std::string bytes_of(std::string_view hex) {
    std::string bytes;
    bytes.reserve(hex.size() / 2);
    const auto nibble = [](char c) {
        return static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
    };
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
    }
    return bytes;
}

}  // namespace

std::string_view to_string(CallbackKind kind) {
    for (const auto& [candidate, name] : kKinds) {
        if (candidate == kind) {
            return name;
        }
    }
    return "stk";
}

std::optional<CallbackKind> parse_callback_kind(std::string_view text) {
    for (const auto& [candidate, name] : kKinds) {
        if (name == text) {
            return candidate;
        }
    }
    return std::nullopt;
}

std::string_view to_string(CallbackOutcome outcome) {
    for (const auto& [candidate, name] : kOutcomes) {
        if (candidate == outcome) {
            return name;
        }
    }
    return "malformed";
}

bool is_final(CallbackOutcome outcome) {
    return outcome != CallbackOutcome::deferred &&
           outcome != CallbackOutcome::awaiting_confirmation && outcome != CallbackOutcome::error;
}

std::string insert_webhook_event(pqxx::work& tx,
                                 CallbackKind kind,
                                 const std::string& token_hash_hex,
                                 const std::string& source_ip,
                                 std::string_view body,
                                 TimePoint at) {
    return db::exec_prepared1(tx,
            "INSERT INTO webhook_events (kind, token_hash, source_ip, body, received_at) "
            "VALUES ($1, decode($2, 'hex'), $3, decode($4, 'hex'), $5::timestamptz) RETURNING id",
            std::string(to_string(kind)),
            token_hash_hex,
            source_ip,
            hex_of(body),
            format_rfc3339(at))[0]
        .as<std::string>();
}

void insert_webhook_outcome(pqxx::work& tx,
                            const std::string& event_id,
                            CallbackOutcome outcome,
                            std::string_view detail,
                            const std::string& request_id,
                            TimePoint at) {
    db::exec_prepared(tx,
        "INSERT INTO webhook_outcomes (event_id, outcome, detail, mpesa_request_id, recorded_at) "
        "VALUES ($1::uuid, $2, $3, $4::uuid, $5::timestamptz)",
        event_id,
        std::string(to_string(outcome)),
        std::string(detail),
        request_id.empty() ? std::nullopt : std::optional<std::string>(request_id),
        format_rfc3339(at));
}

std::vector<StoredEvent> events_to_retry(pqxx::work& tx, TimePoint before, std::size_t limit) {
    std::vector<StoredEvent> events;
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT e.id, e.kind, encode(e.token_hash, 'hex'), e.source_ip, encode(e.body, 'hex'), "
        "e.received_at FROM webhook_events e "
        "LEFT JOIN LATERAL (SELECT outcome, recorded_at, count(*) OVER () AS attempts "
        "FROM webhook_outcomes o WHERE o.event_id = e.id ORDER BY o.id DESC LIMIT 1) latest "
        "ON true "
        "WHERE (latest.outcome IS NULL AND e.received_at < $1::timestamptz) "
        "OR (latest.outcome IN ('deferred', 'awaiting_confirmation', 'error') "
        "AND latest.recorded_at <= $1::timestamptz AND latest.attempts < $3) "
        "ORDER BY e.received_at LIMIT $2",
        format_rfc3339(before), static_cast<std::int64_t>(limit),
        static_cast<std::int64_t>(kWebhookAttemptsMax));
    for (const auto& row : rows) {
        StoredEvent event;
        event.id = row[0].as<std::string>();
        const auto kind = parse_callback_kind(row[1].as<std::string>());
        GW_ASSERT(kind.has_value(), "the CHECK constraint admits only known kinds");
        event.kind = *kind;
        event.token_hash_hex = row[2].as<std::string>();
        event.source_ip = row[3].as<std::string>();
        event.body = bytes_of(row[4].as<std::string>());
        event.received_at = *parse_rfc3339(rfc3339_from_pg(row[5].as<std::string>()));
        events.push_back(std::move(event));
    }
    return events;
}

std::vector<std::pair<std::string, CallbackOutcome>> outcomes_for_token(
    pqxx::work& tx, const std::string& token_hash_hex) {
    std::vector<std::pair<std::string, CallbackOutcome>> outcomes;
    for (const auto& row : db::exec_prepared(tx,
             "SELECT o.event_id, o.outcome FROM webhook_outcomes o JOIN webhook_events e "
             "ON e.id = o.event_id WHERE e.token_hash = decode($1, 'hex') ORDER BY o.id",
             token_hash_hex)) {
        for (const auto& [candidate, name] : kOutcomes) {
            if (name == row[1].as<std::string>()) {
                outcomes.emplace_back(row[0].as<std::string>(), candidate);
            }
        }
    }
    return outcomes;
}

}  // namespace gw::mpesa
