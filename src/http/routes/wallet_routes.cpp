#include "http/routes/wallet_routes.hpp"

#include "core/time_text.hpp"
#include "http/route_support.hpp"
#include "trading/wallet.hpp"

namespace gw::http {
namespace {

constexpr std::size_t kPageDefault = 50;
constexpr std::size_t kPageMax = 100;

nlohmann::json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

nlohmann::json balance_json(const trading::BalanceView& balance) {
    return {
        {"grams", format_grams(balance.grams)},
        {"locked_grams", format_grams(balance.locked)},
        {"available_grams", format_grams(balance.available)},
        {"sell_price_per_gram",
         balance.sell_price ? nlohmann::json(format_price(*balance.sell_price)) : nlohmann::json()},
        {"value_kes",
         balance.value ? nlohmann::json(format_kes(*balance.value)) : nlohmann::json()}};
}

nlohmann::json entry_json(const ledger::LedgerEntry& entry) {
    return {{"id", entry.transfer_id},
            {"created_at", format_rfc3339(entry.created_at)},
            {"type", entry.kind},
            {"direction", std::string(ledger::to_string(entry.direction))},
            {"grams", format_grams(entry.grams)},
            {"status", std::string(ledger::to_string(entry.status))},
            {"pool_id", text_or_null(entry.pool_id)},
            {"trade_id", text_or_null(entry.trade_id)}};
}

// `before` query parameter holding a ledger cursor: nullopt when absent or empty (as
// before_id_param); validation_failed when it is not one.
Result<std::optional<ledger::LedgerCursor>> before_cursor_param(const httplib::Request& request) {
    const std::string text = request.get_param_value("before");
    if (text.empty()) {
        return std::optional<ledger::LedgerCursor>();
    }
    auto cursor = trading::parse_ledger_cursor(text);
    if (!cursor) {
        return make_error(ErrorCode::validation_failed, "before: not a cursor");
    }
    return cursor;
}

void ledger_page(trading::WalletService& wallet,
                 const RouteRequest& request,
                 httplib::Response& response) {
    auto limit = limit_param(request.http, kPageDefault, kPageMax);
    auto before = before_cursor_param(request.http);
    if (!limit || !before) {
        write_error(response, request, !limit ? limit.error() : before.error());
        return;
    }
    const trading::LedgerPage page = wallet.ledger(request.caller().user_id, *before, *limit);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& entry : page.entries) {
        items.push_back(entry_json(entry));
    }
    write_json(response,
               200,
               {{"items", items},
                {"next_before",
                 page.next_before ? nlohmann::json(trading::format_ledger_cursor(*page.next_before))
                                  : nlohmann::json()}});
}

}  // namespace

void add_wallet_routes(Router& router, trading::WalletService& wallet) {
    router.add(
        "GET",
        "/user/balance",
        BodyKind::none,
        [&wallet](const RouteRequest& request, httplib::Response& response) {
            auto balance = wallet.balance(request.caller().user_id);
            balance ? write_json(response, 200, balance_json(*balance))
                    : write_error(response, request, balance.error());
        },
        Access::signed_in());
    router.add(
        "GET",
        "/user/ledger",
        BodyKind::none,
        [&wallet](const RouteRequest& r, httplib::Response& w) { ledger_page(wallet, r, w); },
        Access::signed_in());
}

}  // namespace gw::http
