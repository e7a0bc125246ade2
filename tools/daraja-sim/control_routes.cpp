// The /sim control API: scenarios, simulated time, tokens, settings, outages, the simulated
// phone, inspection (transactions, callbacks), the statement export and reset. JSON in and
// out; failures answer {"error":"…"} with 400 or 404. Never affected by outages.

#include <algorithm>

#include "core/msisdn.hpp"
#include "core/time_text.hpp"
#include "daraja-sim/simulator_impl.hpp"

namespace gw::sim {
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::int64_t kClockAdvanceSecondsMax = std::int64_t{10} * 366 * 24 * 3600;
constexpr std::int64_t kDelayMsMax = std::int64_t{10} * 60 * 1000;

void reply(httplib::Response& response, const nlohmann::json& body, int status = 200) {
    response.status = status;
    response.set_content(body.dump(), std::string(kJson));
}

void reply_error(httplib::Response& response, std::string_view message, int status = 400) {
    reply(response, nlohmann::json{{"error", message}}, status);
}

// The request body as a JSON object ({} when empty), or nullopt after answering 400.
std::optional<nlohmann::json> control_body(const httplib::Request& request,
                                           httplib::Response& response) {
    if (request.body.empty()) {
        return nlohmann::json::object();
    }
    nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object()) {
        reply_error(response, "the body must be a JSON object");
        return std::nullopt;
    }
    return body;
}

// Reads an optional non-negative integer `key` of at most `max`. Returns false when present
// but not such a number.
bool optional_count(const nlohmann::json& body,
                    const char* key,
                    std::int64_t max,
                    std::optional<std::int64_t>& out) {
    if (!body.contains(key)) {
        return true;
    }
    const nlohmann::json& value = body.at(key);
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
        value.get<std::int64_t>() > max) {
        return false;
    }
    out = value.get<std::int64_t>();
    return true;
}

}  // namespace

bool Simulator::Impl::apply_scenario(const std::string& msisdn_text,
                                     std::optional<StkScenario> stk,
                                     std::optional<B2cScenario> b2c) {
    ScenarioAssignment assignment{msisdn_text, stk, b2c};
    if (msisdn_text != "default") {
        Result<std::string> canonical = normalize_msisdn(msisdn_text);
        if (!canonical.has_value()) {
            return false;
        }
        assignment.msisdn = canonical.value();
    }
    std::lock_guard lock(mutex_);
    state_.scenarios.apply(assignment);
    return true;
}

bool Simulator::Impl::clear_scenarios(const std::string& msisdn_text) {
    Result<std::string> canonical = normalize_msisdn(msisdn_text);
    if (!canonical.has_value()) {
        return false;
    }
    std::lock_guard lock(mutex_);
    state_.scenarios.clear(canonical.value());
    return true;
}

void Simulator::Impl::expire_tokens() {
    std::lock_guard lock(mutex_);
    state_.tokens.expire_all();
}

void Simulator::Impl::set_outage(Outage outage) {
    std::lock_guard lock(mutex_);
    state_.outage = outage;
}

void Simulator::Impl::set_callback_delay(std::chrono::milliseconds delay) {
    std::lock_guard lock(mutex_);
    state_.callback_delay = std::max(delay, std::chrono::milliseconds(0));
}

void Simulator::Impl::set_pending_query_shape(PendingQueryShape shape) {
    std::lock_guard lock(mutex_);
    state_.pending_shape = shape;
}

std::vector<Transaction> Simulator::Impl::transactions() const {
    std::lock_guard lock(mutex_);
    return state_.transactions;
}

std::optional<StatementFile> Simulator::Impl::statement(std::string_view shortcode,
                                                        std::chrono::sys_days from,
                                                        std::chrono::sys_days to) const {
    if ((shortcode != config_.shortcode && shortcode != config_.b2c_shortcode) || from > to) {
        return std::nullopt;
    }
    const std::map<std::string, std::int64_t> opening = opening_balances();
    std::lock_guard lock(mutex_);
    return build_statement(
        state_.transactions,
        StatementQuery{
            std::string(shortcode), from, to, opening.at(std::string(shortcode)), clock_.now()});
}

