// Proves the plain values of reconciliation (jobs/reconciliation_finding.hpp): every finding class
// has one wire name that parses back to it, unknown names are refused, and each class has the
// severity ISSUE 8 gives it. Then proves report_csv (jobs/reconciliation_reports.hpp) writes the
// exact header, one CRLF row per item with KES as "850.00" and empty fields for absent values,
// quotes RFC 4180 style, and defuses spreadsheet formulas by prefixing "'". Rows are compared
// as exact text, and tricky ones are read back with mpesa::split_csv (gw_jobs links gw_mpesa).

#include "jobs/reconciliation_reports.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/time_text.hpp"
#include "jobs/reconciliation_finding.hpp"
#include "mpesa/statement_parser.hpp"

namespace gw::jobs {
namespace {

// Written out here on purpose: a class added to kFindingClasses must be added here too.
constexpr std::array<FindingClass, 10> kAllClasses = {
    FindingClass::money_without_credit, FindingClass::credit_without_money,
    FindingClass::amount_mismatch,      FindingClass::payout_not_on_statement,
    FindingClass::payout_not_recorded,  FindingClass::ledger_invariant,
    FindingClass::stale_buy,            FindingClass::stale_payout,
    FindingClass::payout_awaiting_result, FindingClass::statement_missing,
};

constexpr std::string_view kHeader =
    "run_id,day,item_id,class,severity,receipt,trade_id,payout_id,expected_kes,actual_kes,"
    "detail,resolved_at,resolution_note\r\n";

constexpr std::string_view kRunId = "5c7e2a10-0d4b-4f7e-9a51-2b8d6f0c1e33";
constexpr std::string_view kTradeId = "1350c69c-4648-407c-b1c8-31fe907d6073";

RunReport report_of(std::vector<ItemView> items) {
    RunReport report;
    report.run.id = std::string(kRunId);
    report.run.day = std::chrono::sys_days(std::chrono::year(2026) / std::chrono::November /
                                           std::chrono::day(18));
    report.items = std::move(items);
    return report;
}

// An unresolved item with only its id, class and detail set.
ItemView bare_item(std::int64_t id, FindingClass finding_class, std::string detail) {
    ItemView item;
    item.id = id;
    item.run_id = std::string(kRunId);
    item.finding.finding_class = finding_class;
    item.finding.detail = std::move(detail);
    item.severity = severity_of(finding_class);
    return item;
}

// The CSV rows after the header, each split into fields.
std::vector<std::vector<std::string>> data_rows(const std::string& csv) {
    const auto rows = mpesa::split_csv(csv);
    EXPECT_TRUE(rows.has_value()) << csv;
    if (!rows || rows->empty()) {
        return {};
    }
    return std::vector<std::vector<std::string>>(rows->begin() + 1, rows->end());
}

constexpr std::size_t kDetailColumn = 10;
constexpr std::size_t kNoteColumn = 12;

TEST(FindingClass, EveryClassHasItsWireNameAndParsesBack) {
    const std::array<std::string_view, 10> names = {
        "money_without_credit", "credit_without_money", "amount_mismatch",
        "payout_not_on_statement", "payout_not_recorded", "ledger_invariant",
        "stale_buy", "stale_payout", "payout_awaiting_result", "statement_missing"};
    EXPECT_EQ(kFindingClasses, kAllClasses) << "the report lists every class, in this order";
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < kAllClasses.size(); ++i) {
        EXPECT_EQ(to_string(kAllClasses[i]), names[i]);
        EXPECT_EQ(parse_finding_class(to_string(kAllClasses[i])), kAllClasses[i]) << names[i];
        EXPECT_TRUE(seen.insert(to_string(kAllClasses[i])).second) << "names are distinct";
    }
}

TEST(FindingClass, UnknownNamesAreRefused) {
    for (std::string_view text : {"", "unknown", "Money_Without_Credit", "MONEY_WITHOUT_CREDIT",
                                  " stale_buy", "stale_buy ", "stale", "stale_buys"}) {
        EXPECT_EQ(parse_finding_class(text), std::nullopt) << '"' << text << '"';
    }
}

TEST(FindingClass, MoneyOrGoldWrongNowIsCriticalAndLatenessIsAWarning) {
    for (FindingClass critical :
         {FindingClass::money_without_credit, FindingClass::credit_without_money,
          FindingClass::amount_mismatch, FindingClass::payout_not_on_statement,
          FindingClass::payout_not_recorded, FindingClass::ledger_invariant}) {
        EXPECT_EQ(severity_of(critical), Severity::critical) << to_string(critical);
    }
    for (FindingClass warning : {FindingClass::stale_buy, FindingClass::stale_payout,
                                 FindingClass::payout_awaiting_result, FindingClass::statement_missing}) {
        EXPECT_EQ(severity_of(warning), Severity::warning) << to_string(warning);
    }
}

TEST(FindingClass, SeveritiesHaveTheirWireNames) {
    EXPECT_EQ(to_string(Severity::critical), "critical");
    EXPECT_EQ(to_string(Severity::warning), "warning");
}

TEST(ReportCsv, AReportWithoutItemsIsTheHeaderRowAlone) {
    EXPECT_EQ(report_csv(report_of({})), kHeader);
}

TEST(ReportCsv, AFullItemIsOneExactRow) {
    ItemView item = bare_item(7, FindingClass::amount_mismatch, "the amounts differ");
    item.finding.receipt = "TK18AB12CD";
    item.finding.trade_id = std::string(kTradeId);
    item.finding.expected = Cents{85'000};
    item.finding.actual = Cents{80'000};
    item.resolved_at = parse_rfc3339("2026-11-19T08:00:00Z");
    item.resolved_by = "admin-1";
    item.resolution_note = "refunded by hand";
    EXPECT_EQ(report_csv(report_of({item})),
              std::string(kHeader) +
                  "5c7e2a10-0d4b-4f7e-9a51-2b8d6f0c1e33,2026-11-18,7,amount_mismatch,critical,"
                  "TK18AB12CD,1350c69c-4648-407c-b1c8-31fe907d6073,,850.00,800.00,"
                  "the amounts differ,2026-11-19T08:00:00.000000Z,refunded by hand\r\n");
}

TEST(ReportCsv, AbsentValuesAreEmptyFields) {
    ItemView item = bare_item(3, FindingClass::stale_payout, "waiting");
    item.finding.payout_id = "po-9";
    EXPECT_EQ(report_csv(report_of({item})),
              std::string(kHeader) +
                  "5c7e2a10-0d4b-4f7e-9a51-2b8d6f0c1e33,2026-11-18,3,stale_payout,warning,,,po-9,"
                  ",,waiting,,\r\n");
}

TEST(ReportCsv, TheSeverityColumnIsTheItemsOwn) {
    ItemView item = bare_item(1, FindingClass::stale_buy, "x");
    item.severity = Severity::critical;
    const auto rows = data_rows(report_csv(report_of({item})));
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0][4], "critical");
}

TEST(ReportCsv, KesIsFormattedWithTwoDecimalsAndNoSeparators) {
    const struct {
        std::int64_t cents;
        std::string_view text;
    } cases[] = {{85'000, "850.00"}, {1, "0.01"}, {150'000'000, "1500000.00"}, {0, "0.00"}};
    for (const auto& c : cases) {
        ItemView item = bare_item(1, FindingClass::money_without_credit, "d");
        item.finding.actual = Cents{c.cents};
        const auto rows = data_rows(report_csv(report_of({item})));
        ASSERT_EQ(rows.size(), 1U);
        EXPECT_EQ(rows[0][8], "") << "no expected amount";
        EXPECT_EQ(rows[0][9], c.text);
    }
}

TEST(ReportCsv, EachItemIsOneRowInOrder) {
    const std::string csv = report_csv(report_of({bare_item(11, FindingClass::stale_buy, "a"),
                                                  bare_item(12, FindingClass::ledger_invariant, "b"),
                                                  bare_item(13, FindingClass::stale_buy, "c")}));
    const auto rows = data_rows(csv);
    ASSERT_EQ(rows.size(), 3U);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), 13U) << "every row has every column";
        EXPECT_EQ(rows[i][0], kRunId);
        EXPECT_EQ(rows[i][2], std::to_string(11 + i));
    }
    EXPECT_EQ(rows[1][3], "ledger_invariant");
    EXPECT_EQ(rows[1][4], "critical");
    EXPECT_EQ(rows[2][kDetailColumn], "c");
}

