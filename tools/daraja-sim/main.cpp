// daraja-sim: the M-Pesa Daraja simulator as a program. Reads flags (each also settable as
// DARAJA_SIM_<NAME>; a flag wins over the environment), starts the simulator on loopback,
// prints one "daraja-sim listening on …" line when ready and serves until SIGINT/SIGTERM.
// `daraja-sim security-credential --key-file F [--password P]` prints a SecurityCredential.

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "daraja-sim/security_credential.hpp"
#include "daraja-sim/simulator.hpp"

namespace {

using gw::sim::SimulatorConfig;

struct CliValues {
    SimulatorConfig config;
    std::string key_file = "var/daraja-sim/initiator-key.pem";
    std::string state_file;
    std::int64_t callback_delay_ms = 1000;
    std::size_t callback_threads = 1;
    std::string pending_query_shape = "legacy";
    std::vector<std::string> scenarios;
    std::string credential_key_file;
    std::string credential_password = "Safaricom999!*!";
};

template <typename Option>
void env(Option* option, const std::string& name) {
    option->envname("DARAJA_SIM_" + name);
}

void add_server_options(CLI::App& app, CliValues& v) {
    SimulatorConfig& c = v.config;
    env(app.add_option("--port", c.port, "TCP port; 0 picks a free one")->capture_default_str(),
        "PORT");
    env(app.add_option("--host", c.host, "loopback address to bind (127.0.0.1, ::1, localhost)")
            ->capture_default_str(),
        "HOST");
    env(app.add_option("--shortcode", c.shortcode, "STK BusinessShortCode")->capture_default_str(),
        "SHORTCODE");
    env(app.add_option("--passkey", c.passkey, "STK passkey"), "PASSKEY");
    env(app.add_option("--consumer-key", c.consumer_key, "OAuth consumer key")
            ->capture_default_str(),
        "CONSUMER_KEY");
    env(app.add_option("--consumer-secret", c.consumer_secret, "OAuth consumer secret"),
        "CONSUMER_SECRET");
    env(app.add_option("--b2c-shortcode", c.b2c_shortcode, "B2C PartyA shortcode")
            ->capture_default_str(),
        "B2C_SHORTCODE");
    env(app.add_option("--initiator-name", c.initiator_name, "B2C initiator")
            ->capture_default_str(),
        "INITIATOR_NAME");
    env(app.add_option("--initiator-password", c.initiator_password, "B2C initiator password"),
        "INITIATOR_PASSWORD");
    env(app.add_option("--key-file", v.key_file, "RSA private key PEM (made on first start)")
            ->capture_default_str(),
        "KEY_FILE");
    env(app.add_option("--callback-delay-ms", v.callback_delay_ms, "delay before callbacks")
            ->capture_default_str(),
        "CALLBACK_DELAY_MS");
    env(app.add_option("--callback-threads",
                       v.callback_threads,
                       "callbacks posted at once (Safaricom's arrive concurrently)")
            ->check(CLI::Range(1, 64))
            ->capture_default_str(),
        "CALLBACK_THREADS");
    env(app.add_option("--seed", c.seed, "seed of every generated id")->capture_default_str(),
        "SEED");
    env(app.add_option("--state-file", v.state_file, "save and reload transactions here"),
        "STATE_FILE");
    env(app.add_option("--pending-query-shape", v.pending_query_shape, "legacy | 2025")
            ->check(CLI::IsMember({"legacy", "2025"}))
            ->capture_default_str(),
        "PENDING_QUERY_SHAPE");
    env(app.add_option(
               "--token-ttl-seconds", c.token_ttl_seconds, "OAuth token lifetime (sim time)")
            ->capture_default_str(),
        "TOKEN_TTL_SECONDS");
    env(app.add_flag("--new-token-revokes-old",
                     c.new_token_revokes_old,
                     "a new token kills the previous ones"),
        "NEW_TOKEN_REVOKES_OLD");
    env(app.add_option("--b2c-float-kes", c.b2c_float_kes, "Utility Account opening balance")
            ->capture_default_str(),
        "B2C_FLOAT_KES");
    env(app.add_option(
               "--scenario", v.scenarios, "MSISDN=scenario or default=scenario (repeatable)")
            ->delimiter(','),
        "SCENARIO");
}

// Fills the parts of the config that need conversion. Returns an error message or "".
std::string finish_config(CliValues& v) {
    v.config.key_file = v.key_file;
    v.config.state_file = v.state_file;
    v.config.callback_delay = std::chrono::milliseconds(v.callback_delay_ms);
    v.config.delivery.threads = v.callback_threads;
    v.config.pending_query_shape = *gw::sim::parse_pending_query_shape(v.pending_query_shape);
    for (const std::string& text : v.scenarios) {
        const auto assignment = gw::sim::parse_scenario_flag(text);
        if (!assignment) {
            return "--scenario " + text +
                   ": expected MSISDN=name or default=name with a known name";
        }
        v.config.scenarios.push_back(*assignment);
    }
    return "";
}

int print_security_credential(const CliValues& v) {
    std::ifstream in(v.credential_key_file, std::ios::binary);
    std::stringstream pem;
    pem << in.rdbuf();
    if (!in) {
        std::cerr << "daraja-sim: cannot read " << v.credential_key_file << '\n';
        return 1;
    }
    const gw::sim::RsaKey key = gw::sim::RsaKey::from_pem(pem.str());
    std::cout << key.encrypt_credential(v.credential_password) << std::endl;
    return 0;
}

int serve(SimulatorConfig config) {
    // Block the stop signals before any thread starts, so only sigwait below receives them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    gw::sim::Simulator simulator(std::move(config));
    simulator.start();
    std::cout << "daraja-sim listening on " << simulator.base_url() << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    std::cerr << "daraja-sim: stopping\n";
    simulator.stop();
    return 0;
}

int run(int argc, char** argv) {
    CliValues values;
    CLI::App app{"daraja-sim: an M-Pesa Daraja simulator on loopback (see DARAJA.md)"};
    add_server_options(app, values);
    CLI::App* credential = app.add_subcommand(
        "security-credential", "print base64(RSA PKCS#1 v1.5(password)) for a key file");
    credential->add_option("--key-file", values.credential_key_file, "PEM key (private or public)")
        ->required();
    credential->add_option("--password", values.credential_password, "initiator password");
    CLI11_PARSE(app, argc, argv);
    if (credential->parsed()) {
        return print_security_credential(values);
    }
    if (const std::string error = finish_config(values); !error.empty()) {
        std::cerr << "daraja-sim: " << error << '\n';
        return 2;
    }
    return serve(std::move(values.config));
}

}  // namespace

// Failures that escape (bad key file, port in use) are reported and exit 1.
int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& error) {
        std::cerr << "daraja-sim: " << error.what() << '\n';
    } catch (...) {
        std::cerr << "daraja-sim: unknown failure\n";
    }
    return 1;
}
