// Proves the portal statement export: CSV quoting, the six metadata rows, the exact header,
// rows only for completed transactions of the account within the Nairobi days asked for, in
// completion order, Paid In for STK and (negative) Withdrawn for B2C, masked Other Party Info,
// opening and closing balances, and the file name.

#include "daraja-sim/statement_export.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace gw::sim {
namespace {

std::chrono::sys_days day(unsigned d) {
    return std::chrono::sys_days(std::chrono::year(2025) / std::chrono::month(3) /
                                 std::chrono::day(d));
}

// `d` March 2025 at hh:00 Nairobi.
TimePoint nairobi(unsigned d, int hh) {
    return TimePoint(day(d) + std::chrono::hours(hh - 3));
}

Transaction stk(std::string receipt, std::int64_t kes, TimePoint at, std::int64_t balance) {
    Transaction t;
    t.kind = TransactionKind::stk;
    t.status = TransactionStatus::completed;
    t.shortcode = "174379";
    t.msisdn = "254708374149";
    t.amount_kes = kes;
    t.account_reference = "INV001";
    t.receipt = std::move(receipt);
    t.initiated_at = at - std::chrono::seconds(30);
    t.finalised_at = at;
    t.balance_after_kes = balance;
    return t;
}

std::vector<std::string> lines(const std::string& csv) {
    std::vector<std::string> out;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        out.push_back(line);
    }
    return out;
}

TEST(Csv, Quoting) {
    EXPECT_EQ(csv_field("plain"), "plain");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv_field(" padded"), "\" padded\"");
    EXPECT_EQ(csv_field(""), "");
}

TEST(Statement, RowShapeForStk) {
    EXPECT_EQ(
        statement_row(stk("TC14XK2Q9P", 1500, nairobi(1, 14), 1500)),
        "TC14XK2Q9P,01-03-2025 14:00:00,01-03-2025 13:59:30,Pay Bill Online from 2547******149 - "
        "JANE DOE Acc. INV001,Completed,1500.00,,1500.00,true,Pay Bill Online,2547******149 - JANE "
        "DOE,,"
        "INV001\r\n");
}

TEST(Statement, RowShapeForB2c) {
    Transaction t = stk("TC17PLM4QX", 1500, nairobi(1, 15), 998'500);
    t.kind = TransactionKind::b2c;
    t.shortcode = "600980";
    t.transaction_type = "BusinessPayment";
    EXPECT_EQ(statement_row(t),
              "TC17PLM4QX,01-03-2025 15:00:00,01-03-2025 14:59:30,Business Payment to Customer via "
              "API to "
              "2547******149 - JANE DOE,Completed,,-1500.00,998500.00,true,Business Payment to "
              "Customer via "
              "API,2547******149 - JANE DOE,,\r\n");
}

TEST(Statement, PeriodBalancesAndFilter) {
    Transaction failed = stk("", 50, nairobi(2, 10), 0);
    failed.status = TransactionStatus::failed;
    Transaction other_account = stk("TC00000009", 70, nairobi(2, 10), 70);
    other_account.shortcode = "600980";
    const std::vector<Transaction> all = {
        stk("TC00000003", 300, nairobi(3, 9), 600),   // after the period
        stk("TC00000002", 200, nairobi(2, 12), 300),  // inside, listed second
        stk("TC00000001", 100, nairobi(1, 23), 100),  // before the period: opening balance
        stk("TC00000004", 0, nairobi(2, 1), 100),     // inside, listed first
        failed,
        other_account,
    };
    const StatementFile file =
        build_statement(all, StatementQuery{"174379", day(2), day(2), 0, nairobi(4, 8)});
    EXPECT_EQ(file.file_name, "ORG_174379_Utility Account_Completed_20250304080000.csv");
    const std::vector<std::string> rows = lines(file.csv);
    ASSERT_EQ(rows.size(), 9U);
    EXPECT_EQ(rows[0], "Account Holder:,174379 - GOLD WALLET SIM");
    EXPECT_EQ(rows[3], "Time Period:,From,02-03-2025 00:00:00,To,02-03-2025 23:59:59");
    EXPECT_EQ(rows[4], "Opening Balance:,100.00");
    EXPECT_EQ(rows[5], "Closing Balance:,300.00");
    EXPECT_EQ(rows[6], kStatementHeader);
    EXPECT_TRUE(rows[7].starts_with("TC00000004,"));
    EXPECT_TRUE(rows[8].starts_with("TC00000002,"));
}

TEST(Statement, EmptyPeriodUsesTheInitialBalance) {
    const StatementFile file =
        build_statement({}, StatementQuery{"600980", day(1), day(3), 1'000'000, nairobi(4, 8)});
    const std::vector<std::string> rows = lines(file.csv);
    ASSERT_EQ(rows.size(), 7U);
    EXPECT_EQ(rows[4], "Opening Balance:,1000000.00");
    EXPECT_EQ(rows[5], "Closing Balance:,1000000.00");
}

}  // namespace
}  // namespace gw::sim
