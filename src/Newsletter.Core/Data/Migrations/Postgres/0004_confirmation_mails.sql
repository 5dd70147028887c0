-- Confirmation mails: each one sent (for the per-address limits), and retries of a deferred one.
ALTER TABLE subscribers ADD COLUMN confirmation_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE subscribers ADD COLUMN confirmation_retry_at TEXT COLLATE "C";

CREATE TABLE confirmation_mails (
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id),
    sent_at       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX ix_confirmation_mails_subscriber ON confirmation_mails (subscriber_id, sent_at);
