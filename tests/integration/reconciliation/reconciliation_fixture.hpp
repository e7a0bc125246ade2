#pragma once

// A trading node and its simulator on one clock (2026-11-18, Nairobi afternoon), with helpers to
// trade, export the simulator's statements, tamper with them, import them and run the
// reconciliation over HTTP, as finance would.

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/trade_app_fixture.hpp"

namespace gw::test {

inline constexpr const char* kReconciledDay = "2026-11-18";  // the Nairobi day of test_epoch()
inline constexpr const char* kPaybill = "174379";
inline constexpr const char* kB2cShortcode = "600980";

class ReconciliationTest : public ::testing::Test {
protected:
    explicit ReconciliationTest(TradeAppOptions options = reconciliation_options());

    static TradeAppOptions reconciliation_options();

    // A completed buy of `kes` by Alice; returns the trade id.
    std::string completed_buy(const std::string& kes, const std::string& key);
    // A completed B2C sell of `grams` by Alice (she is credited the grams first); returns the
    // trade id.
    std::string completed_sell(const std::string& grams, const std::string& key);

    // Waits until the simulator has completed `count` transactions (money moved); false after 5 s.
    bool sim_completed(std::size_t count);
    // The simulator's statement CSV of `shortcode` for the reconciled day.
    std::string statement(const std::string& shortcode);
    // POST /admin/reconciliation/statements (text/csv) as the admin.
    JsonResponse import(const std::string& csv, const std::string& bearer = {});
    // Imports `paybill_csv` and the simulator's B2C statement of the day, so that both accounts
    // are covered (else each uncovered one is a statement_missing item).
    void import_day(const std::string& paybill_csv);
    // POST /admin/reconciliation/run {date} as the admin; returns the response.
    JsonResponse run(const std::string& bearer = {});
    // The classes of a report's items, sorted.
    static std::vector<std::string> classes(const nlohmann::json& report);

    TradeApp app_;
    std::string pool_;
    nlohmann::json alice_;
    std::string token_;
};

// Returns `csv` with the first occurrence of `from` replaced by `to` (the test fails when absent).
std::string replaced(std::string csv, const std::string& from, const std::string& to);

// Returns `csv` without the line holding `needle`.
std::string without_line(const std::string& csv, const std::string& needle);

}  // namespace gw::test
