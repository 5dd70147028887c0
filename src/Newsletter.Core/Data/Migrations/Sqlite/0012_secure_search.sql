-- An erased address must not stay readable in the address search: FTS5 keeps a deleted row's
-- trigrams beside a delete marker until its segments merge, unless secure-delete is on, which
-- removes them from the index at once (SQLite 3.42 and later).
INSERT INTO subscribers_search (subscribers_search, rank) VALUES ('secure-delete', 1);