void Simulator::Impl::reset() {
    dispatcher_.cancel_all();
    std::lock_guard lock(mutex_);
    dispatcher_.clear_attempts();
    state_.transactions.clear();
    state_.balances_kes = opening_balances();
    state_.tokens.expire_all();
    state_.scenarios = ScenarioBook{};
    for (const ScenarioAssignment& assignment : config_.scenarios) {
        state_.scenarios.apply(assignment);
    }
    state_.callback_delay = config_.callback_delay;
    state_.pending_shape = config_.pending_query_shape;
    state_.outage = Outage{};
    clock_.reset();
    save_locked();
}

void Simulator::Impl::add_control_routes() {
    using Member = void (Impl::*)(const httplib::Request&, httplib::Response&, const Captures&);
    const auto add = [this](const char* method, const char* path, Member member) {
        routes_.push_back(Route{method,
                                std::regex(path),
                                [this, member](const httplib::Request& request,
                                               httplib::Response& response,
                                               const Captures& captures) {
                                    (this->*member)(request, response, captures);
                                }});
    };
    add("GET", "/sim/scenarios", &Impl::control_list_scenarios);
    add("PUT", "/sim/scenarios/([^/]+)", &Impl::control_put_scenario);
    add("DELETE", "/sim/scenarios/([^/]+)", &Impl::control_delete_scenario);
    add("POST", "/sim/clock/advance", &Impl::control_advance_clock);
    add("POST", "/sim/tokens/expire", &Impl::control_expire_tokens);
    add("POST", "/sim/config", &Impl::control_config);
    add("POST", "/sim/outage", &Impl::control_outage);
    add("POST", "/sim/stk/([^/]+)/(accept|cancel)", &Impl::control_answer_prompt);
    add("POST", "/sim/reset", &Impl::control_reset);
    add("GET", "/sim/transactions", &Impl::control_transactions);
    add("GET", "/sim/callbacks", &Impl::control_callbacks);
    add("GET", "/sim/certificate", &Impl::control_certificate);
    add("GET", "/sim/statement", &Impl::control_statement);
}

void Simulator::Impl::control_list_scenarios(const httplib::Request&,
                                             httplib::Response& response,
                                             const Captures&) {
    std::lock_guard lock(mutex_);
    reply(response, state_.scenarios.to_json());
}

void Simulator::Impl::control_put_scenario(const httplib::Request& request,
                                           httplib::Response& response,
                                           const Captures& captures) {
    const auto body = control_body(request, response);
    if (!body) {
        return;
    }
    const nlohmann::json& stk_name = body->value("stk", nlohmann::json());
    const nlohmann::json& b2c_name = body->value("b2c", nlohmann::json());
    const auto stk =
        stk_name.is_string() ? parse_stk_scenario(stk_name.get<std::string>()) : std::nullopt;
    const auto b2c =
        b2c_name.is_string() ? parse_b2c_scenario(b2c_name.get<std::string>()) : std::nullopt;
    if ((!stk_name.is_null() && !stk) || (!b2c_name.is_null() && !b2c)) {
        return reply_error(response, "unknown scenario name");
    }
    if (!apply_scenario(captures[0], stk, b2c)) {
        return reply_error(response, "not a Kenyan mobile number");
    }
    std::lock_guard lock(mutex_);
    reply(response, state_.scenarios.to_json());
}

void Simulator::Impl::control_delete_scenario(const httplib::Request&,
                                              httplib::Response& response,
                                              const Captures& captures) {
    if (!clear_scenarios(captures[0])) {
        return reply_error(response, "not a Kenyan mobile number");
    }
    reply(response, nlohmann::json{{"ok", true}});
}

void Simulator::Impl::control_advance_clock(const httplib::Request& request,
                                            httplib::Response& response,
                                            const Captures&) {
    const auto body = control_body(request, response);
    if (!body) {
        return;
    }
    std::optional<std::int64_t> seconds;
    if (!optional_count(*body, "seconds", kClockAdvanceSecondsMax, seconds) || !seconds) {
        return reply_error(response, "seconds must be an integer >= 0");
    }
    clock_.advance(std::chrono::seconds(*seconds));
    reply(response,
          nlohmann::json{{"offset_seconds", clock_.offset().count()},
                         {"now", nairobi_compact(clock_.now())}});
}

void Simulator::Impl::control_expire_tokens(const httplib::Request&,
                                            httplib::Response& response,
                                            const Captures&) {
    expire_tokens();
    reply(response, nlohmann::json{{"ok", true}});
}

