-- 0001_init: foundations shared by later migrations.

-- Trigger function for append-only tables (audit_log, transfers, trade_events, webhook_events):
-- a row once written is evidence, so UPDATE and DELETE are refused for every role the
-- application uses. Corrections are new rows.
CREATE FUNCTION refuse_update_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;

-- Which node started when, with which build: cheap evidence for incident timelines.
CREATE TABLE node_starts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version    text        NOT NULL,
    host       text        NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER node_starts_append_only
    BEFORE UPDATE OR DELETE ON node_starts
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