TEST(ReportCsv, ADetailWithACommaAndAQuoteIsQuotedRfc4180Style) {
    const std::string csv = report_csv(
        report_of({bare_item(1, FindingClass::amount_mismatch, "paid 800.00, \"expected\" 850.00")}));
    EXPECT_NE(csv.find(",\"paid 800.00, \"\"expected\"\" 850.00\","), std::string::npos) << csv;
    const auto rows = data_rows(csv);
    ASSERT_EQ(rows.size(), 1U);
    ASSERT_EQ(rows[0].size(), 13U) << "the comma did not add a column";
    EXPECT_EQ(rows[0][kDetailColumn], "paid 800.00, \"expected\" 850.00");
}

TEST(ReportCsv, ALineBreakInANoteIsQuoted) {
    ItemView item = bare_item(1, FindingClass::stale_buy, "d");
    item.resolution_note = "line one\r\nline two";
    const std::string csv = report_csv(report_of({item}));
    EXPECT_TRUE(csv.ends_with(",\"line one\r\nline two\"\r\n")) << csv;
    const auto rows = data_rows(csv);
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0][kNoteColumn], "line one\r\nline two");
}

TEST(ReportCsv, AFieldStartingWithAFormulaCharacterIsPrefixedWithAnApostrophe) {
    for (std::string_view formula : {"=HYPERLINK(\"http://x\")", "+254708374149", "-1500",
                                     "@SUM(A1)", "="}) {
        ItemView item = bare_item(1, FindingClass::stale_buy, std::string(formula));
        item.resolution_note = std::string(formula);
        const auto rows = data_rows(report_csv(report_of({item})));
        ASSERT_EQ(rows.size(), 1U);
        EXPECT_EQ(rows[0][kDetailColumn], "'" + std::string(formula)) << formula;
        EXPECT_EQ(rows[0][kNoteColumn], "'" + std::string(formula)) << formula;
    }
}

TEST(ReportCsv, AFormulaWithACommaIsBothPrefixedAndQuoted) {
    const std::string csv =
        report_csv(report_of({bare_item(1, FindingClass::stale_buy, "=1+2,3")}));
    EXPECT_NE(csv.find(",\"'=1+2,3\","), std::string::npos) << csv;
}

TEST(ReportCsv, AFormulaCharacterAfterTheFirstIsLeftAlone) {
    const auto rows = data_rows(
        report_csv(report_of({bare_item(1, FindingClass::stale_buy, "a=b+c-d@e")})));
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0][kDetailColumn], "a=b+c-d@e");
}

}  // namespace
}  // namespace gw::jobs
