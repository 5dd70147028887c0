-- Confirmation mails: each one sent (for the per-address limits), and retries of a deferred one.
ALTER TABLE subscribers ADD COLUMN confirmation_attempts INTEGER NOT NULL DEFAULT 0;
-- A deferred confirmation (greylisting, a full mailbox) waits until then; other addresses go on.
ALTER TABLE subscribers ADD COLUMN confirmation_retry_at TEXT;

CREATE TABLE confirmation_mails (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
    sent_at       TEXT NOT NULL
);
CREATE INDEX ix_confirmation_mails_subscriber ON confirmation_mails (subscriber_id, sent_at);
