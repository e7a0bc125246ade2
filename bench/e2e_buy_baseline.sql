-- The seed's pseudocode of one buy as plain SQL, both of its database transactions: the
-- external baseline of bench/e2e_buy_bench (see bench/README.md). e2e_buy_bench runs it as
--   pgbench -n -f e2e_buy_baseline.sql -c N -j min(N,2) -T S -D pool=<id> -D user_lo=<id>
--           -D user_hi=<id> -D amount=<µg> -h <socket dir> -p 5432 -U postgres goldwallet_baseline
-- on a second database of the same cluster (so its rows never meet the server's ledger).
-- One run of this script is one buy, so pgbench's tps is buys per second.
--
-- 1. reserve (as bench/ledger_hot_pool.sql): lock the pool row, move the grams to pending on
--    both sides, insert the pending transfer;
-- 2. settle (the payment came): lock the pool row again, move pending to posted on both sides,
--    insert the post transfer that resolves the pending one.
-- Nothing between the two: no HTTP, no M-Pesa, no callback. Each COMMIT flushes the WAL.
\set user random(:user_lo, :user_hi)
BEGIN;
SELECT credits_posted - debits_posted - debits_pending AS available
    FROM accounts WHERE id = :pool FOR UPDATE;
UPDATE accounts
    SET debits_pending  = debits_pending  + CASE WHEN id = :pool THEN :amount ELSE 0 END,
        credits_pending = credits_pending + CASE WHEN id = :pool THEN 0 ELSE :amount END
    WHERE id IN (:pool, :user);
INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, flags, timeout_at, kind,
                       created_at)
    VALUES (gen_random_uuid(), :pool, :user, :amount, 1, now() + interval '15 minutes',
            'bench.reserve.pgbench', now())
    RETURNING id AS pending_id \gset
COMMIT;
BEGIN;
SELECT credits_posted - debits_posted - debits_pending AS available
    FROM accounts WHERE id = :pool FOR UPDATE;
UPDATE accounts
    SET debits_pending  = debits_pending  - CASE WHEN id = :pool THEN :amount ELSE 0 END,
        debits_posted   = debits_posted   + CASE WHEN id = :pool THEN :amount ELSE 0 END,
        credits_pending = credits_pending - CASE WHEN id = :pool THEN 0 ELSE :amount END,
        credits_posted  = credits_posted  + CASE WHEN id = :pool THEN 0 ELSE :amount END
    WHERE id IN (:pool, :user);
INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, pending_id, flags, kind,
                       created_at)
    VALUES (gen_random_uuid(), :pool, :user, :amount, ':pending_id', 2, 'bench.settle.pgbench',
            now());
COMMIT;
