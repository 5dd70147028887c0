-- The SQLite twin turns on FTS5's secure-delete for the address search. PostgreSQL's pg_trgm index
-- lives on the table itself: an erased row's entries go with its row version (see README, Your data).
SELECT 1;
