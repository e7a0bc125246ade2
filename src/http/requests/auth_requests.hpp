#pragma once

// The bodies of the auth routes (POST /auth/register, /auth/login, /auth/refresh,
// /auth/password), decoded from JSON. Pure functions of the parsed body, fuzzed by
// tests/fuzz/request_decode_fuzz.cpp. Errors are validation_failed naming the field; the
// account service checks the values themselves (username rules, password strength, phone).

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "identity/account_service.hpp"

namespace gw::http {

// {username, email, phone, password, optional accept_terms: true}. A client that sends
// accept_terms must send exactly true: registering is accepting the terms it showed.
Result<identity::Registration> decode_registration(const nlohmann::json& body);

struct Credentials {
    std::string username;
    std::string password;
};

// {username, password}.
Result<Credentials> decode_credentials(const nlohmann::json& body);

// {refresh_token}; returns the token.
Result<std::string> decode_refresh(const nlohmann::json& body);

struct PasswordChange {
    std::string current_password;
    std::string new_password;
};

// {current_password, new_password}.
Result<PasswordChange> decode_password_change(const nlohmann::json& body);

}  // namespace gw::http
