#include "reconciliation_fixture.hpp"

#include <algorithm>
#include <thread>

#include "core/time_text.hpp"

namespace gw::test {

ReconciliationTest::ReconciliationTest(TradeAppOptions options) : app_(std::move(options)) {
    pool_ = app_.create_pool("Vault A", "10");
    app_.set_prices("8500", "8000");
    alice_ = app_.user("alice");
    token_ = alice_.at("access_token");
}

TradeAppOptions ReconciliationTest::reconciliation_options() {
    return TradeAppOptions{.payment_timeout = std::chrono::seconds(120),
                           .payout_mode = trading::PayoutMode::b2c,
                           .sim_clock_at_node_epoch = true,
                           .payout_timeout = std::chrono::seconds(300),
                           .alert_webhook_url = {}};
}

std::string ReconciliationTest::completed_buy(const std::string& kes, const std::string& key) {
    const auto placed =
        app_.buy(token_, {{"amount_kes", kes}, {"phone_for_stk", registered_msisdn(alice_)}}, key);
    EXPECT_EQ(placed.status, 201) << placed.raw;
    const std::string trade_id = placed.body.value("trade_id", "");
    app_.run_outbox();
    EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "completed"), "completed");
    return trade_id;
}

std::string ReconciliationTest::completed_sell(const std::string& grams, const std::string& key) {
    app_.credit(alice_.at("user_id"), grams);
    const auto placed = app_.sell(
        token_, {{"grams", grams}, {"payout_phone", registered_msisdn(alice_)}}, key);
    EXPECT_EQ(placed.status, 201) << placed.raw;
    const std::string trade_id = placed.body.value("trade_id", "");
    app_.run_outbox();
    EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "completed"), "completed");
    return trade_id;
}

bool ReconciliationTest::sim_completed(std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto transactions = app_.simulator().transactions();
        const auto done = std::count_if(transactions.begin(), transactions.end(), [](const auto& t) {
            return t.status == sim::TransactionStatus::completed;
        });
        if (static_cast<std::size_t>(done) >= count) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

std::string ReconciliationTest::statement(const std::string& shortcode) {
    const auto day = parse_iso_day(kReconciledDay);
    const auto file = app_.simulator().statement_csv(shortcode, *day, *day);
    EXPECT_TRUE(file.has_value()) << shortcode;
    return file ? file->csv : std::string();
}

JsonResponse ReconciliationTest::import(const std::string& csv, const std::string& bearer) {
    httplib::Client client = app_.app().client();
    const httplib::Headers headers = {
        {"Authorization", "Bearer " + (bearer.empty() ? app_.admin_token() : bearer)}};
    return to_json_response(client.Post("/admin/reconciliation/statements?file_name=statement.csv", headers,
                                     csv, "text/csv"),
                         "POST /admin/reconciliation/statements");
}

void ReconciliationTest::import_day(const std::string& paybill_csv) {
    const auto paybill = import(paybill_csv);
    EXPECT_EQ(paybill.status, 201) << paybill.raw;
    const auto b2c = import(statement(kB2cShortcode));
    EXPECT_TRUE(b2c.status == 201 || b2c.status == 200) << b2c.raw;
}

JsonResponse ReconciliationTest::run(const std::string& bearer) {
    return request_json(app_.app(), "POST", "/admin/reconciliation/run", {{"date", kReconciledDay}},
                        bearer.empty() ? app_.admin_token() : bearer);
}

std::vector<std::string> ReconciliationTest::classes(const nlohmann::json& report) {
    std::vector<std::string> found;
    for (const auto& item : report.at("items")) {
        found.push_back(item.at("class"));
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::string replaced(std::string csv, const std::string& from, const std::string& to) {
    const auto at = csv.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) {
        csv.replace(at, from.size(), to);
    }
    return csv;
}

std::string without_line(const std::string& csv, const std::string& needle) {
    const auto at = csv.find(needle);
    EXPECT_NE(at, std::string::npos) << needle;
    if (at == std::string::npos) {
        return csv;
    }
    const auto start = csv.rfind('\n', at) + 1;
    const auto end = csv.find('\n', at);
    return csv.substr(0, start) + (end == std::string::npos ? "" : csv.substr(end + 1));
}

}  // namespace gw::test
