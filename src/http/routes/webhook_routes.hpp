#pragma once

#include "http/router.hpp"
#include "mpesa/callback_intake.hpp"

namespace gw::http {

// M-Pesa callbacks. Each kind has a neutral path, which is the one handed to Daraja (its URL
// rules refuse "mpesa", "query", …), and the seed's /webhooks/mpesa/… alias:
//   POST /hooks/lnm/{token}                     /webhooks/mpesa/stk/{token}          STK result
//   POST /hooks/payout/result/{token}           /webhooks/mpesa/b2c/result/{token}   B2C result
//   POST /hooks/payout/timeout/{token}          /webhooks/mpesa/b2c/timeout/{token}  queue timeout
//   POST /hooks/payout/status/{token}           /webhooks/mpesa/status/result/{token}
//   POST /hooks/payout/status-timeout/{token}   /webhooks/mpesa/status/timeout/{token}
// plus POST /webhooks/mpesa/stk with no token (the seed's path): stored and refused.
// Every body that fits `body_bytes_max` is stored and answered 200
// {"ResultCode":0,"ResultDesc":"Accepted"}, whatever processing made of it: the answer tells a
// forger nothing, and the outcome is recorded for operators. A larger body is 413 and not stored.
void add_webhook_routes(Router& router, mpesa::CallbackIntake& intake, std::size_t body_bytes_max);

}  // namespace gw::http
