-- Replies to digests that were applied, and the last answer per reader (see Sqlite/0010).
CREATE TABLE replies (
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    reply_id      TEXT COLLATE "C" NOT NULL,
    received_at   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (subscriber_id, reply_id)
);

CREATE TABLE reply_answers (
    subscriber_id BIGINT PRIMARY KEY REFERENCES subscribers (id) ON DELETE CASCADE,
    answered_at   TEXT COLLATE "C" NOT NULL
);
