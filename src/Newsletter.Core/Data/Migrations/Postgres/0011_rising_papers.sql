-- A daily digest's rising papers, after its own pool (see Sqlite/0011).
ALTER TABLE digest_papers ADD COLUMN rising BIGINT NOT NULL DEFAULT 0 CHECK (rising IN (0, 1));
