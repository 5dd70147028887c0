-- Papers as the Daily Papers API gives them, and the digests made from them with their send ledger.
CREATE TABLE papers (
    id                    TEXT PRIMARY KEY,          -- arXiv id without version
    title                 TEXT NOT NULL,
    summary               TEXT NOT NULL DEFAULT '',
    ai_summary            TEXT,
    authors               TEXT NOT NULL DEFAULT '',  -- names shown, comma separated
    author_count          INTEGER NOT NULL DEFAULT 0,
    organization          TEXT,                      -- full name of the organisation
    upvotes               INTEGER NOT NULL DEFAULT 0,
    num_comments          INTEGER NOT NULL DEFAULT 0,
    published_at          TEXT,
    submitted_on_daily_at TEXT,
    daily_date            TEXT,                      -- yyyy-MM-dd (UTC) of the Daily Papers list
    github_repo           TEXT,
    github_stars          INTEGER,
    project_page          TEXT,
    thumbnail             TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX ix_papers_daily_date ON papers (daily_date, upvotes DESC);

CREATE TABLE digests (
    id             INTEGER PRIMARY KEY,
    date           TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    subject        TEXT NOT NULL,
    html_body      TEXT NOT NULL,   -- rendered once, with a marker where each subscriber's link goes
    text_body      TEXT NOT NULL,
    archive_html   TEXT NOT NULL,   -- the web view: no personal links
    created_at     TEXT NOT NULL,
    started_at     TEXT,
    finished_at    TEXT,
    failure_reason TEXT
);

CREATE TABLE digest_papers (
    digest_id INTEGER NOT NULL REFERENCES digests (id),
    position  INTEGER NOT NULL,
    paper_id  TEXT NOT NULL REFERENCES papers (id),
    upvotes   INTEGER NOT NULL,
    PRIMARY KEY (digest_id, position)
);
CREATE UNIQUE INDEX ix_digest_papers_paper ON digest_papers (paper_id);

-- The send ledger: one row per recipient, fixed when the digest is assembled.
CREATE TABLE deliveries (
    digest_id     INTEGER NOT NULL REFERENCES digests (id),
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    -- A 5xx for this recipient: the subscriber is marked bounced when the digest completes.
    permanent     INTEGER NOT NULL DEFAULT 0,
    finished_at   TEXT,
    PRIMARY KEY (digest_id, subscriber_id)
) WITHOUT ROWID;
