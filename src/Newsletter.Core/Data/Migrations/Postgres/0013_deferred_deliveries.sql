-- A reader whose server deferred the digest (451: greylisting, a full mailbox) waits, pending, for
-- a later try at due_at; deferrals counts those waits, so that the waits grow and end.
ALTER TABLE deliveries ADD COLUMN deferrals integer NOT NULL DEFAULT 0;
