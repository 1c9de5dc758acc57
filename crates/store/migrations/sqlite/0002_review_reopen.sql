-- Reopening an approved annual report (撤销批准、重新打开) is a review step of its own:
-- the `reviews.action` CHECK gains 'reopen'. SQLite cannot change a CHECK in place, so the
-- table is rebuilt (same columns, same rows, same append-only triggers).
-- ../postgres/0002_review_reopen.sql makes the same change on PostgreSQL.

CREATE TABLE reviews_new (
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('reply', 'annual_report')),
    subject_id   TEXT NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    action       TEXT NOT NULL CHECK (action IN ('submit', 'review', 'approve', 'send_back', 'reopen')),
    actor        TEXT NOT NULL REFERENCES users (name),
    actor_role   TEXT NOT NULL,
    at           TEXT NOT NULL,
    note         TEXT,
    snapshot     TEXT NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, seq)
);
INSERT INTO reviews_new (subject_kind, subject_id, seq, action, actor, actor_role, at, note, snapshot)
    SELECT subject_kind, subject_id, seq, action, actor, actor_role, at, note, snapshot FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_new RENAME TO reviews;
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'review steps are append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'review steps are append-only'); END;
