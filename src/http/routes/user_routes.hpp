#pragma once

#include "http/router.hpp"
#include "identity/account_service.hpp"
#include "identity/kyc_service.hpp"
#include "identity/trade_limits.hpp"

namespace gw::http {

// The caller's own account; every route acts on the caller only, so there is no id to tamper.
// GET    /user/me           → profile (phone masked)
// DELETE /user/me           → 204; closes the account (gold must be zero)
// GET    /user/me/export    → everything we hold about the caller, as JSON (right of access)
// GET    /user/limits       → trade limits for the caller's KYC status
// POST   /user/kyc/upload   multipart {doc_type, file} → 201 document
// GET    /user/kyc/status   → status, reason, documents, missing types
// REQUIRES: the services outlive the router.
void add_user_routes(Router& router,
                     identity::AccountService& accounts,
                     identity::KycService& kyc,
                     identity::TradeLimits& limits);

nlohmann::json kyc_document_json(const identity::KycDocumentView& document);
nlohmann::json kyc_status_json(const identity::KycStatusView& status);

}  // namespace gw::http
