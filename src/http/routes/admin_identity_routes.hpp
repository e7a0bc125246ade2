#pragma once

#include "http/router.hpp"
#include "identity/audit_log.hpp"
#include "identity/kyc_service.hpp"
#include "identity/trade_limits.hpp"

namespace gw::http {

// Admin console routes of the identity area. Roles: KYC routes admin and kyc_reviewer; audit
// and limits admin only. Every change is audited by the service in the same transaction.
// GET  /admin/kyc?status=pending&limit=&before=          → review queue (cursor pagination)
// GET  /admin/kyc/{user_id}/documents/{doc_id}           → the decrypted file, no-store
// POST /admin/kyc/{user_id}/decision {status, reason}    → new KYC state
// GET  /admin/audit?limit=&before=                       → audit log, newest first
// GET  /admin/limits                                     → every trade limit
// PUT  /admin/limits {kyc_status, side, per_trade_kes, per_day_kes, reason}
// REQUIRES: the services outlive the router.
void add_admin_identity_routes(Router& router,
                               identity::KycService& kyc,
                               identity::TradeLimits& limits,
                               identity::AuditLog& audit);

}  // namespace gw::http
