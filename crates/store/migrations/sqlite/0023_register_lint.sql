-- 错敏排查 of the whole item, findings kept (issue 16 §2). ../postgres/0023_register_lint.sql
-- makes the same tables on PostgreSQL (same columns).
--
-- `register_attachment_texts`: the text of each attachment as extracted when it was
-- attached (DOCX, PDF, HTML, TXT, XLSX/CSV through the readers): `status` 'text' with the
-- text, or 'none' (未能提取文字: an unreadable or image-only file) with the reason in
-- `note`. One row per attachment; what the 错敏排查 reads and what search may index.
-- `register_attachment_removals`: an attachment taken off an item (with the reason); the
-- attachment's bytes stay in `register_attachments` (append-only), the item no longer
-- carries it. An item's attachments (name + SHA-256) are part of the content an approval
-- binds, so adding or removing one after approval sends the item back to review.
-- `register_lint_runs`: every 错敏排查 run of an item — at submission ('submit') and
-- before publication ('publish') — with the version and the content hash it ran on, the
-- counts by severity, the error findings overridden at the time, the findings (code,
-- severity, message, place, excerpt) and the attachments without text, as JSON.
-- `register_lint_codes`: each run's findings counted by code and severity (the
-- supervisor's “most frequent codes” as one grouped query). All append-only.

CREATE TABLE register_attachment_texts (
    agency_id    INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    status       TEXT NOT NULL CHECK (status IN ('text', 'none')),
    text         TEXT NOT NULL,
    chars        INTEGER NOT NULL CHECK (chars >= 0),
    note         TEXT,
    extracted_at TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id, seq) REFERENCES register_attachments (agency_id, item_id, seq)
);

CREATE TABLE register_attachment_removals (
    agency_id  INTEGER NOT NULL,
    item_id    INTEGER NOT NULL,
    seq        INTEGER NOT NULL CHECK (seq > 0),
    reason     TEXT NOT NULL,
    removed_at TEXT NOT NULL,
    removed_by TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id, seq) REFERENCES register_attachments (agency_id, item_id, seq)
);

CREATE TABLE register_lint_runs (
    agency_id    INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    version      INTEGER NOT NULL CHECK (version > 0),
    content_hash TEXT NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('submit', 'publish')),
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    errors       INTEGER NOT NULL CHECK (errors >= 0),
    warnings     INTEGER NOT NULL CHECK (warnings >= 0),
    overridden   INTEGER NOT NULL CHECK (overridden >= 0),
    findings     TEXT NOT NULL,
    unread       TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);

CREATE TABLE register_lint_codes (
    agency_id INTEGER NOT NULL,
    item_id   INTEGER NOT NULL,
    run_seq   INTEGER NOT NULL,
    code      TEXT NOT NULL,
    severity  TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    n         INTEGER NOT NULL CHECK (n > 0),
    PRIMARY KEY (agency_id, item_id, run_seq, code, severity),
    FOREIGN KEY (agency_id, item_id, run_seq) REFERENCES register_lint_runs (agency_id, item_id, seq)
);

CREATE TRIGGER register_attachment_texts_no_update BEFORE UPDATE ON register_attachment_texts
BEGIN SELECT RAISE(ABORT, 'attachment texts are append-only'); END;
CREATE TRIGGER register_attachment_texts_no_delete BEFORE DELETE ON register_attachment_texts
BEGIN SELECT RAISE(ABORT, 'attachment texts are append-only'); END;
CREATE TRIGGER register_attachment_removals_no_update BEFORE UPDATE ON register_attachment_removals
BEGIN SELECT RAISE(ABORT, 'attachment removals are append-only'); END;
CREATE TRIGGER register_attachment_removals_no_delete BEFORE DELETE ON register_attachment_removals
BEGIN SELECT RAISE(ABORT, 'attachment removals are append-only'); END;
CREATE TRIGGER register_lint_runs_no_update BEFORE UPDATE ON register_lint_runs
BEGIN SELECT RAISE(ABORT, 'lint runs are append-only'); END;
CREATE TRIGGER register_lint_runs_no_delete BEFORE DELETE ON register_lint_runs
BEGIN SELECT RAISE(ABORT, 'lint runs are append-only'); END;
CREATE TRIGGER register_lint_codes_no_update BEFORE UPDATE ON register_lint_codes
BEGIN SELECT RAISE(ABORT, 'lint codes are append-only'); END;
CREATE TRIGGER register_lint_codes_no_delete BEFORE DELETE ON register_lint_codes
BEGIN SELECT RAISE(ABORT, 'lint codes are append-only'); END;
