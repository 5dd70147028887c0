-- A digest's send shared by several instances (on PostgreSQL; SQLite has one, which claims the
-- same way). claimed_by: the instance that took the row to send it, kept after it is sent, so the
-- share each instance sent can be counted. send_instances: each instance's heartbeat; a row claimed
-- by an instance whose lease ran out may be taken over by another.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;

CREATE TABLE send_instances (
    id          TEXT PRIMARY KEY,
    host        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    seen_at     TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    digest_id   INTEGER
);
