-- The marker of each digest's rendering (see Sqlite/0003).
ALTER TABLE digests ADD COLUMN slot_marker TEXT NOT NULL DEFAULT 'https://unsubscribe.invalid/__NEWSLETTER_UNSUBSCRIBE__';
