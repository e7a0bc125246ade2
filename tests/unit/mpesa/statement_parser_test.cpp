// Proves the statement parser (mpesa/statement_parser.hpp) reads the org portal export exactly as
// the daraja-sim writes it (metadata rows, the confirmed header, CRLF, negative Withdrawn, quoted
// fields) and the upper-case raw extract in another column order, with exact Cents and Nairobi
// times; that it skips and counts rows that are not Completed or are charges; that every bad kept
// row is refused as validation_failed naming its row; and the edges of split_csv and
// parse_statement_time. The CSV text is written by hand: this binary links gw_mpesa only, and
// the simulator must not share wire-format code with src/mpesa anyway.

#include "mpesa/statement_parser.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/time_text.hpp"

namespace gw::mpesa {
namespace {

// tools/daraja-sim/statement_export.hpp kStatementHeader, copied by hand on purpose.
constexpr std::string_view kPortalHeader =
    "Receipt No.,Completion Time,Initiation Time,Details,Transaction Status,Paid In,Withdrawn,"
    "Balance,Balance Confirmed,Reason Type,Other Party Info,Linked Transaction ID,A/C No.";

// The six metadata rows build_statement writes for shortcode 174379 and Nairobi day 18-11-2026.
constexpr std::string_view kSimMetadata =
    "Account Holder:,174379 - GOLD WALLET SIM\r\n"
    "Short Code:,174379\r\n"
    "Account:,Utility Account\r\n"
    "Time Period:,From,18-11-2026 00:00:00,To,18-11-2026 23:59:59\r\n"
    "Opening Balance:,0.00\r\n"
    "Closing Balance:,1000.00\r\n";

// One STK payment and one B2C payout, byte for byte as statement_row writes them.
constexpr std::string_view kSimStkRow =
    "TK18AB12CD,18-11-2026 14:06:40,18-11-2026 14:06:10,Pay Bill Online from 2547******149 - "
    "JANE DOE Acc. GW1234567890,Completed,2500.00,,2500.00,true,Pay Bill Online,2547******149 - "
    "JANE DOE,,GW1234567890\r\n";
constexpr std::string_view kSimB2cRow =
    "TK18EF34GH,18-11-2026 15:00:00,18-11-2026 14:59:30,Business Payment to Customer via API to "
    "2547******149 - JANE DOE,Completed,,-1500.00,1000.00,true,Business Payment to Customer via "
    "API,2547******149 - JANE DOE,,\r\n";

TimePoint utc(std::string_view rfc3339) {
    const std::optional<TimePoint> at = parse_rfc3339(rfc3339);
    EXPECT_TRUE(at.has_value()) << rfc3339;
    return at.value_or(TimePoint{});
}

std::string sim_export(std::string_view rows) {
    return std::string(kSimMetadata) + std::string(kPortalHeader) + "\r\n" + std::string(rows);
}

// A portal file with no metadata whose only data row is `row` (so that row is row 2).
std::string one_row(std::string_view row) {
    return std::string(kPortalHeader) + "\r\n" + std::string(row) + "\r\n";
}

// A Completed Pay Bill Online portal row with the given receipt, completion time and amounts.
std::string portal_row(std::string_view receipt,
                       std::string_view completed,
                       std::string_view paid_in,
                       std::string_view withdrawn) {
    return std::string(receipt) + "," + std::string(completed) + ",,Details,Completed," +
           std::string(paid_in) + "," + std::string(withdrawn) + ",,true,Pay Bill Online,,,";
}

Statement parsed(std::string_view csv) {
    Result<Statement> statement = parse_statement(csv);
    EXPECT_TRUE(statement.has_value()) << (statement ? "" : statement.error().detail);
    return statement ? *statement : Statement{};
}

// Expects validation_failed whose detail starts "statement row <row>:" and holds `what`.
void expect_row_error(std::string_view csv, std::size_t row, std::string_view what) {
    const Result<Statement> statement = parse_statement(csv);
    ASSERT_FALSE(statement.has_value()) << csv;
    EXPECT_EQ(statement.error().code, ErrorCode::validation_failed);
    const std::string& detail = statement.error().detail;
    EXPECT_TRUE(detail.starts_with("statement row " + std::to_string(row) + ":")) << detail;
    EXPECT_NE(detail.find(what), std::string::npos) << detail;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(StatementParser, ReadsTheSimulatorsExportWithItsShortcodePeriodAndLines) {
    const Statement statement = parsed(sim_export(std::string(kSimStkRow) + std::string(kSimB2cRow)));
    EXPECT_EQ(statement.shortcode, "174379");
    EXPECT_EQ(statement.period_from, utc("2026-11-17T21:00:00Z")) << "Nairobi midnight is 21:00Z";
    EXPECT_EQ(statement.period_to, utc("2026-11-18T20:59:59Z"));
    EXPECT_EQ(statement.skipped_rows, 0U);
    ASSERT_EQ(statement.lines.size(), 2U);

    const StatementLine& paid = statement.lines[0];
    EXPECT_EQ(paid.receipt, "TK18AB12CD");
    EXPECT_EQ(paid.direction, MoneyDirection::in);
    EXPECT_EQ(paid.amount, Cents{250'000});
    EXPECT_EQ(paid.completed_at, utc("2026-11-18T11:06:40Z"));
    EXPECT_EQ(paid.initiated_at, utc("2026-11-18T11:06:10Z"));
    EXPECT_EQ(paid.reason_type, "Pay Bill Online");
    EXPECT_EQ(paid.account_no, "GW1234567890");

    const StatementLine& payout = statement.lines[1];
    EXPECT_EQ(payout.receipt, "TK18EF34GH");
    EXPECT_EQ(payout.direction, MoneyDirection::out);
    EXPECT_EQ(payout.amount, Cents{150'000}) << "the minus sign of a withdrawal is dropped";
    EXPECT_EQ(payout.completed_at, utc("2026-11-18T12:00:00Z"));
    EXPECT_EQ(payout.reason_type, "Business Payment to Customer via API");
    EXPECT_EQ(payout.account_no, "");
}

TEST(StatementParser, AnExportWithNoTransactionsKeepsTheMetadataPeriod) {
    const Statement statement = parsed(sim_export(""));
    EXPECT_EQ(statement.shortcode, "174379");
    EXPECT_TRUE(statement.lines.empty());
    EXPECT_EQ(statement.period_from, utc("2026-11-17T21:00:00Z"));
    EXPECT_EQ(statement.period_to, utc("2026-11-18T20:59:59Z"));
}

TEST(StatementParser, QuotedFieldsKeepTheirCommasAndThousandsSeparatorsAreExact) {
    const Statement statement = parsed(one_row(
        "TK18AB12CD,18-11-2026 14:06:40,,\"Pay Bill Online from 2547******149 - DOE, JANE "
        "Acc. GW1350C69C46\",Completed,\"1,500.00\",,\"12,345,678.90\",true,Pay Bill Online,"
        "\"2547******149 - DOE, JANE\",,GW1350C69C46"));
    ASSERT_EQ(statement.lines.size(), 1U);
    EXPECT_EQ(statement.lines[0].amount, Cents{150'000});
    EXPECT_EQ(statement.lines[0].direction, MoneyDirection::in);
    EXPECT_EQ(statement.lines[0].account_no, "GW1350C69C46")
        << "the commas inside quotes did not shift the columns";
    EXPECT_FALSE(statement.lines[0].initiated_at.has_value()) << "an empty Initiation Time";
}

TEST(StatementParser, AmountsAreExactToTheCentUpToTheLineMaximum) {
    const struct {
        std::string_view text;
        std::int64_t cents;
    } cases[] = {{"1", 100}, {"1.5", 150}, {"0.01", 1}, {"-1500.00", 150'000},
                 {"1000000000.00", kStatementLineCentsMax}};
    for (const auto& c : cases) {
        const Statement statement =
            parsed(one_row(portal_row("TK1", "18-11-2026 14:06:40", "", c.text)));
        ASSERT_EQ(statement.lines.size(), 1U) << c.text;
        EXPECT_EQ(statement.lines[0].amount, Cents{c.cents}) << c.text;
        EXPECT_EQ(statement.lines[0].direction, MoneyDirection::out) << c.text;
    }
    expect_row_error(one_row(portal_row("TK1", "18-11-2026 14:06:40", "1000000000.01", "")), 2,
                     "at most 2 decimals");
}

TEST(StatementParser, AByteOrderMarkBeforeTheFirstRowIsIgnored) {
    const Statement statement =
        parsed("\xEF\xBB\xBF" + sim_export(std::string(kSimStkRow)));
    EXPECT_EQ(statement.shortcode, "174379") << "the first metadata label still reads";
    ASSERT_EQ(statement.lines.size(), 1U);
    EXPECT_EQ(statement.lines[0].amount, Cents{250'000});

    const Statement header_first = parsed("\xEF\xBB\xBF" + one_row(kSimStkRow));
    ASSERT_EQ(header_first.lines.size(), 1U) << "the header still reads as the header";
    EXPECT_EQ(header_first.lines[0].receipt, "TK18AB12CD");
}

TEST(StatementParser, ReadsTheUpperCaseRawExtractInAnotherColumnOrder) {
    const Statement statement = parsed(
        "ACCOUNT_NUMBER,DEBIT_AMOUNT,CREDIT_AMOUNT,COMPLETION_TIMESTAMP,RECEIPT_NUMBER,"
        "TRANSACTION_STATUS,START_TIMESTAMP,REASON_TYPE\n"
        "GW1350C69C46,,850.00,2026-11-18 14:06:40,TK18AB12CD,COMPLETED,2026-11-18 14:06:00,"
        "Pay Bill Online\n"
        ",700.00,,2026-11-18 16:30:00,TK18EF34GH,COMPLETED,,Business Payment to Customer\n");
    ASSERT_EQ(statement.lines.size(), 2U);
    EXPECT_EQ(statement.lines[0].receipt, "TK18AB12CD");
    EXPECT_EQ(statement.lines[0].direction, MoneyDirection::in);
    EXPECT_EQ(statement.lines[0].amount, Cents{85'000});
    EXPECT_EQ(statement.lines[0].completed_at, utc("2026-11-18T11:06:40Z"));
    EXPECT_EQ(statement.lines[0].initiated_at, utc("2026-11-18T11:06:00Z"));
    EXPECT_EQ(statement.lines[0].account_no, "GW1350C69C46");
    EXPECT_EQ(statement.lines[1].direction, MoneyDirection::out);
    EXPECT_EQ(statement.lines[1].amount, Cents{70'000});
    EXPECT_EQ(statement.lines[1].reason_type, "Business Payment to Customer");
}

TEST(StatementParser, TheOtherAcceptedHeaderSpellingsAlsoRead) {
    const Statement statement = parsed(
        "  receipt no ,END_TIMESTAMP,status,paid_in,withdrawn_amount,transaction_type,a/c no\n"
        "TK1,18-11-2026 14:06:40,Completed,10.00,,Pay Bill Online,GWAAAAAAAAAA\n");
    ASSERT_EQ(statement.lines.size(), 1U);
    EXPECT_EQ(statement.lines[0].amount, Cents{1'000});
    EXPECT_EQ(statement.lines[0].reason_type, "Pay Bill Online");
    EXPECT_EQ(statement.lines[0].account_no, "GWAAAAAAAAAA");
}

TEST(StatementParser, RowsNotCompletedAndChargeRowsAreSkippedAndCounted) {
    const Statement statement = parsed(sim_export(
        std::string(kSimStkRow) +
        "TK18XX0001,18-11-2026 14:10:00,,Details,Failed,100.00,,,true,Pay Bill Online,,,\r\n"
        "TK18XX0002,18-11-2026 14:11:00,,Details,Cancelled,200.00,,,true,Pay Bill Online,,,\r\n"
        "TK18XX0003,18-11-2026 14:12:00,,Details,Completed,,-15.00,,true,Business Pay Bill "
        "Charge,,,\r\n"
        "TK18XX0004,18-11-2026 14:13:00,,Details,COMPLETED,300.00,,,true,Pay Bill Online,,,\r\n"));
    EXPECT_EQ(statement.skipped_rows, 3U);
    ASSERT_EQ(statement.lines.size(), 2U);
    EXPECT_EQ(statement.lines[0].receipt, "TK18AB12CD");
    EXPECT_EQ(statement.lines[1].receipt, "TK18XX0004") << "the status is read case-insensitively";
}

TEST(StatementParser, ASkippedRowIsNotValidated) {
    // A failed row has no receipt and no amount; it must not fail the import.
    const Statement statement =
        parsed(one_row("!!,not a time,,Details,Failed,,,,true,Pay Bill Online,,,"));
    EXPECT_EQ(statement.skipped_rows, 1U);
    EXPECT_TRUE(statement.lines.empty());
}

TEST(StatementParser, WithoutMetadataThePeriodIsTheEarliestAndLatestCompletion) {
    const Statement statement = parsed(
        std::string(kPortalHeader) + "\n" +
        portal_row("TK2", "18-11-2026 14:06:40", "1.00", "") + "\n" +
        portal_row("TK1", "17-11-2026 09:00:00", "1.00", "") + "\n" +
        portal_row("TK3", "18-11-2026 23:30:00", "", "1.00") + "\n" +
        portal_row("TK4", "18-11-2026 10:00:00", "1.00", "") + "\n");
    EXPECT_EQ(statement.shortcode, "");
    ASSERT_EQ(statement.lines.size(), 4U);
    EXPECT_EQ(statement.period_from, utc("2026-11-17T06:00:00Z"));
    EXPECT_EQ(statement.period_to, utc("2026-11-18T20:30:00Z"));
}

TEST(StatementParser, WithoutMetadataOrLinesThereIsNoPeriod) {
    const Statement statement = parsed(std::string(kPortalHeader) + "\r\n");
    EXPECT_TRUE(statement.lines.empty());
    EXPECT_FALSE(statement.period_from.has_value());
    EXPECT_FALSE(statement.period_to.has_value());
}

TEST(StatementParser, AFileWithoutAHeaderIsRefused) {
    for (std::string_view csv : {std::string_view(""), std::string_view(kSimMetadata),
                                 std::string_view("TK1,18-11-2026 14:06:40,,,Completed,1.00\r\n")}) {
        const Result<Statement> statement = parse_statement(csv);
        ASSERT_FALSE(statement.has_value()) << csv;
        EXPECT_EQ(statement.error().code, ErrorCode::validation_failed);
        EXPECT_NE(statement.error().detail.find("no header row"), std::string::npos);
    }
}

TEST(StatementParser, AHeaderWithoutAnAmountOrCompletionColumnIsRefusedAtItsRow) {
    expect_row_error(std::string(kSimMetadata) +
                         "Receipt No.,Completion Time,Details,Transaction Status,Balance\r\n",
                     7, "lacks a completion time or amount column");
    expect_row_error("Receipt No.,Initiation Time,Paid In,Withdrawn\r\n", 1,
                     "lacks a completion time or amount column");
}

TEST(StatementParser, AHeaderWithOnlyOneAmountColumnIsEnough) {
    const Statement statement = parsed("Receipt No.,Completion Time,Paid In\n"
                                       "TK1,18-11-2026 14:06:40,5.00\n");
    ASSERT_EQ(statement.lines.size(), 1U);
    EXPECT_EQ(statement.lines[0].amount, Cents{500});
}

TEST(StatementParser, AReceiptMustBeOneToFortyLettersAndDigits) {
    const std::string forty(40, 'A');
    const Statement statement =
        parsed(one_row(portal_row(forty, "18-11-2026 14:06:40", "1.00", "")));
    ASSERT_EQ(statement.lines.size(), 1U);
    EXPECT_EQ(statement.lines[0].receipt, forty);

    for (const std::string& receipt : {std::string(41, 'A'), std::string("TK18-AB12"),
                                       std::string("TK18.AB12"), std::string(""),
                                       std::string("TK18 AB12")}) {
        expect_row_error(one_row(portal_row(receipt, "18-11-2026 14:06:40", "1.00", "")), 2,
                         "receipt must be 1-40 letters and digits");
    }
}

TEST(StatementParser, ARowWithABadCompletionTimeIsRefused) {
    for (std::string_view at : {"31-02-2026 10:00:00", "18/11/2026 14:06:40",
                                "18-11-2026 14:06", "", "18-11-2026 24:00:00"}) {
        expect_row_error(sim_export(portal_row("TK1", at, "1.00", "") + "\r\n"), 8,
                         "completion time must be");
    }
}

TEST(StatementParser, ABadInitiationTimeIsDroppedNotRefused) {
    const Statement statement = parsed(one_row(
        "TK1,18-11-2026 14:06:40,31-02-2026 10:00:00,Details,Completed,1.00,,,true,x,,,"));
    ASSERT_EQ(statement.lines.size(), 1U);
    EXPECT_FALSE(statement.lines[0].initiated_at.has_value());
}

TEST(StatementParser, ExactlyOneOfPaidInAndWithdrawnMustHoldAnAmount) {
    expect_row_error(one_row(portal_row("TK1", "18-11-2026 14:06:40", "1.00", "-1.00")), 2,
                     "exactly one of Paid In and Withdrawn");
    expect_row_error(one_row(portal_row("TK1", "18-11-2026 14:06:40", "", "")), 2,
                     "exactly one of Paid In and Withdrawn");
    expect_row_error(one_row(portal_row("TK1", "18-11-2026 14:06:40", "0.00", "")), 2,
                     "exactly one of Paid In and Withdrawn");
}

TEST(StatementParser, AZeroInTheOtherAmountColumnCountsAsEmpty) {
    const Statement statement =
        parsed(one_row(portal_row("TK1", "18-11-2026 14:06:40", "0.00", "-20.00")));
    ASSERT_EQ(statement.lines.size(), 1U);
    EXPECT_EQ(statement.lines[0].direction, MoneyDirection::out);
    EXPECT_EQ(statement.lines[0].amount, Cents{2'000});
}

TEST(StatementParser, AnAmountThatIsNotExactKesIsRefused) {
    for (std::string_view amount : {"1.005", "1.000", "abc", "1e3", "--5", "KES 5", "1.2.3"}) {
        expect_row_error(one_row(portal_row("TK1", "18-11-2026 14:06:40", amount, "")), 2,
                         "not a KES amount with at most 2 decimals");
    }
}

TEST(StatementParser, ARepeatedReceiptIsRefusedAtItsSecondRow) {
    expect_row_error(sim_export(std::string(kSimStkRow) + std::string(kSimB2cRow) +
                                std::string(kSimStkRow)),
                     10, "receipt TK18AB12CD is listed twice");
}

TEST(StatementParser, AReceiptRepeatedOnlyOnASkippedRowIsAccepted) {
    const Statement statement = parsed(sim_export(
        std::string(kSimStkRow) +
        "TK18AB12CD,18-11-2026 14:06:40,,Details,Failed,2500.00,,,true,Pay Bill Online,,,\r\n"));
    EXPECT_EQ(statement.lines.size(), 1U);
    EXPECT_EQ(statement.skipped_rows, 1U);
}

TEST(StatementParser, AnUnclosedQuoteIsRefused) {
    const Result<Statement> statement =
        parse_statement(sim_export("TK1,18-11-2026 14:06:40,,\"Details,Completed,1.00,,\r\n"));
    ASSERT_FALSE(statement.has_value());
    EXPECT_EQ(statement.error().code, ErrorCode::validation_failed);
    EXPECT_NE(statement.error().detail.find("unclosed quote"), std::string::npos);
}

TEST(StatementParser, TheDeclaredPeriodStandsEvenWhenALineLiesOutsideIt) {
    // A statement claims what it covers; a stray line must not widen that claim.
    const Statement statement =
        parsed(sim_export(portal_row("TK19AB12CD", "19-11-2026 10:00:00", "10.00", "") + "\r\n"));
    ASSERT_EQ(statement.lines.size(), 1u);
    EXPECT_EQ(statement.period_from, utc("2026-11-17T21:00:00Z"));
    EXPECT_EQ(statement.period_to, utc("2026-11-18T20:59:59Z"));
}

TEST(StatementParser, AnUnreadableTimePeriodIsRefused) {
    for (const char* period : {"Time Period:,From,31-02-2026 00:00:00,To,18-11-2026 23:59:59",
                               "Time Period:,From,18-11-2026 23:59:59,To,18-11-2026 00:00:00",
                               "Time Period:,From,18-11-2026 00:00:00"}) {
        const std::string csv = std::string(period) + "\r\n" + one_row(portal_row("AB1", "18-11-2026 10:00:00", "10.00", ""));
        const Result<Statement> statement = parse_statement(csv);
        ASSERT_FALSE(statement.has_value()) << period;
        EXPECT_EQ(statement.error().code, ErrorCode::validation_failed);
        EXPECT_NE(statement.error().detail.find("Time Period"), std::string::npos) << period;
    }
}

TEST(StatementParser, ANegativePaidInIsRefused) {
    expect_row_error(one_row(portal_row("AB1", "18-11-2026 10:00:00", "-5.00", "")), 2, "KES amount");
}

TEST(StatementParser, BlankRowsAreIgnored) {
    const Statement statement =
        parsed(one_row(portal_row("AB1", "18-11-2026 10:00:00", "10.00", "")) + ",,,,,,,,,,,,\r\n , ,\r\n");
    ASSERT_EQ(statement.lines.size(), 1u);
    EXPECT_EQ(statement.skipped_rows, 0u);
}

TEST(SplitCsv, DoubledQuotesInsideAQuotedFieldAreOneQuote) {
    EXPECT_EQ(split_csv("a,\"say \"\"hi\"\", then go\",c"),
              (Rows{{"a", "say \"hi\", then go", "c"}}));
    EXPECT_EQ(split_csv("\"\"\"\""), (Rows{{"\""}}));
}

TEST(SplitCsv, EmptyFieldsAreKept) {
    EXPECT_EQ(split_csv(",,"), (Rows{{"", "", ""}}));
    EXPECT_EQ(split_csv("a,,c,"), (Rows{{"a", "", "c", ""}}));
    EXPECT_EQ(split_csv("\"\""), (Rows{{""}}));
}

TEST(SplitCsv, CrlfAndLfEndRowsAndTheLastNewlineIsOptional) {
    const Rows expected{{"a", "b"}, {"c", "d"}};
    EXPECT_EQ(split_csv("a,b\r\nc,d\r\n"), expected);
    EXPECT_EQ(split_csv("a,b\r\nc,d"), expected);
    EXPECT_EQ(split_csv("a,b\nc,d\n"), expected);
    EXPECT_EQ(split_csv("a,b\nc,d"), expected);
    EXPECT_EQ(split_csv("a,b\r\nc,d\n"), expected);
}

TEST(SplitCsv, BlankLinesAndEmptyInputGiveNoRows) {
    EXPECT_EQ(split_csv(""), Rows{});
    EXPECT_EQ(split_csv("\r\n\n"), Rows{});
    EXPECT_EQ(split_csv("a\n\n\r\nb\n"), (Rows{{"a"}, {"b"}}));
}

TEST(SplitCsv, AQuotedFieldMayHoldALineBreak) {
    EXPECT_EQ(split_csv("\"two\r\nlines\",x\ny"), (Rows{{"two\r\nlines", "x"}, {"y"}}));
}

TEST(SplitCsv, AnUnclosedQuoteGivesNothing) {
    EXPECT_EQ(split_csv("a,\"b"), std::nullopt);
    EXPECT_EQ(split_csv("\"a\"\"\n"), std::nullopt) << "a doubled quote does not close the field";
}

TEST(ParseStatementTime, ReadsBothShapesAsNairobiTime) {
    EXPECT_EQ(parse_statement_time("18-11-2026 14:06:40"), utc("2026-11-18T11:06:40Z"));
    EXPECT_EQ(parse_statement_time("2026-11-18 14:06:40"), utc("2026-11-18T11:06:40Z"));
    EXPECT_EQ(parse_statement_time("01-01-2026 02:59:59"), utc("2025-12-31T23:59:59Z"))
        << "across the year boundary";
    EXPECT_EQ(parse_statement_time("29-02-2028 00:00:00"), utc("2028-02-28T21:00:00Z"))
        << "a leap day";
}

TEST(ParseStatementTime, RefusesImpossibleDatesAndOtherShapes) {
    for (std::string_view text : {"31-02-2026 10:00:00", "29-02-2026 10:00:00",
                                  "2026-02-31 10:00:00", "18-13-2026 10:00:00",
                                  "00-11-2026 10:00:00", "18-11-2026 24:00:00",
                                  "18-11-2026 14:60:00", "18-11-2026 14:06:60",
                                  "18-11-2026 14:06", "18-11-2026T14:06:40",
                                  "2026-11-18T14:06:40", "2026/11/18 14:06:40",
                                  " 18-11-2026 14:06:40", "18-11-2026 14:06:40 ",
                                  "1a-11-2026 14:06:40", "18-11-2026 14-06-40", ""}) {
        EXPECT_EQ(parse_statement_time(text), std::nullopt) << '"' << text << '"';
    }
}

}  // namespace
}  // namespace gw::mpesa
