-- 0008_payouts: money paid out to users (a sell's proceeds, or a refund of a payment that
-- arrived after its buy was voided), in-app notifications, and admin gold adjustments.

-- One payout per purpose. mode b2c: the outbox worker sends a B2C payment and its Result
-- settles the payout; mode manual: it waits in the admin queue until an admin completes it
-- (with the M-Pesa transaction id) or fails it. status: pending -> sent -> completed | failed
-- (a manual payout goes pending -> completed | failed). Final rows never change.
CREATE TABLE payouts (
    id                    uuid        PRIMARY KEY,
    kind                  text        NOT NULL CHECK (kind IN ('sell', 'refund')),
    trade_id              uuid        NOT NULL REFERENCES trades (id),
    user_id               uuid        NOT NULL REFERENCES users (id),
    amount_cents          bigint      NOT NULL CHECK (amount_cents > 0 AND amount_cents % 100 = 0),
    mode                  text        NOT NULL CHECK (mode IN ('b2c', 'manual')),
    status                text        NOT NULL DEFAULT 'pending'
                                      CHECK (status IN ('pending', 'sent', 'completed', 'failed')),
    mpesa_request_id      uuid,
    mpesa_transaction_id  text,
    failure_reason        text,
    decided_by            uuid REFERENCES users (id),  -- the admin, for a manual decision
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    CHECK (status <> 'completed' OR mpesa_transaction_id IS NOT NULL),
    CHECK (status <> 'failed' OR failure_reason IS NOT NULL)
);
CREATE INDEX payouts_queue ON payouts (status, created_at, id);
-- One live or paid payout per purpose: a sell pays once; a refund that B2C could not pay is
-- failed and followed by a manual one for the same trade.
CREATE UNIQUE INDEX payouts_one_per_purpose ON payouts (kind, trade_id) WHERE status <> 'failed';
-- One M-Pesa payment pays one payout: a receipt typed twice cannot mark a second one paid.
CREATE UNIQUE INDEX payouts_mpesa_transaction ON payouts (mpesa_transaction_id);

CREATE FUNCTION payouts_keep_final() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('completed', 'failed') THEN
        RAISE EXCEPTION 'payout % is final (%)', OLD.id, OLD.status
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.amount_cents IS DISTINCT FROM OLD.amount_cents OR NEW.trade_id IS DISTINCT FROM OLD.trade_id
       OR NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.mode IS DISTINCT FROM OLD.mode
       OR NEW.kind IS DISTINCT FROM OLD.kind THEN
        RAISE EXCEPTION 'what a payout pays cannot change' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER payouts_keep_final
    BEFORE UPDATE ON payouts
    FOR EACH ROW EXECUTE FUNCTION payouts_keep_final();
CREATE TRIGGER payouts_no_delete
    BEFORE DELETE ON payouts
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();

-- What the user is told, in the app: receipts, failures, payouts. Written by the notifier from
-- outbox messages; `key` makes each notification exactly once.
CREATE TABLE notifications (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid        NOT NULL REFERENCES users (id),
    key         text        NOT NULL UNIQUE,  -- e.g. 'trade:<id>:completed'
    kind        text        NOT NULL,         -- buy_completed, buy_failed, sell_completed, …
    title       text        NOT NULL,
    body        text        NOT NULL,
    trade_id    uuid        REFERENCES trades (id),
    created_at  timestamptz NOT NULL,
    read_at     timestamptz
);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC, id DESC);

-- Corrections of a user's gold by an admin, always through ledger transfers (between the user's
-- account in a pool and that pool) and audited; never an edit of the ledger. Append-only.
CREATE TABLE adjustments (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id),
    direction   text        NOT NULL CHECK (direction IN ('credit', 'debit')),
    grams_ug    bigint      NOT NULL CHECK (grams_ug > 0),
    reason      text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    admin_id    uuid        NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX adjustments_user ON adjustments (user_id, created_at);
CREATE TRIGGER adjustments_append_only
    BEFORE UPDATE OR DELETE ON adjustments
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
