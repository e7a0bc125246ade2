#include "jobs/statement_store.hpp"

#include <pqxx/stream_to>
#include <sodium.h>
#include <tuple>

#include "core/time_text.hpp"
#include "core/utf8.hpp"
#include "db/prepared.hpp"
#include "identity/hex.hpp"
#include "identity/uuid.hpp"

namespace gw::jobs {
namespace {

// The file name as stored: at most 255 bytes, cut between characters; a name that is not UTF-8
// text (a byte string from the command line) is stored as a placeholder, never refused.
std::string stored_file_name(std::string_view file_name) {
    return is_text(file_name) ? std::string(utf8_prefix(file_name, 255))
                              : "(file name not UTF-8 text)";
}

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    return identity::to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::optional<StatementImport> find_imported(pqxx::work& tx, const std::string& digest) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT id, shortcode, period_from, period_to, line_count FROM mpesa_statements "
        "WHERE sha256 = decode($1, 'hex')",
        digest);
    if (rows.empty()) {
        return std::nullopt;
    }
    const pqxx::row row = rows[0];
    StatementImport found;
    found.statement_id = row[0].as<std::string>();
    found.shortcode = row[1].as<std::string>();
    found.period_from = time_from_pg(row[2].as<std::string>());
    found.period_to = time_from_pg(row[3].as<std::string>());
    found.lines = row[4].as<std::size_t>();
    found.already_imported = true;
    return found;
}

// "GW" and 10 upper-case hex digits: a buy's AccountReference.
bool is_payment_reference(std::string_view account_no) {
    return account_no.size() == 12 && account_no.starts_with("GW") &&
           account_no.find_first_not_of("0123456789ABCDEF", 2) == std::string_view::npos;
}

// The account the statement is of, or the reason it cannot be taken.
Result<std::string> statement_account(const StatementAccounts& accounts,
                                      std::string_view given,
                                      const std::string& in_file) {
    if (!given.empty() && !in_file.empty() && given != in_file) {
        return make_error(ErrorCode::validation_failed,
                          "shortcode: the file is the statement of " + in_file);
    }
    const std::string shortcode = in_file.empty() ? std::string(given) : in_file;
    if (shortcode.empty()) {
        return make_error(ErrorCode::validation_failed,
                          "shortcode: the file has no Short Code row; say which account it is of");
    }
    if (shortcode != accounts.paybill_shortcode && shortcode != accounts.b2c_shortcode) {
        return make_error(ErrorCode::validation_failed,
                          "shortcode: " + shortcode + " is neither our paybill nor our B2C account");
    }
    return shortcode;
}

// Copies the lines into a temporary table (COPY: fast for 100,000 lines).
void stage_lines(pqxx::work& tx, const mpesa::Statement& statement) {
    tx.exec0(
        "CREATE TEMP TABLE statement_staging (receipt text, direction text, amount_cents bigint, "
        "completed_at timestamptz, initiated_at timestamptz, reason_type text, account_no text) "
        "ON COMMIT DROP");
    pqxx::stream_to stream(tx, "statement_staging");
    for (const mpesa::StatementLine& line : statement.lines) {
        const bool paid_in = line.direction == mpesa::MoneyDirection::in;
        // An unknown initiation time is written as the completion time's; only completion matters.
        stream << std::make_tuple(line.receipt,
                                  std::string(paid_in ? "in" : "out"),
                                  line.amount.value(),
                                  format_rfc3339(line.completed_at),
                                  format_rfc3339(line.initiated_at.value_or(line.completed_at)),
                                  line.reason_type,
                                  is_payment_reference(line.account_no) ? line.account_no : std::string());
    }
    stream.complete();
}

// The first staged line that contradicts a line imported before, or nullopt.
std::optional<std::string> contradiction(pqxx::work& tx, const std::string& shortcode) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT s.receipt FROM statement_staging s JOIN mpesa_statement_lines l "
        "  ON l.shortcode = $1 AND l.receipt = s.receipt "
        "WHERE l.amount_cents <> s.amount_cents OR l.direction <> s.direction "
        "ORDER BY s.receipt LIMIT 1",
        shortcode);
    if (rows.empty()) {
        return std::nullopt;
    }
    return rows[0][0].as<std::string>();
}

}  // namespace

Result<StatementImport> import_statement(pqxx::work& tx,
                                         const StatementAccounts& accounts,
                                         std::string_view shortcode,
                                         std::string_view file_name,
                                         std::string_view csv,
                                         const std::optional<std::string>& imported_by,
                                         TimePoint now) {
    // One import at a time: two overlapping files must each see the other's lines.
    tx.exec("SELECT pg_advisory_xact_lock(hashtext('goldwallet:statement_import'))");
    const std::string digest = sha256_hex(csv);
    if (auto found = find_imported(tx, digest)) {
        return *found;
    }
    auto statement = mpesa::parse_statement(csv);
    if (!statement) {
        return statement.error();
    }
    if (!statement->period_from || !statement->period_to ||
        *statement->period_from > *statement->period_to) {
        return make_error(ErrorCode::validation_failed,
                          "the statement names no time period and lists no transaction");
    }
    auto account = statement_account(accounts, shortcode, statement->shortcode);
    if (!account) {
        return account.error();
    }
    StatementImport imported;
    imported.statement_id = identity::random_uuid();
    imported.shortcode = *account;
    imported.period_from = *statement->period_from;
    imported.period_to = *statement->period_to;
    imported.lines = statement->lines.size();
    imported.skipped_rows = statement->skipped_rows;
    stage_lines(tx, *statement);
    if (const auto receipt = contradiction(tx, imported.shortcode)) {
        return make_error(ErrorCode::validation_failed,
                          "receipt " + *receipt +
                              " has another amount or direction in a statement imported before");
    }
    db::exec_prepared0(tx,
        "INSERT INTO mpesa_statements (id, sha256, file_name, shortcode, period_from, period_to, "
        "  line_count, imported_by, imported_at) "
        "VALUES ($1::uuid, decode($2, 'hex'), $3, $4, $5::timestamptz, $6::timestamptz, $7, "
        "        $8::uuid, $9::timestamptz)",
        imported.statement_id,
        digest,
        stored_file_name(file_name),
        imported.shortcode,
        format_rfc3339(imported.period_from),
        format_rfc3339(imported.period_to),
        static_cast<std::int64_t>(imported.lines),
        imported_by,
        format_rfc3339(now));
    const pqxx::result inserted = db::exec_prepared(tx,
        "INSERT INTO mpesa_statement_lines (shortcode, receipt, statement_id, direction, "
        "  amount_cents, completed_at, initiated_at, reason_type, account_no) "
        "SELECT $1, receipt, $2::uuid, direction, amount_cents, completed_at, initiated_at, "
        "       reason_type, account_no FROM statement_staging "
        "ON CONFLICT (shortcode, receipt) DO NOTHING",
        imported.shortcode,
        imported.statement_id);
    imported.new_lines = static_cast<std::size_t>(inserted.affected_rows());
    if (imported.new_lines > 1000) {
        // A bulk import changes the table's shape at once; matching runs next, so its plans
        // should not wait for autovacuum to notice.
        tx.exec0("ANALYZE mpesa_statement_lines");
    }
    return imported;
}

}  // namespace gw::jobs
