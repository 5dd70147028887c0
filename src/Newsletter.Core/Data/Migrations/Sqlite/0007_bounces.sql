-- Returned mail that named a subscriber: hard and soft bounces, complaints. The console shows them
-- as the reason an address is suppressed; soft ones are counted over a window. report_id is the
-- returned message's own Message-ID (or a hash of it), so the same mail handed in twice counts once
-- for its reader (and a report reusing another's Message-ID still counts for its own).
-- Erasing a subscriber erases their bounces. digest_id has no foreign key: it comes from a token
-- minted when the digest existed, and a report about a digest no longer known is still a bounce.
CREATE TABLE bounces (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    digest_id     INTEGER,
    kind          TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
    status_code   TEXT,
    diagnostic    TEXT,
    received_at   TEXT NOT NULL,
    report_id     TEXT NOT NULL,
    UNIQUE (subscriber_id, report_id)
);
CREATE INDEX ix_bounces_subscriber ON bounces (subscriber_id, received_at);
