-- 0006_outbox: the transactional outbox (DESIGN §3, §6). Domain code inserts a message in the
-- same transaction as the state change it announces, so there is no dual write: either both
-- are stored or neither. Workers on any node claim due messages with FOR UPDATE SKIP LOCKED,
-- run the effect (an STK Push, a B2C request, a notification) outside any transaction, and
-- record every attempt.

-- One effect to perform. (topic, key) names it: the same effect can never be queued twice.
-- status moves pending -> done | dead and never leaves done. While an attempt is in flight
-- the row stays pending with claimed_at set and next_attempt_at pushed forward by the lease,
-- so a worker that dies mid-attempt loses its claim when the lease runs out and another worker
-- (on any node) picks the message up again.
CREATE TABLE outbox (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic           text        NOT NULL CHECK (topic <> ''),
    key             text        NOT NULL CHECK (key <> ''),  -- what it is about, e.g. a trade id
    payload         jsonb       NOT NULL,
    status          text        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'done', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),  -- claims so far
    next_attempt_at timestamptz NOT NULL,  -- due time; while claimed, when the lease runs out
    claimed_at      timestamptz,           -- start of the attempt in flight, NULL when none
    created_at      timestamptz NOT NULL,
    done_at         timestamptz,           -- when it became done or dead
    last_error      text,
    UNIQUE (topic, key),
    CHECK ((status = 'pending') = (done_at IS NULL)),
    CHECK (status = 'pending' OR claimed_at IS NULL)
);
-- The workers' work list: due pending messages, oldest due first.
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';

-- done is final (its effect happened), and what a message asks for never changes. Rows are
-- never deleted: a deleted (topic, key) could be queued and performed a second time.
CREATE FUNCTION outbox_keep_final() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'done' AND NEW.status IS DISTINCT FROM OLD.status THEN
        RAISE EXCEPTION 'outbox message % is done', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.topic IS DISTINCT FROM OLD.topic OR NEW.key IS DISTINCT FROM OLD.key
       OR NEW.payload IS DISTINCT FROM OLD.payload OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR NEW.attempts < OLD.attempts THEN
        RAISE EXCEPTION 'what an outbox message asks for cannot change'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER outbox_keep_final
    BEFORE UPDATE ON outbox
    FOR EACH ROW EXECUTE FUNCTION outbox_keep_final();
CREATE TRIGGER outbox_no_delete
    BEFORE DELETE ON outbox
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();

-- Every attempt and how it ended: 'done', 'retry' (scheduled again with backoff) or 'dead'
-- (dead-lettered). An attempt whose worker never reported back is recorded by the worker that
-- next claims the message, as 'retry' (or 'dead' if it was the last) with a lease error;
-- its finished_at is when that was noticed. Append-only.
CREATE TABLE outbox_attempts (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_id   bigint      NOT NULL REFERENCES outbox (id),
    attempt     integer     NOT NULL CHECK (attempt >= 1),
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('done', 'retry', 'dead')),
    error       text,
    UNIQUE (outbox_id, attempt),
    CHECK (finished_at >= started_at),
    CHECK ((outcome = 'done') = (error IS NULL))
);
CREATE TRIGGER outbox_attempts_append_only
    BEFORE UPDATE OR DELETE ON outbox_attempts
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
