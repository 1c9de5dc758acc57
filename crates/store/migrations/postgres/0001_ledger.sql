-- The ledger's tables on PostgreSQL. ../sqlite/0001_ledger.sql creates the same tables on
-- SQLite; the two must stay column for column alike (the store runs one set of queries on
-- both). Integers are BIGINT (the store reads i64), JSON is JSONB.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    display_name  TEXT,
    role          TEXT NOT NULL CHECK (role IN ('clerk', 'office_head', 'leader', 'admin')),
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_name);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE applications (
    id             TEXT PRIMARY KEY,
    applicant_kind TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_key  TEXT NOT NULL,
    data           JSONB NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT NOT NULL
);
CREATE INDEX applications_by_applicant ON applications (applicant_key);

CREATE TABLE events (
    application_id TEXT NOT NULL REFERENCES applications (id),
    seq            BIGINT NOT NULL CHECK (seq > 0),
    event_type     TEXT NOT NULL,
    event_date     DATE NOT NULL,
    decision       TEXT,
    recorded_at    TIMESTAMPTZ NOT NULL,
    recorded_by    TEXT,
    data           JSONB NOT NULL,
    PRIMARY KEY (application_id, seq)
);
CREATE INDEX events_by_date ON events (event_date);
CREATE INDEX events_by_type ON events (event_type, event_date);

CREATE TABLE appeals (
    id             TEXT PRIMARY KEY,
    application_id TEXT REFERENCES applications (id),
    kind           TEXT NOT NULL,
    filed_on       DATE NOT NULL,
    decided_on     DATE,
    data           JSONB NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL,
    recorded_by    TEXT,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX appeals_by_application ON appeals (application_id);

CREATE TABLE proactive_records (
    id          TEXT PRIMARY KEY,
    record_type TEXT NOT NULL,
    data        JSONB NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by TEXT,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE reviews (
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('reply', 'annual_report')),
    subject_id   TEXT NOT NULL,
    seq          BIGINT NOT NULL CHECK (seq > 0),
    action       TEXT NOT NULL CHECK (action IN ('submit', 'review', 'approve', 'send_back')),
    actor        TEXT NOT NULL REFERENCES users (name),
    actor_role   TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    note         TEXT,
    snapshot     JSONB NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, seq)
);

CREATE TABLE letter_templates (
    key        TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    detail       JSONB NOT NULL
);
CREATE INDEX audit_by_subject ON audit_log (subject_kind, subject_id);

-- Append-only tables refuse UPDATE and DELETE.
CREATE FUNCTION gongkai_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
CREATE TRIGGER reviews_append_only BEFORE UPDATE OR DELETE ON reviews
    FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
