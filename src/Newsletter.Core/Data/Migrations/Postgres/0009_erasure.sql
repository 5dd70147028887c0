-- A reader may erase themselves: their row stays as an anonymous tombstone (see Sqlite/0009).
ALTER TABLE subscribers DROP CONSTRAINT subscribers_status_check;
ALTER TABLE subscribers ADD CONSTRAINT subscribers_status_check
    CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'erased'));

CREATE INDEX ix_subscribers_subscribed_at ON subscribers (subscribed_at) WHERE subscribe_ip IS NOT NULL;
CREATE INDEX ix_consent_events_at ON consent_events (at) WHERE ip IS NOT NULL;

CREATE TABLE suppressions (
    address_hash TEXT COLLATE "C" PRIMARY KEY,
    erased_at    TEXT COLLATE "C" NOT NULL
);
