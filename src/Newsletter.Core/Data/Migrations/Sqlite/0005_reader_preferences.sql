-- migrate: foreign-keys-off
-- Each reader shapes their own digest: how often, how many papers, which topics, when it arrives.
-- NULL means "the service's default" (Digest:MaxPapers; Digest:Cron for the hour).
ALTER TABLE subscribers ADD COLUMN frequency TEXT NOT NULL DEFAULT 'daily' CHECK (frequency IN ('daily', 'weekly'));
ALTER TABLE subscribers ADD COLUMN weekday TEXT NOT NULL DEFAULT 'monday'
    CHECK (weekday IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'));
ALTER TABLE subscribers ADD COLUMN max_papers INTEGER CHECK (max_papers BETWEEN 1 AND 30);
-- topics (from 0001) and muted_topics: JSON arrays of words or phrases.
ALTER TABLE subscribers ADD COLUMN muted_topics TEXT;
ALTER TABLE subscribers ADD COLUMN require_code INTEGER NOT NULL DEFAULT 0 CHECK (require_code IN (0, 1));
ALTER TABLE subscribers ADD COLUMN send_hour INTEGER CHECK (send_hour BETWEEN 0 AND 23);
ALTER TABLE subscribers ADD COLUMN time_zone TEXT;
CREATE INDEX ix_subscribers_audience ON subscribers (status, frequency, weekday);

-- "More like this" / "Less like this" from the mail: one vote per reader and paper, the last one counts.
CREATE TABLE votes (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
    paper_id      TEXT NOT NULL REFERENCES papers (id),
    vote          INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    at            TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, paper_id)
) WITHOUT ROWID;
CREATE INDEX ix_votes_paper ON votes (paper_id);

-- The API's keywords of a paper (JSON array), used for topics and for ranking.
ALTER TABLE papers ADD COLUMN ai_keywords TEXT;

-- One digest per date and edition (daily, weekly): the date alone is no longer unique, so the
-- table is rebuilt (SQLite cannot drop a column's UNIQUE), keeping every id.
CREATE TABLE digests_new (
    id             INTEGER PRIMARY KEY,
    date           TEXT NOT NULL,
    edition        TEXT NOT NULL DEFAULT 'daily' CHECK (edition IN ('daily', 'weekly')),
    status         TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    subject        TEXT NOT NULL,
    html_body      TEXT NOT NULL,   -- every paper of the pool rendered once, cut at the slot marker per reader
    text_body      TEXT NOT NULL,
    archive_html   TEXT NOT NULL,   -- the web view: no personal links
    created_at     TEXT NOT NULL,
    started_at     TEXT,
    finished_at    TEXT,
    failure_reason TEXT,
    slot_marker    TEXT NOT NULL,
    UNIQUE (date, edition)
);
INSERT INTO digests_new (id, date, edition, status, subject, html_body, text_body, archive_html, created_at,
                         started_at, finished_at, failure_reason, slot_marker)
SELECT id, date, 'daily', status, subject, html_body, text_body, archive_html, created_at,
       started_at, finished_at, failure_reason, slot_marker FROM digests;
DROP TABLE digests;
ALTER TABLE digests_new RENAME TO digests;

-- digest_papers now holds a digest's pool (what its readers choose from), in upvote order; the
-- same paper can be in a daily and a weekly pool. Who got which paper is in deliveries.papers.
DROP INDEX ix_digest_papers_paper;
CREATE INDEX ix_digest_papers_paper ON digest_papers (paper_id);

-- A reader with their own hour gets the mail from due_at on (NULL: at once). papers: the pool
-- positions this reader was sent ("1,4,9"), so a paper reaches a reader at most once.
ALTER TABLE deliveries ADD COLUMN due_at TEXT;
ALTER TABLE deliveries ADD COLUMN papers TEXT;
CREATE INDEX ix_deliveries_waiting ON deliveries (due_at) WHERE status = 'pending' AND due_at IS NOT NULL;
CREATE INDEX ix_deliveries_subscriber ON deliveries (subscriber_id, digest_id);
