#pragma once

// What the M-Pesa client needs to know: where Daraja is, who we are there, and how long to wait.
// Plain data filled once by app/config (GOLDWALLET_MPESA_*) and app/secrets; the client never
// reads the environment. Pointed at https://api.safaricom.co.ke it works unchanged.

#include <chrono>
#include <string>
#include <vector>

#include "mpesa/credential.hpp"

namespace gw::mpesa {

struct Settings {
    std::string base_url = "http://127.0.0.1:8089";    // scheme://host[:port], no trailing slash
    std::string public_url = "http://127.0.0.1:8080";  // where Daraja reaches our callbacks
    std::string shortcode = "174379";  // STK BusinessShortCode (paybill or HO number)
    std::string party_b = "174379";    // receiving paybill or till
    std::string transaction_type = "CustomerPayBillOnline";  // or CustomerBuyGoodsOnline
    std::string b2c_shortcode = "600980";                    // B2C PartyA
    std::string initiator_name = "testapi";  // B2C and Transaction Status API operator
    std::string b2c_command_id = "BusinessPayment";
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds read_timeout{10000};
    // A cached OAuth token is dropped this long before Daraja says it expires.
    std::chrono::seconds token_refresh_margin{60};
    std::string ca_file;  // extra CA bundle for TLS; empty = the system's
    // Callback checks (DESIGN §7).
    bool confirm_by_query = true;                     // ask STK Query before trusting a callback
    std::vector<std::string> callback_allowed_cidrs;  // empty = any source address
    std::size_t callback_body_bytes_max = std::size_t{64} * 1024;
};

struct Credentials {
    Credential consumer_key;
    Credential consumer_secret;
    Credential passkey;              // STK Password = base64(shortcode + passkey + timestamp)
    Credential security_credential;  // B2C: base64 RSA of the initiator password
};

}  // namespace gw::mpesa
