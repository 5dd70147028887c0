-- Each reader shapes their own digest (see Sqlite/0005). PostgreSQL drops a UNIQUE in place, so
-- digests is altered, not rebuilt.
ALTER TABLE subscribers ADD COLUMN frequency TEXT NOT NULL DEFAULT 'daily' CHECK (frequency IN ('daily', 'weekly'));
ALTER TABLE subscribers ADD COLUMN weekday TEXT NOT NULL DEFAULT 'monday'
    CHECK (weekday IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'));
ALTER TABLE subscribers ADD COLUMN max_papers BIGINT CHECK (max_papers BETWEEN 1 AND 30);
ALTER TABLE subscribers ADD COLUMN muted_topics TEXT;
ALTER TABLE subscribers ADD COLUMN require_code BIGINT NOT NULL DEFAULT 0 CHECK (require_code IN (0, 1));
ALTER TABLE subscribers ADD COLUMN send_hour BIGINT CHECK (send_hour BETWEEN 0 AND 23);
ALTER TABLE subscribers ADD COLUMN time_zone TEXT;
CREATE INDEX ix_subscribers_audience ON subscribers (status, frequency, weekday);

CREATE TABLE votes (
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id),
    paper_id      TEXT COLLATE "C" NOT NULL REFERENCES papers (id),
    vote          BIGINT NOT NULL CHECK (vote IN (-1, 1)),
    at            TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (subscriber_id, paper_id)
);
CREATE INDEX ix_votes_paper ON votes (paper_id);

ALTER TABLE papers ADD COLUMN ai_keywords TEXT;

ALTER TABLE digests ADD COLUMN edition TEXT NOT NULL DEFAULT 'daily' CHECK (edition IN ('daily', 'weekly'));
ALTER TABLE digests DROP CONSTRAINT digests_date_key;
ALTER TABLE digests ADD CONSTRAINT digests_date_edition_key UNIQUE (date, edition);

DROP INDEX ix_digest_papers_paper;
CREATE INDEX ix_digest_papers_paper ON digest_papers (paper_id);

ALTER TABLE deliveries ADD COLUMN due_at TEXT COLLATE "C";
ALTER TABLE deliveries ADD COLUMN papers TEXT;
CREATE INDEX ix_deliveries_waiting ON deliveries (due_at) WHERE status = 'pending' AND due_at IS NOT NULL;
CREATE INDEX ix_deliveries_subscriber ON deliveries (subscriber_id, digest_id);
