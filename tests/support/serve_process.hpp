#pragma once

// Talking to `goldwallet serve` nodes the e2e tests spawn (process_helpers.hpp): waiting for a
// node to listen, a loopback port that stays the same across a node's restarts, and a small
// JSON client that keeps the status with the body.

#include <filesystem>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <string>

#include "support/app_fixture.hpp"
#include "support/process_helpers.hpp"

namespace gw::test {

// The port a node's log `output` says it listens on (serve.listening {"url":
// "http://127.0.0.1:<port>"}), or 0 when the log does not name it yet.
int logged_port(const std::filesystem::path& output);

// Waits until `server` logs the URL it listens on; returns the port, or 0 when the process
// exited or 30 s passed.
int wait_for_port(const Spawned& server);

// A loopback port free right now (bound and released), for a node that must come back on the
// same address after a restart (its M-Pesa callback URLs name it).
int free_loopback_port();

// Sends `method` `path` with a JSON body (POST, PUT) and an optional bearer token and
// Idempotency-Key. Status 0 when no answer came, which does not fail the test (a node may be
// dying on purpose).
JsonResponse send_json(httplib::Client& client,
                       const std::string& method,
                       const std::string& path,
                       const nlohmann::json& body = nullptr,
                       const std::string& token = {},
                       const std::string& idempotency_key = {});

// send_json, as the body parsed (an object) with "_status" added: {"_status": 0} when no
// answer came.
nlohmann::json call(httplib::Client& client,
                    const std::string& method,
                    const std::string& path,
                    const nlohmann::json& body = nullptr,
                    const std::string& token = {},
                    const std::string& idempotency_key = {});

}  // namespace gw::test
