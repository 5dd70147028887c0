-- A daily digest's pool also holds its "rising" papers: papers of the previous days' lists whose
-- upvotes grew into those days' top after their digest was made. They follow the day's own papers
-- (higher positions), so deliveries.papers names them like any other paper of the digest and
-- "a paper reaches a reader at most once" covers them too. Their upvotes are the count when this
-- digest was made; a later digest measures growth only against a pool's own (rising = 0) rows.
ALTER TABLE digest_papers ADD COLUMN rising INTEGER NOT NULL DEFAULT 0 CHECK (rising IN (0, 1));
