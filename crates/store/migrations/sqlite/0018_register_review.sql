-- 三审, 保密审查 and 错敏排查 of the publication register's items (issue 16 §2).
-- ../postgres/0018_register_review.sql makes the same change on PostgreSQL (same columns).
--
-- An item's review steps are rows of `reviews` (subject_kind 'item', subject_id the item's
-- id), as for replies: each submission binds the item's content hash, and a change after
-- it makes the review 需重新审核. SQLite cannot change the subject CHECK in place, so the
-- table is rebuilt (same columns, same rows, same append-only and supervision triggers).
--
-- `register_secrecy` keeps the 保密审查 of each item: the 初审 reviewer's checklist and
-- conclusion ('review', bound to the content hash it judged) and, for an item referred to
-- the 保密行政管理部门 (art. 17), the authority's determination ('determination').
-- `register_lint_overrides` keeps a reviewer's override of an error-severity 错敏排查
-- finding, with its written reason, bound to the content hash it was made on. Both are
-- append-only.

CREATE TABLE reviews_new (
    agency_id    INTEGER NOT NULL REFERENCES agencies (id),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('reply', 'annual_report', 'item')),
    subject_id   TEXT NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    action       TEXT NOT NULL CHECK (action IN ('submit', 'review', 'approve', 'send_back', 'reopen')),
    actor        TEXT NOT NULL REFERENCES users (name),
    actor_role   TEXT NOT NULL,
    at           TEXT NOT NULL,
    note         TEXT,
    snapshot     TEXT NOT NULL,
    PRIMARY KEY (agency_id, subject_kind, subject_id, seq)
);
INSERT INTO reviews_new
SELECT agency_id, subject_kind, subject_id, seq, action, actor, actor_role, at, note, snapshot
FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_new RENAME TO reviews;
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'review steps are append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'review steps are append-only'); END;
CREATE TRIGGER reviews_insert_supervision AFTER INSERT ON reviews
BEGIN
    INSERT INTO supervision_versions (agency_id, version)
    SELECT NEW.agency_id, 0 WHERE NOT EXISTS
        (SELECT 1 FROM supervision_versions WHERE agency_id = NEW.agency_id);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TABLE register_secrecy (
    agency_id    INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    kind         TEXT NOT NULL CHECK (kind IN ('review', 'determination')),
    content_hash TEXT NOT NULL,
    conclusion   TEXT NOT NULL CHECK (conclusion IN ('publishable', 'secret', 'referred')),
    data         TEXT NOT NULL,
    actor        TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);

CREATE TABLE register_lint_overrides (
    agency_id    INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    content_hash TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    finding      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);

CREATE TRIGGER register_secrecy_no_update BEFORE UPDATE ON register_secrecy
BEGIN SELECT RAISE(ABORT, 'secrecy reviews are append-only'); END;
CREATE TRIGGER register_secrecy_no_delete BEFORE DELETE ON register_secrecy
BEGIN SELECT RAISE(ABORT, 'secrecy reviews are append-only'); END;
CREATE TRIGGER register_lint_overrides_no_update BEFORE UPDATE ON register_lint_overrides
BEGIN SELECT RAISE(ABORT, 'lint overrides are append-only'); END;
CREATE TRIGGER register_lint_overrides_no_delete BEFORE DELETE ON register_lint_overrides
BEGIN SELECT RAISE(ABORT, 'lint overrides are append-only'); END;
