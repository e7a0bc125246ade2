#include "ledger/invariants.hpp"

namespace gw::ledger {
namespace {

void collect(pqxx::transaction_base& tx, const std::string& invariant, const std::string& sql,
             std::vector<InvariantViolation>& violations) {
    for (const auto& row : tx.exec(sql)) {
        violations.push_back({invariant, row[0].as<std::string>()});
    }
}

constexpr const char* kAssetBalanced = R"sql(
SELECT format('%s: debits posted %s, credits posted %s, debits pending %s, credits pending %s',
              asset, sum(debits_posted), sum(credits_posted), sum(debits_pending), sum(credits_pending))
FROM accounts GROUP BY asset
HAVING sum(debits_posted) <> sum(credits_posted) OR sum(debits_pending) <> sum(credits_pending))sql";

// A pending transfer counts as pending until resolved; a post moves its amount to posted.
constexpr const char* kAccountMatchesTransfers = R"sql(
WITH effect AS (
    SELECT t.debit_account_id AS account_id, 'debit' AS side,
           CASE WHEN t.flags = 1 AND r.id IS NULL THEN t.amount ELSE 0 END AS pending,
           CASE WHEN t.flags = 0 OR (t.flags = 1 AND r.flags = 2) THEN t.amount ELSE 0 END AS posted
    FROM transfers t LEFT JOIN transfers r ON r.pending_id = t.id WHERE t.flags IN (0, 1)
    UNION ALL
    SELECT t.credit_account_id, 'credit',
           CASE WHEN t.flags = 1 AND r.id IS NULL THEN t.amount ELSE 0 END,
           CASE WHEN t.flags = 0 OR (t.flags = 1 AND r.flags = 2) THEN t.amount ELSE 0 END
    FROM transfers t LEFT JOIN transfers r ON r.pending_id = t.id WHERE t.flags IN (0, 1)
), sums AS (
    SELECT account_id,
           sum(pending) FILTER (WHERE side = 'debit') AS dp, sum(posted) FILTER (WHERE side = 'debit') AS dpo,
           sum(pending) FILTER (WHERE side = 'credit') AS cp, sum(posted) FILTER (WHERE side = 'credit') AS cpo
    FROM effect GROUP BY account_id
)
SELECT format('account %s (%s): counters %s/%s/%s/%s, transfers %s/%s/%s/%s', a.id, a.code,
              a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted,
              coalesce(s.dp, 0), coalesce(s.dpo, 0), coalesce(s.cp, 0), coalesce(s.cpo, 0))
FROM accounts a LEFT JOIN sums s ON s.account_id = a.id
WHERE a.debits_pending <> coalesce(s.dp, 0) OR a.debits_posted <> coalesce(s.dpo, 0)
   OR a.credits_pending <> coalesce(s.cp, 0) OR a.credits_posted <> coalesce(s.cpo, 0))sql";

constexpr const char* kNoOverdraft = R"sql(
SELECT format('account %s (%s) is overdrawn', id, code) FROM accounts
WHERE ((flags & 1) <> 0 AND debits_pending + debits_posted > credits_posted)
   OR ((flags & 2) <> 0 AND credits_pending + credits_posted > debits_posted))sql";

constexpr const char* kPendingResolvedOnce = R"sql(
SELECT format('pending transfer %s resolved %s times', pending_id, count(*))
FROM transfers WHERE pending_id IS NOT NULL GROUP BY pending_id HAVING count(*) > 1)sql";

// Gold enters and leaves pools only through single-phase transfers with the outside world
// (vault:external); everything else moves between a pool and its users' accounts.
constexpr const char* kPoolTotal = R"sql(
WITH inflow AS (
    SELECT p.id AS pool_id,
           coalesce(sum(CASE WHEN t.credit_account_id = p.account_id THEN t.amount ELSE -t.amount END), 0) AS net
    FROM gold_pools p
    LEFT JOIN transfers t ON t.flags = 0
        AND (t.credit_account_id = p.account_id OR t.debit_account_id = p.account_id)
        AND (SELECT code FROM accounts WHERE id = CASE WHEN t.credit_account_id = p.account_id
                                                       THEN t.debit_account_id ELSE t.credit_account_id END)
            = 'vault:external'
    GROUP BY p.id
)
SELECT format('pool %s: total %s, inflow %s, available %s + reserved %s + held %s + selling %s',
              v.id, v.total_grams, i.net, v.available_grams, v.reserved_grams, v.held_grams,
              v.selling_grams)
FROM pools v JOIN inflow i ON i.pool_id = v.id
WHERE v.total_grams <> i.net
   OR v.total_grams <> v.available_grams + v.reserved_grams + v.held_grams + v.selling_grams)sql";

// The seed's check, over all gold at once: what the pools and users hold (available + reserved
// + held + being sold back) is exactly what vault:external has issued, to the microgram.
constexpr const char* kGoldHeld = R"sql(
WITH held AS (
    SELECT coalesce(sum(available_grams), 0) AS available, coalesce(sum(reserved_grams), 0) AS reserved,
           coalesce(sum(held_grams), 0) AS users, coalesce(sum(selling_grams), 0) AS selling
    FROM pools
), issued AS (
    SELECT coalesce(sum(debits_posted - credits_posted), 0) AS grams
    FROM accounts WHERE code = 'vault:external'
)
SELECT format('gold held %s µg (pools available %s + reserved %s + users %s + being sold back %s) '
              '<> issued by vault:external %s µg (difference %s µg)',
              h.available + h.reserved + h.users + h.selling, h.available, h.reserved, h.users,
              h.selling, i.grams, h.available + h.reserved + h.users + h.selling - i.grams)
FROM held h, issued i
WHERE h.available + h.reserved + h.users + h.selling <> i.grams)sql";

}  // namespace

std::vector<InvariantViolation> check_invariants(pqxx::transaction_base& tx) {
    std::vector<InvariantViolation> violations;
    collect(tx, "asset_balanced", kAssetBalanced, violations);
    collect(tx, "account_matches_transfers", kAccountMatchesTransfers, violations);
    collect(tx, "no_overdraft", kNoOverdraft, violations);
    collect(tx, "pending_resolved_once", kPendingResolvedOnce, violations);
    collect(tx, "pool_total", kPoolTotal, violations);
    collect(tx, "gold_held", kGoldHeld, violations);
    return violations;
}

}  // namespace gw::ledger
