#include "mpesa/statement_parser.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "mpesa/nairobi_time.hpp"

namespace gw::mpesa {
namespace {

enum class Column { receipt, completed, initiated, status, paid_in, withdrawn, reason, account };

// Header names of each column: the portal export's first, then the raw extract's.
struct ColumnNames {
    Column column;
    std::array<std::string_view, 3> names;
};

constexpr std::array<ColumnNames, 8> kColumnNames{{
    {Column::receipt, {"receipt no.", "receipt_number", "receipt no"}},
    {Column::completed, {"completion time", "completion_timestamp", "end_timestamp"}},
    {Column::initiated, {"initiation time", "start_timestamp", "initiation_timestamp"}},
    {Column::status, {"transaction status", "transaction_status", "status"}},
    {Column::paid_in, {"paid in", "credit_amount", "paid_in"}},
    {Column::withdrawn, {"withdrawn", "debit_amount", "withdrawn_amount"}},
    {Column::reason, {"reason type", "reason_type", "transaction_type"}},
    {Column::account, {"a/c no.", "account_number", "a/c no"}},
}};

std::string trimmed_lower(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    const auto last = text.find_last_not_of(" \t");
    std::string out(first == std::string_view::npos ? std::string_view{}
                                                    : text.substr(first, last - first + 1));
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

using ColumnIndex = std::map<Column, std::size_t>;

// The columns of `row` when it is the header (it names a receipt column), else nullopt.
std::optional<ColumnIndex> header_columns(const std::vector<std::string>& row) {
    ColumnIndex index;
    for (std::size_t i = 0; i < row.size(); ++i) {
        const std::string name = trimmed_lower(row[i]);
        for (const ColumnNames& known : kColumnNames) {
            if (std::find(known.names.begin(), known.names.end(), name) != known.names.end()) {
                index.try_emplace(known.column, i);
            }
        }
    }
    if (!index.contains(Column::receipt)) {
        return std::nullopt;
    }
    return index;
}

std::string_view field(const std::vector<std::string>& row, const ColumnIndex& index, Column column) {
    const auto found = index.find(column);
    if (found == index.end() || found->second >= row.size()) {
        return {};
    }
    std::string_view text = row[found->second];
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

Error row_error(std::size_t row_number, const std::string& what) {
    return Error{ErrorCode::validation_failed,
                 "statement row " + std::to_string(row_number) + ": " + what};
}

enum class Sign { positive, either };

// An amount cell: empty -> nullopt; "1,500.00", "-1500.00" -> 150000 cents. A minus sign is
// accepted only where `sign` allows it (Withdrawn, which portal exports write negative).
Result<std::optional<Cents>> parse_amount(std::string_view text, Sign sign) {
    std::string plain;
    for (char c : text) {
        if (c != ',') {
            plain += c;
        }
    }
    if (sign == Sign::either && !plain.empty() && plain.front() == '-') {
        plain.erase(0, 1);
    }
    if (plain.empty()) {
        return std::optional<Cents>{};
    }
    auto amount = parse_kes(plain, Cents{kStatementLineCentsMax});
    if (!amount) {
        if (amount.error().code == ErrorCode::zero_amount) {
            return std::optional<Cents>{};
        }
        return amount.error();
    }
    return std::optional<Cents>{*amount};
}

bool valid_receipt(std::string_view receipt) {
    return !receipt.empty() && receipt.size() <= 40 &&
           std::all_of(receipt.begin(), receipt.end(), [](unsigned char c) {
               return std::isalnum(c) != 0;
           });
}

Result<StatementLine> parse_line(const std::vector<std::string>& row,
                                 const ColumnIndex& index,
                                 std::size_t row_number) {
    StatementLine line;
    line.receipt = std::string(field(row, index, Column::receipt));
    if (!valid_receipt(line.receipt)) {
        return row_error(row_number, "the receipt must be 1-40 letters and digits");
    }
    const auto completed = parse_statement_time(field(row, index, Column::completed));
    if (!completed) {
        return row_error(row_number, "the completion time must be dd-MM-yyyy HH:mm:ss");
    }
    line.completed_at = *completed;
    line.initiated_at = parse_statement_time(field(row, index, Column::initiated));
    auto paid_in = parse_amount(field(row, index, Column::paid_in), Sign::positive);
    auto withdrawn = parse_amount(field(row, index, Column::withdrawn), Sign::either);
    if (!paid_in || !withdrawn) {
        return row_error(row_number, "an amount is not a KES amount with at most 2 decimals");
    }
    if (paid_in->has_value() == withdrawn->has_value()) {
        return row_error(row_number, "exactly one of Paid In and Withdrawn must hold an amount");
    }
    line.direction = paid_in->has_value() ? MoneyDirection::in : MoneyDirection::out;
    line.amount = paid_in->has_value() ? **paid_in : **withdrawn;
    line.reason_type = std::string(field(row, index, Column::reason));
    line.account_no = std::string(field(row, index, Column::account));
    return line;
}

bool is_charge(std::string_view reason_type) {
    return trimmed_lower(reason_type).find("charge") != std::string::npos;
}

// Reads the metadata rows before the header ("Short Code:", "Time Period:"). Error
// validation_failed when the Time Period row names no readable period.
Result<void> read_metadata(const std::vector<std::string>& row, std::size_t row_number,
                           Statement& statement) {
    if (row.empty()) {
        return {};
    }
    const std::string label = trimmed_lower(row[0]);
    if (label == "short code:" && row.size() > 1) {
        statement.shortcode = trimmed_lower(row[1]);
    } else if (label == "time period:") {
        statement.period_from = row.size() >= 5 ? parse_statement_time(row[2]) : std::nullopt;
        statement.period_to = row.size() >= 5 ? parse_statement_time(row[4]) : std::nullopt;
        if (!statement.period_from || !statement.period_to ||
            *statement.period_from > *statement.period_to) {
            return row_error(row_number, "the Time Period must be From <time> To <later time>");
        }
    }
    return {};
}

bool blank(const std::vector<std::string>& row) {
    return std::all_of(row.begin(), row.end(), [](const std::string& cell) {
        return cell.find_first_not_of(" \t") == std::string::npos;
    });
}

// Without a Time Period row, the statement covers its first to its last completion.
void period_from_lines(Statement& statement) {
    if (statement.period_from) {
        return;
    }
    for (const StatementLine& line : statement.lines) {
        if (!statement.period_from || line.completed_at < *statement.period_from) {
            statement.period_from = line.completed_at;
        }
        if (!statement.period_to || line.completed_at > *statement.period_to) {
            statement.period_to = line.completed_at;
        }
    }
}

}  // namespace

std::optional<std::vector<std::vector<std::string>>> split_csv(std::string_view csv) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    bool row_has_content = false;
    for (std::size_t i = 0; i < csv.size(); ++i) {
        const char c = csv[i];
        if (quoted) {
            if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
            row_has_content = true;
        } else if (c == ',') {
            row.push_back(std::move(cell));
            cell.clear();
            row_has_content = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') {
                ++i;
            }
            if (row_has_content || !cell.empty()) {
                row.push_back(std::move(cell));
                rows.push_back(std::move(row));
            }
            row.clear();
            cell.clear();
            row_has_content = false;
        } else {
            cell += c;
        }
    }
    if (quoted) {
        return std::nullopt;
    }
    if (row_has_content || !cell.empty()) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::optional<TimePoint> parse_statement_time(std::string_view text) {
    // "dd-MM-yyyy HH:mm:ss" or "yyyy-MM-dd HH:mm:ss" -> Daraja's "yyyyMMddHHmmss".
    if (text.size() != 19 || text[10] != ' ' || text[13] != ':' || text[16] != ':') {
        return std::nullopt;
    }
    std::string compact;
    if (text[2] == '-' && text[5] == '-') {
        compact = std::string(text.substr(6, 4)) + std::string(text.substr(3, 2)) +
                  std::string(text.substr(0, 2));
    } else if (text[4] == '-' && text[7] == '-') {
        compact = std::string(text.substr(0, 4)) + std::string(text.substr(5, 2)) +
                  std::string(text.substr(8, 2));
    } else {
        return std::nullopt;
    }
    compact += std::string(text.substr(11, 2)) + std::string(text.substr(14, 2)) +
               std::string(text.substr(17, 2));
    return parse_daraja_timestamp(compact);
}

Result<Statement> parse_statement(std::string_view csv) {
    if (csv.size() > kStatementBytesMax) {
        return make_error(ErrorCode::validation_failed, "the statement file is too large");
    }
    if (csv.starts_with("\xEF\xBB\xBF")) {
        csv.remove_prefix(3);  // a byte order mark, as spreadsheet exports write
    }
    const auto rows = split_csv(csv);
    if (!rows) {
        return make_error(ErrorCode::validation_failed, "the statement has an unclosed quote");
    }
    Statement statement;
    std::optional<ColumnIndex> columns;
    std::set<std::string> receipts;
    for (std::size_t i = 0; i < rows->size(); ++i) {
        const auto& row = (*rows)[i];
        if (blank(row)) {
            continue;  // spreadsheets leave empty rows behind
        }
        if (!columns) {
            columns = header_columns(row);
            if (!columns) {
                if (auto read = read_metadata(row, i + 1, statement); !read) {
                    return read.error();
                }
            } else if (!columns->contains(Column::completed) ||
                       (!columns->contains(Column::paid_in) && !columns->contains(Column::withdrawn))) {
                return row_error(i + 1, "the header lacks a completion time or amount column");
            }
            continue;
        }
        const std::string status = trimmed_lower(field(row, *columns, Column::status));
        if ((!status.empty() && status != "completed") ||
            is_charge(field(row, *columns, Column::reason))) {
            ++statement.skipped_rows;
            continue;
        }
        auto line = parse_line(row, *columns, i + 1);
        if (!line) {
            return line.error();
        }
        if (!receipts.insert(line->receipt).second) {
            return row_error(i + 1, "receipt " + line->receipt + " is listed twice");
        }
        statement.lines.push_back(std::move(*line));
    }
    if (!columns) {
        return make_error(ErrorCode::validation_failed,
                          "no header row with a Receipt No. column was found");
    }
    period_from_lines(statement);
    return statement;
}

}  // namespace gw::mpesa
