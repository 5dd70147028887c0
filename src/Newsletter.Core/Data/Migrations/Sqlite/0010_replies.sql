-- Replies to digests that were applied: reply_id is the reply's Message-ID (or a hash of it), so a
-- reply handed in twice (an MTA retrying, a mailbox read again) is applied once. answered_at is
-- when the reader was last sent an answer: at most one per reader in ten minutes, across instances
-- and restarts. Erasing a subscriber erases both.
CREATE TABLE replies (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    reply_id      TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, reply_id)
);

CREATE TABLE reply_answers (
    subscriber_id INTEGER PRIMARY KEY REFERENCES subscribers (id) ON DELETE CASCADE,
    answered_at   TEXT NOT NULL
);
