-- Subscribers with the evidence of their consent, and the service's own generated secrets.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE subscribers (
    id                        INTEGER PRIMARY KEY,
    email                     TEXT NOT NULL COLLATE NOCASE UNIQUE,
    status                    TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced')),
    topics                    TEXT,
    -- Raised by every new subscription, so a confirmation link from an earlier one is void.
    consent_version           INTEGER NOT NULL DEFAULT 1,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    subscribed_at             TEXT NOT NULL,
    subscribe_source          TEXT NOT NULL CHECK (subscribe_source IN ('form', 'api', 'import')),
    subscribe_ip              TEXT,
    subscribe_user_agent      TEXT,
    confirmation_requested_at TEXT,
    confirmation_sent_at      TEXT,
    -- The request the last confirmation mail answered: a request made while it was being sent
    -- is newer, so it still gets its own mail.
    confirmation_answered_at  TEXT,
    confirmed_at              TEXT,
    confirm_ip                TEXT,
    confirm_user_agent        TEXT,
    unsubscribed_at           TEXT,
    bounced_at                TEXT,
    bounce_reason             TEXT
);
CREATE INDEX ix_subscribers_status ON subscribers (status, id);
CREATE INDEX ix_subscribers_confirmation_due ON subscribers (confirmation_requested_at)
    WHERE status = 'pending';

-- Append-only history: every change of consent, with where it came from.
CREATE TABLE consent_events (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
    event         TEXT NOT NULL,
    at            TEXT NOT NULL,
    source        TEXT,
    ip            TEXT,
    user_agent    TEXT
);
CREATE INDEX ix_consent_events_subscriber ON consent_events (subscriber_id, id);
