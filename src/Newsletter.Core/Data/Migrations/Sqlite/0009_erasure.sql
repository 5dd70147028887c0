-- migrate: foreign-keys-off
-- A reader may erase themselves. Their row stays as an anonymous tombstone ('erased', no address,
-- no IPs or user agents, no preferences): the send ledger keeps pointing at it, so past digests'
-- counts stay right, and its id is never handed out again (SQLite reuses the largest id of a
-- deleted row, and an old unsubscribe link names nothing but the id). SQLite cannot change a
-- CHECK in place, so the table is rebuilt keeping every id; the search index keeps its rows.
-- AUTOINCREMENT: the retention sweep deletes unconfirmed sign-ups, and a confirmation mail's return
-- path (which never expires) names the id; a reused id would let a report about the deleted sign-up
-- mark a stranger bounced. The copied rows set the sequence to the largest id.
CREATE TABLE subscribers_new (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    email                     TEXT NOT NULL COLLATE NOCASE UNIQUE,
    status                    TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'erased')),
    topics                    TEXT,
    consent_version           INTEGER NOT NULL DEFAULT 1,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    subscribed_at             TEXT NOT NULL,
    subscribe_source          TEXT NOT NULL CHECK (subscribe_source IN ('form', 'api', 'import')),
    subscribe_ip              TEXT,
    subscribe_user_agent      TEXT,
    confirmation_requested_at TEXT,
    confirmation_sent_at      TEXT,
    confirmation_answered_at  TEXT,
    confirmed_at              TEXT,
    confirm_ip                TEXT,
    confirm_user_agent        TEXT,
    unsubscribed_at           TEXT,
    bounced_at                TEXT,
    bounce_reason             TEXT,
    confirmation_attempts     INTEGER NOT NULL DEFAULT 0,
    confirmation_retry_at     TEXT,
    frequency                 TEXT NOT NULL DEFAULT 'daily' CHECK (frequency IN ('daily', 'weekly')),
    weekday                   TEXT NOT NULL DEFAULT 'monday'
        CHECK (weekday IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')),
    max_papers                INTEGER CHECK (max_papers BETWEEN 1 AND 30),
    muted_topics              TEXT,
    require_code              INTEGER NOT NULL DEFAULT 0 CHECK (require_code IN (0, 1)),
    send_hour                 INTEGER CHECK (send_hour BETWEEN 0 AND 23),
    time_zone                 TEXT
);
INSERT INTO subscribers_new (id, email, status, topics, consent_version, created_at, updated_at, subscribed_at, subscribe_source,
                             subscribe_ip, subscribe_user_agent, confirmation_requested_at, confirmation_sent_at,
                             confirmation_answered_at, confirmed_at, confirm_ip, confirm_user_agent, unsubscribed_at, bounced_at,
                             bounce_reason, confirmation_attempts, confirmation_retry_at, frequency, weekday, max_papers,
                             muted_topics, require_code, send_hour, time_zone)
SELECT id, email, status, topics, consent_version, created_at, updated_at, subscribed_at, subscribe_source,
       subscribe_ip, subscribe_user_agent, confirmation_requested_at, confirmation_sent_at,
       confirmation_answered_at, confirmed_at, confirm_ip, confirm_user_agent, unsubscribed_at, bounced_at,
       bounce_reason, confirmation_attempts, confirmation_retry_at, frequency, weekday, max_papers,
       muted_topics, require_code, send_hour, time_zone
FROM subscribers;
DROP TABLE subscribers;
ALTER TABLE subscribers_new RENAME TO subscribers;

CREATE INDEX ix_subscribers_status ON subscribers (status, id);
CREATE INDEX ix_subscribers_confirmation_due ON subscribers (confirmation_requested_at) WHERE status = 'pending';
CREATE INDEX ix_subscribers_audience ON subscribers (status, frequency, weekday);
CREATE INDEX ix_subscribers_confirmed_at ON subscribers (confirmed_at) WHERE confirmed_at IS NOT NULL;
CREATE INDEX ix_subscribers_unsubscribed_at ON subscribers (unsubscribed_at) WHERE unsubscribed_at IS NOT NULL;
CREATE INDEX ix_subscribers_bounced_at ON subscribers (bounced_at) WHERE bounced_at IS NOT NULL;
-- The retention sweep finds old IPs by these times.
CREATE INDEX ix_subscribers_subscribed_at ON subscribers (subscribed_at) WHERE subscribe_ip IS NOT NULL;
CREATE INDEX ix_consent_events_at ON consent_events (at) WHERE ip IS NOT NULL;

CREATE TRIGGER subscribers_search_insert AFTER INSERT ON subscribers BEGIN
    INSERT INTO subscribers_search (rowid, email) VALUES (new.id, new.email);
END;
CREATE TRIGGER subscribers_search_delete AFTER DELETE ON subscribers BEGIN
    INSERT INTO subscribers_search (subscribers_search, rowid, email) VALUES ('delete', old.id, old.email);
END;
CREATE TRIGGER subscribers_search_update AFTER UPDATE OF email ON subscribers BEGIN
    INSERT INTO subscribers_search (subscribers_search, rowid, email) VALUES ('delete', old.id, old.email);
    INSERT INTO subscribers_search (rowid, email) VALUES (new.id, new.email);
END;

-- The suppression list: for each erased address only HMAC-SHA256(signing key, lower-cased address)
-- in hex, so an import never brings the person back and nobody can read the address from it.
CREATE TABLE suppressions (
    address_hash TEXT PRIMARY KEY,
    erased_at    TEXT NOT NULL
) WITHOUT ROWID;
