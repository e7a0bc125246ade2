-- 0010_adjustment_idempotency: an admin adjustment is made once per Idempotency-Key, as a trade
-- is. The admin's key, a hash of the request and the transfers made are kept with the
-- adjustment, so a retried POST /admin/adjustments (its answer lost) returns the adjustment it
-- made instead of moving the gold again. Adjustments made before this migration have none.

ALTER TABLE adjustments
    ADD COLUMN idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    ADD COLUMN request_hash    bytea,
    ADD COLUMN transfers       jsonb,
    ADD CONSTRAINT adjustments_keyed_whole
        CHECK ((idempotency_key IS NULL) = (request_hash IS NULL) AND
               (idempotency_key IS NULL) = (transfers IS NULL));

CREATE UNIQUE INDEX adjustments_admin_key ON adjustments (admin_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