void Simulator::Impl::control_config(const httplib::Request& request,
                                     httplib::Response& response,
                                     const Captures&) {
    const auto body = control_body(request, response);
    if (!body) {
        return;
    }
    std::optional<std::int64_t> delay_ms;
    if (!optional_count(*body, "callback_delay_ms", kDelayMsMax, delay_ms)) {
        return reply_error(response, "callback_delay_ms must be an integer 0..600000");
    }
    const nlohmann::json& shape_name = body->value("pending_query_shape", nlohmann::json());
    const auto shape = shape_name.is_string()
                           ? parse_pending_query_shape(shape_name.get<std::string>())
                           : std::nullopt;
    if (!shape_name.is_null() && !shape) {
        return reply_error(response, "pending_query_shape must be \"legacy\" or \"2025\"");
    }
    if (delay_ms) {
        set_callback_delay(std::chrono::milliseconds(*delay_ms));
    }
    if (shape) {
        set_pending_query_shape(*shape);
    }
    std::lock_guard lock(mutex_);
    reply(response,
          nlohmann::json{{"callback_delay_ms", state_.callback_delay.count()},
                         {"pending_query_shape", to_string(state_.pending_shape)}});
}

void Simulator::Impl::control_outage(const httplib::Request& request,
                                     httplib::Response& response,
                                     const Captures&) {
    const auto body = control_body(request, response);
    if (!body) {
        return;
    }
    const nlohmann::json& mode_name = body->value("mode", nlohmann::json());
    const auto mode =
        mode_name.is_string() ? parse_outage_mode(mode_name.get<std::string>()) : std::nullopt;
    std::optional<std::int64_t> slow_ms;
    if (!mode || !optional_count(*body, "slow_ms", kDelayMsMax, slow_ms)) {
        return reply_error(response,
                           "mode must be none|refuse_all|http_500|garbage|slow, slow_ms 0..600000");
    }
    Outage outage;
    outage.mode = *mode;
    outage.slow = std::chrono::milliseconds(slow_ms.value_or(outage.slow.count()));
    set_outage(outage);
    reply(response,
          nlohmann::json{{"mode", to_string(outage.mode)}, {"slow_ms", outage.slow.count()}});
}

void Simulator::Impl::control_answer_prompt(const httplib::Request&,
                                            httplib::Response& response,
                                            const Captures& captures) {
    const PromptAnswer answer =
        captures[1] == "accept" ? PromptAnswer::accept : PromptAnswer::cancel;
    if (!answer_prompt(captures[0], answer)) {
        return reply_error(response, "no open prompt with that CheckoutRequestID", 404);
    }
    reply(response, nlohmann::json{{"ok", true}});
}

void Simulator::Impl::control_reset(const httplib::Request&,
                                    httplib::Response& response,
                                    const Captures&) {
    reset();
    reply(response, nlohmann::json{{"ok", true}});
}

void Simulator::Impl::control_transactions(const httplib::Request&,
                                           httplib::Response& response,
                                           const Captures&) {
    nlohmann::json list = nlohmann::json::array();
    for (const Transaction& t : transactions()) {
        list.push_back(to_view_json(t));
    }
    reply(response, list);
}

void Simulator::Impl::control_callbacks(const httplib::Request&,
                                        httplib::Response& response,
                                        const Captures&) {
    nlohmann::json list = nlohmann::json::array();
    for (const DeliveryAttempt& attempt : dispatcher_.attempts()) {
        list.push_back(to_json(attempt));
    }
    reply(response, list);
}

void Simulator::Impl::control_certificate(const httplib::Request&,
                                          httplib::Response& response,
                                          const Captures&) {
    response.set_content(key_.public_key_pem(), "application/x-pem-file");
}

void Simulator::Impl::control_statement(const httplib::Request& request,
                                        httplib::Response& response,
                                        const Captures&) {
    const std::string shortcode =
        request.has_param("shortcode") ? request.get_param_value("shortcode") : config_.shortcode;
    const std::chrono::sys_days today = nairobi_day(clock_.now());
    const auto from =
        request.has_param("from") ? parse_iso_day(request.get_param_value("from")) : today;
    const auto to = request.has_param("to") ? parse_iso_day(request.get_param_value("to")) : today;
    if (!from || !to) {
        return reply_error(response, "from and to must be YYYY-MM-DD");
    }
    const std::optional<StatementFile> file = statement(shortcode, *from, *to);
    if (!file) {
        return reply_error(response, "unknown shortcode, or from is after to", 404);
    }
    response.set_header("Content-Disposition", "attachment; filename=\"" + file->file_name + "\"");
    response.set_content(file->csv, "text/csv");
}

}  // namespace gw::sim
