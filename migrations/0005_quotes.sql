-- 0005_quotes: prices locked for a short while for one user's buy or sell (DESIGN §5 flows).

-- What a user was offered: `basis` is the side they fixed (a KES amount or grams), the other
-- side was computed by the rounding rules (docs/rounding.md) at the price row `price_id`.
-- Amounts are what M-Pesa will move, so whole shillings. Append-only: a trade consumes a quote
-- by a UNIQUE reference to it, never by changing it.
CREATE TABLE quotes (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               uuid NOT NULL REFERENCES users (id),
    side                  text NOT NULL CHECK (side IN ('buy', 'sell')),
    basis                 text NOT NULL CHECK (basis IN ('amount', 'grams')),
    price_id              bigint NOT NULL REFERENCES prices (id),
    price_per_gram_cents  bigint NOT NULL CHECK (price_per_gram_cents > 0),
    grams_ug              bigint NOT NULL CHECK (grams_ug > 0),
    amount_cents          bigint NOT NULL CHECK (amount_cents > 0 AND amount_cents % 100 = 0),
    created_at            timestamptz NOT NULL,
    expires_at            timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX quotes_user_created ON quotes (user_id, created_at);
CREATE TRIGGER quotes_append_only
    BEFORE UPDATE OR DELETE ON quotes
    FOR EACH ROW EXECUTE FUNCTION refuse_update_delete();
CREATE TRIGGER quotes_no_truncate
    BEFORE TRUNCATE ON quotes
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_update_delete();
