-- 0007_trades: buys and sells (DESIGN §5, §6). A trade row holds what was agreed and never
-- changes; every state change is a row in trade_events and the status is the latest event's.

CREATE TABLE trades (
    id                    uuid        PRIMARY KEY,
    user_id               uuid        NOT NULL REFERENCES users (id),
    side                  text        NOT NULL CHECK (side IN ('buy', 'sell')),
    -- The client's Idempotency-Key and the SHA-256 of the request it came with: the same key
    -- with the same request returns this trade, with another request it is refused.
    idempotency_key       text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash          bytea       NOT NULL,
    quote_id              uuid        UNIQUE REFERENCES quotes (id),  -- a quote is used once
    price_id              bigint      NOT NULL REFERENCES prices (id),
    price_per_gram_cents  bigint      NOT NULL CHECK (price_per_gram_cents > 0),
    grams_ug              bigint      NOT NULL CHECK (grams_ug > 0),
    amount_cents          bigint      NOT NULL CHECK (amount_cents > 0 AND amount_cents % 100 = 0),
    -- The M-Pesa number that pays (buy) or is paid (sell): sealed like users.phone, masked for
    -- display. Associated data: trade id + ":phone".
    phone_masked          text        NOT NULL,
    phone_key_id          integer     NOT NULL,
    phone_sealed          bytea       NOT NULL,
    partial               boolean     NOT NULL DEFAULT false,  -- filled less than asked
    payment_due_at        timestamptz NOT NULL,  -- after this the sweeper asks M-Pesa
    created_at            timestamptz NOT NULL,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX trades_user_created ON trades (user_id, created_at DESC, id DESC);
CREATE TRIGGER trades_append_only
    BEFORE UPDATE OR DELETE ON trades
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
CREATE TRIGGER trades_no_truncate
    BEFORE TRUNCATE ON trades
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_update_delete();

-- Where a trade's gold comes from (buy) or goes back to (sell): one row per pool, with the
-- pending ledger transfer that moves it. FIFO over pools by priority, so one trade may span
-- several.
CREATE TABLE allocations (
    trade_id     uuid   NOT NULL REFERENCES trades (id),
    pool_id      uuid   NOT NULL REFERENCES gold_pools (id),
    grams_ug     bigint NOT NULL CHECK (grams_ug > 0),
    transfer_id  uuid   NOT NULL UNIQUE REFERENCES transfers (id),
    PRIMARY KEY (trade_id, pool_id)
);
CREATE TRIGGER allocations_append_only
    BEFORE UPDATE OR DELETE ON allocations
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();

-- Every state change of a trade. Statuses:
--   reserved          gold reserved, the payment request not yet sent
--   awaiting_payment  M-Pesa accepted the STK Push: the customer has a prompt on the phone
--   awaiting_payout   a sell's payout is with M-Pesa (B2C) or in the admin's manual queue
--   completed         paid (buy) or paid out (sell); the ledger transfers are posted
--   failed            not paid; the reservation is voided (reason says why)
--   late_payment      a payment arrived after the trade failed (see detail for what was done)
CREATE TABLE trade_events (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trade_id          uuid        NOT NULL REFERENCES trades (id),
    status            text        NOT NULL
        CHECK (status IN ('reserved', 'awaiting_payment', 'awaiting_payout', 'completed', 'failed',
                          'late_payment')),
    reason            text,  -- a stable word for failures: cancelled, wrong_pin, timeout, …
    mpesa_request_id  uuid,
    receipt           text,
    created_at        timestamptz NOT NULL
);
CREATE INDEX trade_events_trade ON trade_events (trade_id, id);
-- A late payment is acted on once, whichever way its receipt is reported again.
CREATE UNIQUE INDEX trade_events_late_receipt ON trade_events (receipt) WHERE status = 'late_payment';
CREATE TRIGGER trade_events_append_only
    BEFORE UPDATE OR DELETE ON trade_events
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
CREATE TRIGGER trade_events_no_truncate
    BEFORE TRUNCATE ON trade_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_update_delete();

-- The status of each trade: its latest event that is a state (late_payment is a note on a
-- failed trade, not a state).
CREATE VIEW trade_status AS
SELECT t.id AS trade_id, e.status, e.reason, e.receipt, e.created_at AS updated_at
FROM trades t
JOIN LATERAL (
    SELECT status, reason, receipt, created_at FROM trade_events
    WHERE trade_id = t.id AND status <> 'late_payment'
    ORDER BY id DESC LIMIT 1
) e ON true;

-- Trades not yet completed or failed: the sweeper's work list (a row leaves when its trade
-- settles, in the same transaction as the settling event). History stays in trade_events.
CREATE TABLE open_trades (
    trade_id       uuid        PRIMARY KEY REFERENCES trades (id),
    due_at         timestamptz NOT NULL,  -- the trade's payment_due_at
    next_check_at  timestamptz NOT NULL   -- when a sweeper may look at it (next) again
);
CREATE INDEX open_trades_next_check ON open_trades (next_check_at);
