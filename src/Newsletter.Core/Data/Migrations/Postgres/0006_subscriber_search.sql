-- The console finds subscribers by any part of their address (see Sqlite/0006): here a trigram
-- index (pg_trgm, a trusted extension the database's owner may create) over the lower-cased
-- address in byte order, which a LIKE '%part%' on the same expression uses.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX ix_subscribers_search ON subscribers USING gin (lower(email COLLATE "C") gin_trgm_ops);

CREATE INDEX ix_subscribers_confirmed_at ON subscribers (confirmed_at) WHERE confirmed_at IS NOT NULL;
CREATE INDEX ix_subscribers_unsubscribed_at ON subscribers (unsubscribed_at) WHERE unsubscribed_at IS NOT NULL;
CREATE INDEX ix_subscribers_bounced_at ON subscribers (bounced_at) WHERE bounced_at IS NOT NULL;
