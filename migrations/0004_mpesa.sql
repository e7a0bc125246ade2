-- 0004_mpesa: what we asked M-Pesa, what it answered, and every callback it sent.

-- One M-Pesa operation that waits for a result: an STK Push (money in) or a B2C payment (money
-- out). Its status moves created -> accepted | rejected | unknown -> succeeded | failed and
-- never leaves a final state (rejected, succeeded, failed): a late or repeated callback cannot
-- undo a settled payment (DARAJA.md §10).
CREATE TABLE mpesa_requests (
    id                         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    kind                       text        NOT NULL CHECK (kind IN ('stk_push', 'b2c_payment')),
    reference                  text        NOT NULL,  -- what it pays for: a trade or payout id
    amount_cents               bigint      NOT NULL
                                           CHECK (amount_cents > 0 AND amount_cents % 100 = 0),
    phone_masked               text        NOT NULL,
    phone_tag                  bytea       NOT NULL,  -- blind index of the MSISDN
    callback_token_hash        bytea       NOT NULL UNIQUE,  -- SHA-256 of the URL path token
    status_token_hash          bytea       UNIQUE,  -- of the latest Transaction Status query
    status                     text        NOT NULL DEFAULT 'created'
        CHECK (status IN ('created', 'accepted', 'rejected', 'unknown', 'succeeded', 'failed')),
    checkout_request_id        text        UNIQUE,
    merchant_request_id        text,
    originator_conversation_id text        UNIQUE,
    conversation_id            text,
    error_code                 text,  -- Daraja's errorCode when it refused the request
    result_code                text,
    result_desc                text,
    receipt                    text,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    completed_at               timestamptz,
    CHECK (status <> 'succeeded' OR receipt IS NOT NULL)
);
CREATE INDEX mpesa_requests_open ON mpesa_requests (kind, updated_at)
    WHERE status IN ('created', 'accepted', 'unknown');
CREATE INDEX mpesa_requests_reference ON mpesa_requests (reference);
-- At most one payment in flight or done per purpose: a second STK Push for a trade, or a second
-- B2C payment for a payout, while the first may still succeed, would charge or pay twice.
CREATE UNIQUE INDEX mpesa_requests_one_live_per_reference ON mpesa_requests (kind, reference)
    WHERE status NOT IN ('rejected', 'failed');
CREATE UNIQUE INDEX mpesa_requests_receipt ON mpesa_requests (receipt) WHERE receipt IS NOT NULL;

CREATE FUNCTION mpesa_requests_keep_final() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('rejected', 'succeeded', 'failed') AND (
           NEW.status IS DISTINCT FROM OLD.status OR NEW.receipt IS DISTINCT FROM OLD.receipt
           OR NEW.result_code IS DISTINCT FROM OLD.result_code
           OR NEW.checkout_request_id IS DISTINCT FROM OLD.checkout_request_id
           OR NEW.conversation_id IS DISTINCT FROM OLD.conversation_id)
    THEN
        RAISE EXCEPTION 'mpesa request % is final (%)', OLD.id, OLD.status
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.kind IS DISTINCT FROM OLD.kind OR NEW.amount_cents IS DISTINCT FROM OLD.amount_cents
       OR NEW.reference IS DISTINCT FROM OLD.reference OR NEW.phone_tag IS DISTINCT FROM OLD.phone_tag
       OR NEW.callback_token_hash IS DISTINCT FROM OLD.callback_token_hash THEN
        RAISE EXCEPTION 'what an mpesa request asks for cannot change'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER mpesa_requests_keep_final
    BEFORE UPDATE ON mpesa_requests
    FOR EACH ROW EXECUTE FUNCTION mpesa_requests_keep_final();
CREATE TRIGGER mpesa_requests_no_delete
    BEFORE DELETE ON mpesa_requests
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();

-- Every HTTP exchange with Daraja, secrets redacted and MSISDNs masked: the record that
-- reconciliation and support read when a payment is disputed. Append-only.
CREATE TABLE mpesa_exchanges (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mpesa_request_id uuid        REFERENCES mpesa_requests (id),
    operation        text        NOT NULL,
    path             text        NOT NULL,
    request          jsonb,
    http_status      integer     NOT NULL,
    response_body    text        NOT NULL,
    transport_error  text        NOT NULL,
    started_at       timestamptz NOT NULL,
    duration_us      bigint      NOT NULL
);
CREATE INDEX mpesa_exchanges_request ON mpesa_exchanges (mpesa_request_id);
CREATE TRIGGER mpesa_exchanges_append_only
    BEFORE UPDATE OR DELETE ON mpesa_exchanges
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();

-- Every callback body exactly as it arrived, stored before anything is done with it (DESIGN
-- §6), whether it is genuine, forged, repeated or unreadable. Append-only evidence.
CREATE TABLE webhook_events (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    kind        text        NOT NULL
        CHECK (kind IN ('stk', 'b2c_result', 'b2c_timeout', 'status_result', 'status_timeout')),
    token_hash  bytea       NOT NULL,
    source_ip   text        NOT NULL,
    body        bytea       NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX webhook_events_received ON webhook_events (received_at);
CREATE TRIGGER webhook_events_append_only
    BEFORE UPDATE OR DELETE ON webhook_events
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();

-- What processing made of each event; the latest row per event is its state. Final outcomes
-- end processing; 'deferred', 'awaiting_confirmation' and 'error' (processing threw; the
-- detail says why) are retried by the webhook job, at most 20 times.
CREATE TABLE webhook_outcomes (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         uuid        NOT NULL REFERENCES webhook_events (id),
    outcome          text        NOT NULL CHECK (outcome IN (
        'applied', 'duplicate', 'not_final', 'unknown_token', 'mismatch', 'source_refused',
        'malformed', 'deferred', 'awaiting_confirmation', 'error')),
    detail           text        NOT NULL,
    mpesa_request_id uuid        REFERENCES mpesa_requests (id),
    recorded_at      timestamptz NOT NULL
);
CREATE INDEX webhook_outcomes_event ON webhook_outcomes (event_id, id);
CREATE TRIGGER webhook_outcomes_append_only
    BEFORE UPDATE OR DELETE ON webhook_outcomes
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
