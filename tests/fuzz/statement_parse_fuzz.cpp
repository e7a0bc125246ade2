// Fuzz entry point for the M-Pesa statement parser (mpesa/statement_parser.hpp), which reads
// files an operator uploads. Properties, any violation traps:
//   - parse_statement never crashes or throws; a refusal is validation_failed with a short
//     detail;
//   - an accepted statement has a period whenever it has lines, and any period runs forward
//     (from <= to); every line has a
//     receipt of 1-40 letters and digits, a unique one, and an amount in
//     [1 cent, kStatementLineCentsMax];
//   - parsing is deterministic, and split_csv agrees with parse_statement about unclosed quotes.
// Under GCC the checked-in corpus replays through corpus_replay_main.cpp as a unit test.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "core/error.hpp"
#include "mpesa/statement_parser.hpp"

namespace {

namespace mpesa = gw::mpesa;

void require(bool property) {
    if (!property) {
        __builtin_trap();
    }
}

void check_line(const mpesa::StatementLine& line, std::set<std::string>& receipts) {
    require(!line.receipt.empty() && line.receipt.size() <= 40);
    for (char c : line.receipt) {
        require(std::isalnum(static_cast<unsigned char>(c)) != 0);
    }
    require(receipts.insert(line.receipt).second);
    require(line.amount.value() >= 1 && line.amount.value() <= mpesa::kStatementLineCentsMax);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const gw::Result<mpesa::Statement> statement = mpesa::parse_statement(text);
    const gw::Result<mpesa::Statement> again = mpesa::parse_statement(text);
    require(statement.has_value() == again.has_value());
    if (!statement) {
        require(statement.error().code == gw::ErrorCode::validation_failed);
        require(!statement.error().detail.empty() && statement.error().detail.size() < 200);
        return 0;
    }
    require(mpesa::split_csv(text).has_value());
    if (!statement->lines.empty()) {
        require(statement->period_from.has_value() && statement->period_to.has_value());
    }
    if (statement->period_from && statement->period_to) {
        require(*statement->period_from <= *statement->period_to);
    }
    std::set<std::string> receipts;
    for (const mpesa::StatementLine& line : statement->lines) {
        check_line(line, receipts);
    }
    require(again->lines.size() == statement->lines.size());
    return 0;
}
