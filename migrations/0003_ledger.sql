-- 0003_ledger: double-entry, two-phase accounts and transfers (TigerBeetle's model), gold pools,
-- prices, and the views the seed named (pools, user_balances, ledgers).

CREATE TABLE accounts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code             text NOT NULL UNIQUE,  -- 'vault:external', 'pool:<id>', 'user:<id>:pool:<id>', …
    asset            text NOT NULL CHECK (asset IN ('XAU_UG', 'KES_CENT')),
    owner_user_id    uuid REFERENCES users (id),
    pool_id          uuid,
    flags            integer NOT NULL DEFAULT 0,
    debits_pending   bigint NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    debits_posted    bigint NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_pending  bigint NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    credits_posted   bigint NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    created_at       timestamptz NOT NULL,
    -- Flag 1: no overdraft. A bug can never allocate gold a pool does not have.
    CONSTRAINT accounts_debits_within_credits
        CHECK ((flags & 1) = 0 OR debits_pending + debits_posted <= credits_posted),
    -- Flag 2: the mirror image, for accounts that may only give back what they took.
    CONSTRAINT accounts_credits_within_debits
        CHECK ((flags & 2) = 0 OR credits_pending + credits_posted <= debits_posted)
);
CREATE INDEX accounts_owner ON accounts (owner_user_id) WHERE owner_user_id IS NOT NULL;
CREATE INDEX accounts_pool ON accounts (pool_id) WHERE pool_id IS NOT NULL;

-- Flags: 1 pending, 2 post_pending, 4 void_pending (0 = single phase). Immutable.
CREATE TABLE transfers (
    id                 uuid PRIMARY KEY,
    debit_account_id   bigint NOT NULL REFERENCES accounts (id),
    credit_account_id  bigint NOT NULL REFERENCES accounts (id),
    amount             bigint NOT NULL CHECK (amount > 0),
    pending_id         uuid REFERENCES transfers (id),
    flags              integer NOT NULL DEFAULT 0 CHECK (flags IN (0, 1, 2, 4)),
    timeout_at         timestamptz,
    trade_id           uuid,
    kind               text NOT NULL,
    created_at         timestamptz NOT NULL,
    CHECK (debit_account_id <> credit_account_id),
    CHECK ((flags IN (2, 4)) = (pending_id IS NOT NULL)),
    CHECK (timeout_at IS NULL OR flags = 1)
);
-- A pending transfer is resolved (posted or voided) at most once.
CREATE UNIQUE INDEX transfers_resolved_once ON transfers (pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX transfers_debit_account ON transfers (debit_account_id, created_at);
CREATE INDEX transfers_credit_account ON transfers (credit_account_id, created_at);
CREATE INDEX transfers_trade ON transfers (trade_id) WHERE trade_id IS NOT NULL;
CREATE INDEX transfers_timeouts ON transfers (timeout_at) WHERE flags = 1 AND timeout_at IS NOT NULL;
CREATE TRIGGER transfers_append_only
    BEFORE UPDATE OR DELETE ON transfers
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
CREATE TRIGGER transfers_no_truncate
    BEFORE TRUNCATE ON transfers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_update_delete();

-- Physical lots of gold. Every gram a user owns sits in a user:<id>:pool:<id> account, so it is
-- traceable to a bar.
CREATE TABLE gold_pools (
    id              uuid PRIMARY KEY,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    purity_tenths   integer NOT NULL CHECK (purity_tenths BETWEEN 1 AND 10000),
    priority        integer NOT NULL DEFAULT 100,
    notes           text NOT NULL DEFAULT '',
    account_id      bigint NOT NULL UNIQUE REFERENCES accounts (id),
    created_at      timestamptz NOT NULL,
    retired_at      timestamptz
);
CREATE UNIQUE INDEX gold_pools_name_key ON gold_pools (lower(name));
ALTER TABLE accounts ADD CONSTRAINT accounts_pool_fk FOREIGN KEY (pool_id) REFERENCES gold_pools (id)
    DEFERRABLE INITIALLY DEFERRED;

-- Buy and sell prices in KES cents per gram. The latest row is the price; history is kept.
CREATE TABLE prices (
    id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    buy_cents_per_gram         bigint NOT NULL CHECK (buy_cents_per_gram > 0),
    sell_cents_per_gram        bigint NOT NULL CHECK (sell_cents_per_gram > 0),
    set_by                     uuid REFERENCES users (id),
    created_at                 timestamptz NOT NULL,
    CHECK (buy_cents_per_gram >= sell_cents_per_gram)
);
CREATE TRIGGER prices_append_only
    BEFORE UPDATE OR DELETE ON prices
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
CREATE TRIGGER prices_no_truncate
    BEFORE TRUNCATE ON prices
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_update_delete();

-- Per pool: total = available + reserved + held by users + being sold back (all in µg).
CREATE VIEW pools AS
SELECT p.id, p.name, p.purity_tenths, p.priority, p.notes, p.created_at, p.retired_at, p.account_id,
       a.credits_posted - a.debits_posted - a.debits_pending               AS available_grams,
       a.debits_pending                                                     AS reserved_grams,
       coalesce(u.held, 0)                                                  AS held_grams,
       coalesce(u.selling, 0)                                               AS selling_grams,
       a.credits_posted - a.debits_posted + coalesce(u.held, 0) + coalesce(u.selling, 0)
                                                                            AS total_grams
FROM gold_pools p
JOIN accounts a ON a.id = p.account_id
LEFT JOIN LATERAL (
    SELECT sum(ua.credits_posted - ua.debits_posted - ua.debits_pending) AS held,
           sum(ua.debits_pending) AS selling
    FROM accounts ua WHERE ua.pool_id = p.id AND ua.owner_user_id IS NOT NULL
) u ON true;

-- Per user: grams owned (posted), locked in sells in flight, and free to sell (µg).
CREATE VIEW user_balances AS
SELECT u.id AS user_id,
       coalesce(sum(a.credits_posted - a.debits_posted), 0)                    AS grams,
       coalesce(sum(a.debits_pending), 0)                                      AS locked_grams,
       coalesce(sum(a.credits_posted - a.debits_posted - a.debits_pending), 0) AS available_grams,
       coalesce(sum(a.credits_pending), 0)                                     AS incoming_grams
FROM users u
LEFT JOIN accounts a ON a.owner_user_id = u.id AND a.asset = 'XAU_UG'
GROUP BY u.id;

-- User-facing entries: one row per transfer that touches a user's account, signed from the
-- user's side, with the state of two-phase transfers resolved.
CREATE VIEW ledgers AS
SELECT t.id AS transfer_id, a.owner_user_id AS user_id, a.pool_id, t.trade_id, t.kind,
       CASE WHEN t.credit_account_id = a.id THEN t.amount ELSE -t.amount END AS grams_delta,
       CASE t.flags WHEN 0 THEN 'posted' WHEN 1 THEN
                coalesce((SELECT CASE r.flags WHEN 2 THEN 'posted' ELSE 'voided' END
                          FROM transfers r WHERE r.pending_id = t.id), 'pending')
            ELSE 'resolution' END AS status,
       t.created_at
FROM transfers t
JOIN accounts a ON a.id IN (t.debit_account_id, t.credit_account_id)
WHERE a.owner_user_id IS NOT NULL AND t.flags IN (0, 1);
