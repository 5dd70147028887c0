-- The marker of each digest's rendering: random per digest, so paper data (fetched before it
-- existed) cannot hold it. Digests made earlier used one fixed text; they keep it as their marker.
ALTER TABLE digests ADD COLUMN slot_marker TEXT NOT NULL DEFAULT 'https://unsubscribe.invalid/__NEWSLETTER_UNSUBSCRIBE__';
