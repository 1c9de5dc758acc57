-- The ledger's tables on SQLite. ../postgres/0001_ledger.sql creates the same tables on
-- PostgreSQL; the two must stay column for column alike (the store runs one set of queries
-- on both). Dates are TEXT `YYYY-MM-DD`, times TEXT in UTC, JSON TEXT.

-- Settings of the office: `agency`, `settings` (gongkai_ledger::Settings as JSON).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- 信息员 clerk, 办公室主任 office_head, 分管领导 leader, 管理员 admin; argon2id PHC hashes.
CREATE TABLE users (
    name          TEXT PRIMARY KEY NOT NULL,
    display_name  TEXT,
    role          TEXT NOT NULL CHECK (role IN ('clerk', 'office_head', 'leader', 'admin')),
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TEXT NOT NULL
);

-- Login sessions of the web service. `id` is the SHA-256 (hex) of the token the client
-- holds, so the table alone does not let anyone in.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY NOT NULL,
    user_name  TEXT NOT NULL REFERENCES users (name),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_name);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- An application without its log: `data` is gongkai_ledger::Application with no events.
CREATE TABLE applications (
    id             TEXT PRIMARY KEY NOT NULL,
    applicant_kind TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_key  TEXT NOT NULL,
    data           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL
);
CREATE INDEX applications_by_applicant ON applications (applicant_key);

-- The append-only log: `data` is the whole gongkai_ledger::Event; the other columns copy
-- parts of it for queries.
CREATE TABLE events (
    application_id TEXT NOT NULL REFERENCES applications (id),
    seq            INTEGER NOT NULL CHECK (seq > 0),
    event_type     TEXT NOT NULL,
    event_date     TEXT NOT NULL,
    decision       TEXT,
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT,
    data           TEXT NOT NULL,
    PRIMARY KEY (application_id, seq)
);
CREATE INDEX events_by_date ON events (event_date);
CREATE INDEX events_by_type ON events (event_type, event_date);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Reconsideration and litigation cases (section 四): `data` is gongkai_ledger::AppealCase.
CREATE TABLE appeals (
    id             TEXT PRIMARY KEY NOT NULL,
    application_id TEXT REFERENCES applications (id),
    kind           TEXT NOT NULL,
    filed_on       TEXT NOT NULL,
    decided_on     TEXT,
    data           TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT,
    updated_at     TEXT NOT NULL
);
CREATE INDEX appeals_by_application ON appeals (application_id);

-- Section 二 records: `data` is gongkai_ledger::ProactiveRecord.
CREATE TABLE proactive_records (
    id          TEXT PRIMARY KEY NOT NULL,
    record_type TEXT NOT NULL,
    data        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT,
    updated_at  TEXT NOT NULL
);

-- Three-level review, one row per step (append-only): a reply (subject_id = application id)
-- or an annual report (subject_id = year).
CREATE TABLE reviews (
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('reply', 'annual_report')),
    subject_id   TEXT NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    action       TEXT NOT NULL CHECK (action IN ('submit', 'review', 'approve', 'send_back')),
    actor        TEXT NOT NULL REFERENCES users (name),
    actor_role   TEXT NOT NULL,
    at           TEXT NOT NULL,
    note         TEXT,
    snapshot     TEXT NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, seq)
);
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'review steps are append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'review steps are append-only'); END;

-- Editable reply letter templates (答复告知书), keyed by decision row key or letter kind.
CREATE TABLE letter_templates (
    key        TEXT PRIMARY KEY NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- Who changed what when: one row per change, written in the change's transaction.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    detail       TEXT NOT NULL
);
CREATE INDEX audit_by_subject ON audit_log (subject_kind, subject_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
