-- The seed's naive reservation, one transaction per buy: the external baseline of
-- bench/ledger_hot_pool (see bench/README.md). ledger_hot_pool runs it as
--   pgbench -n -f ledger_hot_pool.sql -c N -j min(N,2) -T S -D pool=<id> -D user_lo=<id>
--           -D user_hi=<id> -D amount=<µg> -h <socket dir> -p 5432 -U postgres <database>
-- against the same database as the batching and per-request ledger writer.
--
-- The pool row's lock is taken by the SELECT … FOR UPDATE and held across three more client
-- round trips (UPDATE, INSERT, COMMIT with its WAL flush), so every buy of the pool waits for
-- the one before it. The UPDATE moves both sides in one statement (pool debits_pending, user
-- credits_pending), so the ledger stays double-entry and the rows written match what the
-- ledger writer writes for a pending transfer: one transfers row, two account rows.
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
            'bench.reserve.pgbench', now());
COMMIT;
