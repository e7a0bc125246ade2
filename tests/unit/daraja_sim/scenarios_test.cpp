// Proves scenario naming and parsing: every name round-trips, --scenario flags accept any MSISDN
// form and "default" and pick the family from the name, bad flags are refused, the book falls
// back to the defaults, and each refusing scenario maps to its documented ResultCode.

#include "daraja-sim/scenarios.hpp"

#include <gtest/gtest.h>

namespace gw::sim {
namespace {

TEST(Scenarios, NamesRoundTrip) {
    for (StkScenario s : {StkScenario::success,
                          StkScenario::cancelled,
                          StkScenario::wrong_pin,
                          StkScenario::insufficient_funds,
                          StkScenario::timeout,
                          StkScenario::no_callback,
                          StkScenario::duplicate_callback,
                          StkScenario::late_callback,
                          StkScenario::manual}) {
        EXPECT_EQ(parse_stk_scenario(to_string(s)), s);
    }
    for (B2cScenario s : {B2cScenario::b2c_success,
                          B2cScenario::b2c_insufficient_funds,
                          B2cScenario::b2c_initiator_invalid,
                          B2cScenario::b2c_not_registered,
                          B2cScenario::b2c_locked,
                          B2cScenario::b2c_queue_timeout,
                          B2cScenario::b2c_queue_timeout_unpaid,
                          B2cScenario::b2c_no_callback}) {
        EXPECT_EQ(parse_b2c_scenario(to_string(s)), s);
    }
    EXPECT_FALSE(parse_stk_scenario("b2c_locked").has_value());
    EXPECT_FALSE(parse_b2c_scenario("cancelled").has_value());
    EXPECT_FALSE(parse_stk_scenario("Cancelled").has_value());
}

TEST(Scenarios, FlagParsing) {
    const auto stk = parse_scenario_flag("0700000001=cancelled");
    ASSERT_TRUE(stk.has_value());
    EXPECT_EQ(stk->msisdn, "254700000001");
    EXPECT_EQ(stk->stk, StkScenario::cancelled);
    EXPECT_FALSE(stk->b2c.has_value());

    const auto b2c = parse_scenario_flag("254700000001=b2c_locked");
    ASSERT_TRUE(b2c.has_value());
    EXPECT_EQ(b2c->b2c, B2cScenario::b2c_locked);
    EXPECT_FALSE(b2c->stk.has_value());

    const auto fallback = parse_scenario_flag("default=timeout");
    ASSERT_TRUE(fallback.has_value());
    EXPECT_EQ(fallback->msisdn, "default");

    EXPECT_FALSE(parse_scenario_flag("254700000001").has_value());
    EXPECT_FALSE(parse_scenario_flag("254700000001=nope").has_value());
    EXPECT_FALSE(parse_scenario_flag("12345=cancelled").has_value());
    EXPECT_FALSE(parse_scenario_flag("=cancelled").has_value());
}

TEST(Scenarios, BookFallsBackToDefaults) {
    ScenarioBook book;
    EXPECT_EQ(book.stk_for("254700000001"), StkScenario::success);
    book.apply(*parse_scenario_flag("254700000001=wrong_pin"));
    book.apply(*parse_scenario_flag("default=timeout"));
    book.apply(*parse_scenario_flag("default=b2c_locked"));
    EXPECT_EQ(book.stk_for("254700000001"), StkScenario::wrong_pin);
    EXPECT_EQ(book.stk_for("254700000002"), StkScenario::timeout);
    EXPECT_EQ(book.b2c_for("254700000001"), B2cScenario::b2c_locked);
    book.clear("254700000001");
    EXPECT_EQ(book.stk_for("254700000001"), StkScenario::timeout);
    EXPECT_EQ(book.to_json()["default"]["stk"], "timeout");
}

TEST(Scenarios, ResultCodes) {
    EXPECT_EQ(stk_refusal(StkScenario::cancelled)->code, 1032);
    EXPECT_EQ(stk_refusal(StkScenario::cancelled)->description, "Request cancelled by user");
    EXPECT_EQ(stk_refusal(StkScenario::wrong_pin)->code, 2001);
    EXPECT_EQ(stk_refusal(StkScenario::insufficient_funds)->code, 1);
    EXPECT_EQ(stk_refusal(StkScenario::timeout)->code, 1037);
    EXPECT_EQ(stk_refusal(StkScenario::no_callback)->code, 1037);
    EXPECT_FALSE(stk_refusal(StkScenario::success).has_value());
    EXPECT_FALSE(stk_refusal(StkScenario::late_callback).has_value());
    EXPECT_FALSE(stk_refusal(StkScenario::manual).has_value());
    EXPECT_EQ(b2c_refusal(B2cScenario::b2c_insufficient_funds)->code, 1);
    EXPECT_EQ(b2c_refusal(B2cScenario::b2c_initiator_invalid)->code, 2001);
    EXPECT_EQ(b2c_refusal(B2cScenario::b2c_not_registered)->code, 2040);
    EXPECT_EQ(b2c_refusal(B2cScenario::b2c_locked)->code, 8006);
    EXPECT_FALSE(b2c_refusal(B2cScenario::b2c_queue_timeout).has_value());
    EXPECT_FALSE(b2c_refusal(B2cScenario::b2c_no_callback).has_value());
}

}  // namespace
}  // namespace gw::sim
