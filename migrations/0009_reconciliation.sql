-- 0009_reconciliation: M-Pesa statements as imported, reconciliation runs and what each found,
-- and the payout sweeper's schedule.

-- One imported statement file. The same file imported twice is recognised by its SHA-256 and
-- adds nothing.
CREATE TABLE mpesa_statements (
    id            uuid        PRIMARY KEY,
    sha256        bytea       NOT NULL UNIQUE,
    file_name     text        NOT NULL,
    shortcode     text        NOT NULL CHECK (shortcode <> ''),  -- our paybill or B2C account
    period_from   timestamptz NOT NULL,
    period_to     timestamptz NOT NULL,
    line_count    integer     NOT NULL,
    imported_by   uuid        REFERENCES users (id),  -- NULL from the command line
    imported_at   timestamptz NOT NULL,
    CHECK (period_from <= period_to)
);
CREATE TRIGGER mpesa_statements_append_only
    BEFORE UPDATE OR DELETE ON mpesa_statements
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
CREATE TRIGGER mpesa_statements_no_truncate
    BEFORE TRUNCATE ON mpesa_statements
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_update_delete();

-- One completed M-Pesa transaction per receipt and account, from the first statement that
-- listed it. Counterparty details are not kept: the receipt, amount and times are what match;
-- account_no only when it is one of our payment references ('GW…'), never what a customer typed.
CREATE TABLE mpesa_statement_lines (
    shortcode     text        NOT NULL,
    receipt       text        NOT NULL,
    seq           bigint      GENERATED ALWAYS AS IDENTITY,  -- import order
    statement_id  uuid        NOT NULL REFERENCES mpesa_statements (id),
    direction     text        NOT NULL CHECK (direction IN ('in', 'out')),
    amount_cents  bigint      NOT NULL CHECK (amount_cents > 0),
    completed_at  timestamptz NOT NULL,
    initiated_at  timestamptz,
    reason_type   text        NOT NULL,
    account_no    text        NOT NULL,
    PRIMARY KEY (shortcode, receipt)
);
CREATE INDEX mpesa_statement_lines_completed ON mpesa_statement_lines (completed_at);
CREATE INDEX mpesa_statement_lines_receipt ON mpesa_statement_lines (receipt);
CREATE TRIGGER mpesa_statement_lines_append_only
    BEFORE UPDATE OR DELETE ON mpesa_statement_lines
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
CREATE TRIGGER mpesa_statement_lines_no_truncate
    BEFORE TRUNCATE ON mpesa_statement_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_update_delete();

-- One reconciliation of one Nairobi day. A run is written once: it starts 'running' and
-- becomes 'completed' or 'failed'; then it never changes.
CREATE TABLE reconciliation_runs (
    id              uuid        PRIMARY KEY,
    day             date        NOT NULL,
    trigger         text        NOT NULL CHECK (trigger IN ('schedule', 'command', 'api')),
    requested_by    uuid        REFERENCES users (id),
    status          text        NOT NULL DEFAULT 'running'
                                CHECK (status IN ('running', 'completed', 'failed')),
    summary         jsonb       NOT NULL DEFAULT '{}',
    critical_count  integer     NOT NULL DEFAULT 0,
    failure         text,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX reconciliation_runs_started ON reconciliation_runs (started_at DESC, id DESC);
-- The daily schedule runs once per day, whichever node gets there first.
CREATE UNIQUE INDEX reconciliation_runs_scheduled_once ON reconciliation_runs (day)
    WHERE trigger = 'schedule' AND status <> 'failed';

CREATE FUNCTION reconciliation_runs_write_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'running' THEN
        RAISE EXCEPTION 'reconciliation run % is final', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.id <> OLD.id OR NEW.day <> OLD.day OR NEW.trigger <> OLD.trigger
       OR NEW.started_at <> OLD.started_at THEN
        RAISE EXCEPTION 'what a run covers cannot change' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER reconciliation_runs_write_once
    BEFORE UPDATE ON reconciliation_runs
    FOR EACH ROW EXECUTE FUNCTION reconciliation_runs_write_once();
CREATE TRIGGER reconciliation_runs_no_delete
    BEFORE DELETE ON reconciliation_runs
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
CREATE TRIGGER reconciliation_runs_no_truncate
    BEFORE TRUNCATE ON reconciliation_runs
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_update_delete();

-- What a run found. Only the resolution may be written later, once, by an admin (audited);
-- a resolution never edits the ledger: corrections go through adjustments.
CREATE TABLE reconciliation_items (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id           uuid        NOT NULL REFERENCES reconciliation_runs (id),
    class            text        NOT NULL,
    severity         text        NOT NULL CHECK (severity IN ('critical', 'warning')),
    receipt          text,
    trade_id         uuid,
    payout_id        uuid,
    expected_cents   bigint,  -- what our records say
    actual_cents     bigint,  -- what the statement says
    detail           text        NOT NULL,
    resolved_at      timestamptz,
    resolved_by      uuid        REFERENCES users (id),
    resolution_note  text,
    CHECK ((resolved_at IS NULL) = (resolved_by IS NULL)),
    CHECK ((resolved_at IS NULL) = (resolution_note IS NULL))
);
CREATE INDEX reconciliation_items_run ON reconciliation_items (run_id, id);

CREATE FUNCTION reconciliation_items_resolve_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.resolved_at IS NOT NULL THEN
        RAISE EXCEPTION 'reconciliation item % is already resolved', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF (to_jsonb(NEW) - 'resolved_at' - 'resolved_by' - 'resolution_note')
       <> (to_jsonb(OLD) - 'resolved_at' - 'resolved_by' - 'resolution_note') THEN
        RAISE EXCEPTION 'what a run found cannot change' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER reconciliation_items_resolve_once
    BEFORE UPDATE ON reconciliation_items
    FOR EACH ROW EXECUTE FUNCTION reconciliation_items_resolve_once();
CREATE TRIGGER reconciliation_items_no_delete
    BEFORE DELETE ON reconciliation_items
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
CREATE TRIGGER reconciliation_items_no_truncate
    BEFORE TRUNCATE ON reconciliation_items
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_update_delete();

-- Items are found by a running run only: a finished report cannot grow afterwards.
CREATE FUNCTION reconciliation_items_while_running() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT status FROM reconciliation_runs WHERE id = NEW.run_id) <> 'running' THEN
        RAISE EXCEPTION 'reconciliation run % is final', NEW.run_id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER reconciliation_items_while_running
    BEFORE INSERT ON reconciliation_items
    FOR EACH ROW EXECUTE FUNCTION reconciliation_items_while_running();

-- When the payout sweeper may ask M-Pesa about a B2C payout (Transaction Status) next.
ALTER TABLE payouts ADD COLUMN next_check_at timestamptz;
CREATE INDEX payouts_open_b2c ON payouts (next_check_at)
    WHERE mode = 'b2c' AND status IN ('pending', 'sent');

-- What matching looks up: receipts of trade events, buys completed in a window, payouts
-- completed in a window, and statement lines by A/C No. (buys confirmed by STK Query).
CREATE INDEX trade_events_receipt ON trade_events (receipt) WHERE receipt IS NOT NULL;
CREATE INDEX trade_events_completed ON trade_events (created_at) WHERE status = 'completed';
CREATE INDEX payouts_completed ON payouts (updated_at) WHERE status = 'completed';
CREATE INDEX mpesa_statement_lines_account ON mpesa_statement_lines (account_no)
    WHERE direction = 'in';
