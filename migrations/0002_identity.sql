-- 0002_identity: accounts, sessions, KYC documents, trade limits and the audit log.

-- Phone numbers are personal data: stored encrypted (XChaCha20-Poly1305, associated data =
-- user id + column, key id for rotation) and found through a keyed HMAC blind index, which is
-- also what makes them unique. Staff accounts may have no phone.
CREATE TABLE users (
    id                 uuid PRIMARY KEY,
    username           text NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$'),
    email              text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    phone_sealed       bytea,
    phone_key_id       integer,
    phone_blind_index  bytea,
    password_hash      text NOT NULL,
    role               text NOT NULL DEFAULT 'user'
                       CHECK (role IN ('user', 'admin', 'kyc_reviewer', 'treasury')),
    kyc_status         text NOT NULL DEFAULT 'pending'
                       CHECK (kyc_status IN ('pending', 'verified', 'rejected')),
    kyc_reason         text,
    kyc_decided_at     timestamptz,
    terms_version      text,
    terms_accepted_at  timestamptz,
    created_at         timestamptz NOT NULL,
    closed_at          timestamptz,
    CHECK ((phone_sealed IS NULL) = (phone_blind_index IS NULL)),
    CHECK ((phone_sealed IS NULL) = (phone_key_id IS NULL))
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_phone_key ON users (phone_blind_index);
CREATE INDEX users_kyc_queue ON users (kyc_status, created_at, id);

-- One login is one session; its refresh tokens rotate. Presenting a rotated token again means
-- it was stolen or replayed, and revokes the session.
CREATE TABLE sessions (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoked_reason  text
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
    digest      bytea PRIMARY KEY,          -- SHA-256 of the opaque token; the token itself is never stored
    session_id  uuid NOT NULL REFERENCES sessions (id),
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    rotated_at  timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- KYC files live encrypted in the KYC store; a row holds the per-file key, itself sealed
-- under the master key (associated data = "kyc-file:" + id).
CREATE TABLE kyc_documents (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users (id),
    doc_type         text NOT NULL CHECK (doc_type IN ('id_front', 'id_back', 'selfie')),
    content_type     text NOT NULL
                     CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size_bytes       bigint NOT NULL CHECK (size_bytes > 0),
    storage_key      text NOT NULL UNIQUE,
    file_key_sealed  bytea NOT NULL,
    file_key_id      integer NOT NULL,
    uploaded_at      timestamptz NOT NULL,
    purged_at        timestamptz
);
CREATE INDEX kyc_documents_user ON kyc_documents (user_id, uploaded_at);

-- Trade limits by KYC status, in KES cents, admin-configurable (audited).
CREATE TABLE trade_limits (
    kyc_status       text NOT NULL CHECK (kyc_status IN ('pending', 'verified', 'rejected')),
    side             text NOT NULL CHECK (side IN ('buy', 'sell')),
    per_trade_cents  bigint NOT NULL CHECK (per_trade_cents >= 0),
    per_day_cents    bigint NOT NULL CHECK (per_day_cents >= per_trade_cents),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kyc_status, side)
);
-- Unverified users: KES 5,000 a trade, 10,000 a day. Verified: M-Pesa's own customer limits
-- (KES 250,000 a transaction, 500,000 a day). Rejected: nothing.
INSERT INTO trade_limits (kyc_status, side, per_trade_cents, per_day_cents) VALUES
    ('pending',  'buy',     500000,   1000000),
    ('pending',  'sell',    500000,   1000000),
    ('verified', 'buy',   25000000,  50000000),
    ('verified', 'sell',  25000000,  50000000),
    ('rejected', 'buy',          0,         0),
    ('rejected', 'sell',         0,         0);

-- Every admin action, in the same database transaction as the action itself. Append-only.
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id     uuid REFERENCES users (id),   -- NULL: the system (a job or the CLI)
    actor_role   text,
    action       text NOT NULL,
    target_type  text,
    target_id    text,
    before       jsonb,
    after        jsonb,
    reason       text,
    request_id   text,
    created_at   timestamptz NOT NULL
);
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_update_delete();
