-- A digest's send shared by several instances (see Sqlite/0008).
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT COLLATE "C";

CREATE TABLE send_instances (
    id          TEXT COLLATE "C" PRIMARY KEY,
    host        TEXT NOT NULL,
    started_at  TEXT COLLATE "C" NOT NULL,
    seen_at     TEXT COLLATE "C" NOT NULL,
    lease_until TEXT COLLATE "C" NOT NULL,
    digest_id   BIGINT
);

-- The rows still to send, for the claims and for instances looking for a send to join: without it
-- each look reads past every row already sent.
CREATE INDEX ix_deliveries_pending ON deliveries (digest_id, subscriber_id) WHERE status = 'pending';
