-- The platform (issue 18 §1): agencies as a tree, every record keyed by its agency.
-- ../postgres/0013_agencies.sql makes the same change on PostgreSQL (same columns).
--
-- An existing single-office database becomes a one-agency platform: agency 1 takes the
-- office's name and settings, every row goes to agency 1, the users' roles become roles
-- in agency 1. The record tables' keys start with `agency_id` (the distribution column,
-- should the tables ever be spread by agency, e.g. on Citus). SQLite cannot change a key
-- in place: the tables are renamed, made anew, filled and the old ones dropped (children
-- first), then their indexes and append-only triggers are made again.

PRAGMA defer_foreign_keys = ON;

-- 省 province, 市 city, 县区 county, 乡镇街道 township, 部门 department.
CREATE TABLE agencies (
    id         INTEGER PRIMARY KEY NOT NULL,
    parent_id  INTEGER REFERENCES agencies (id),
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('province', 'city', 'county', 'township', 'department')),
    created_at TEXT NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX agencies_by_parent ON agencies (parent_id);
INSERT INTO agencies (id, parent_id, code, name, kind, created_at)
VALUES (1, NULL, 'local-1', COALESCE((SELECT value FROM meta WHERE key = 'agency'), ''),
        'department',
        COALESCE((SELECT MIN(created_at) FROM users), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));

-- Settings of each agency (`settings`, `office`, `opening`, `import_mapping:*`): what
-- `meta` held for the one office. `meta` keeps what belongs to the installation (the CSRF
-- secret, the set-up code).
CREATE TABLE agency_settings (
    agency_id INTEGER NOT NULL REFERENCES agencies (id),
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (agency_id, key)
);
INSERT INTO agency_settings (agency_id, key, value)
SELECT 1, key, value FROM meta
WHERE key IN ('settings', 'office', 'opening') OR key LIKE 'import_mapping:%';
DELETE FROM meta WHERE key IN ('agency', 'settings', 'office', 'opening')
    OR key LIKE 'import_mapping:%';

-- Roles per agency: clerk, office_head, leader, admin (the ledger's roles, in that agency)
-- and supervisor (read access to the node's subtree). `users.role` stays the person's
-- preferred primary role; what a user may do in an agency is what this table says.
CREATE TABLE agency_roles (
    agency_id INTEGER NOT NULL REFERENCES agencies (id),
    user_name TEXT NOT NULL REFERENCES users (name),
    role      TEXT NOT NULL
        CHECK (role IN ('clerk', 'office_head', 'leader', 'admin', 'supervisor')),
    PRIMARY KEY (agency_id, user_name, role)
);
CREATE INDEX agency_roles_by_user ON agency_roles (user_name);
INSERT INTO agency_roles (agency_id, user_name, role) SELECT 1, name, role FROM users;
INSERT OR IGNORE INTO agency_roles (agency_id, user_name, role)
SELECT 1, u.name, r.role FROM users u
JOIN (SELECT 'clerk' AS role UNION ALL SELECT 'office_head' UNION ALL SELECT 'leader'
      UNION ALL SELECT 'admin') r
  ON (' ' || u.other_roles || ' ') LIKE ('% ' || r.role || ' %');

-- Sessions and API tokens remember the agency they work in (NULL: the user's first).
ALTER TABLE sessions ADD COLUMN agency_id INTEGER REFERENCES agencies (id);
ALTER TABLE api_tokens ADD COLUMN agency_id INTEGER REFERENCES agencies (id);

-- The audit log keeps its own key (SQLite's AUTOINCREMENT needs a one-column key) and is
-- indexed by agency; the checker's uploads are the public checker's (agency 1 by default).
ALTER TABLE audit_log ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
CREATE INDEX audit_by_agency ON audit_log (agency_id, id);
ALTER TABLE check_uploads ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE check_corrections ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;

-- The record tables, rebuilt with agency_id first in their keys.
ALTER TABLE events RENAME TO events_0012;
ALTER TABLE appeals RENAME TO appeals_0012;
ALTER TABLE applications RENAME TO applications_0012;
ALTER TABLE proactive_records RENAME TO proactive_records_0012;
ALTER TABLE reviews RENAME TO reviews_0012;
ALTER TABLE year_end_narratives RENAME TO year_end_narratives_0012;
ALTER TABLE letter_templates RENAME TO letter_templates_0012;
ALTER TABLE letter_template_versions RENAME TO letter_template_versions_0012;
ALTER TABLE import_keys RENAME TO import_keys_0012;
ALTER TABLE export_column_sets RENAME TO export_column_sets_0012;

CREATE TABLE applications (
    agency_id      INTEGER NOT NULL REFERENCES agencies (id),
    id             TEXT NOT NULL,
    applicant_kind TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_key  TEXT NOT NULL,
    data           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    PRIMARY KEY (agency_id, id)
);
INSERT INTO applications
SELECT 1, id, applicant_kind, applicant_name, applicant_key, data, created_at, created_by
FROM applications_0012;

CREATE TABLE events (
    agency_id      INTEGER NOT NULL,
    application_id TEXT NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq > 0),
    event_type     TEXT NOT NULL,
    event_date     TEXT NOT NULL,
    decision       TEXT,
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT,
    data           TEXT NOT NULL,
    PRIMARY KEY (agency_id, application_id, seq),
    FOREIGN KEY (agency_id, application_id) REFERENCES applications (agency_id, id)
);
INSERT INTO events
SELECT 1, application_id, seq, event_type, event_date, decision, recorded_at, recorded_by, data
FROM events_0012;

CREATE TABLE appeals (
    agency_id      INTEGER NOT NULL REFERENCES agencies (id),
    id             TEXT NOT NULL,
    application_id TEXT,
    kind           TEXT NOT NULL,
    filed_on       TEXT NOT NULL,
    decided_on     TEXT,
    data           TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (agency_id, id),
    FOREIGN KEY (agency_id, application_id) REFERENCES applications (agency_id, id)
);
INSERT INTO appeals
SELECT 1, id, application_id, kind, filed_on, decided_on, data, recorded_at, recorded_by,
       updated_at
FROM appeals_0012;

CREATE TABLE proactive_records (
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    id          TEXT NOT NULL,
    record_type TEXT NOT NULL,
    data        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (agency_id, id)
);
INSERT INTO proactive_records
SELECT 1, id, record_type, data, recorded_at, recorded_by, updated_at FROM proactive_records_0012;

CREATE TABLE reviews (
    agency_id    INTEGER NOT NULL REFERENCES agencies (id),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('reply', 'annual_report')),
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
INSERT INTO reviews
SELECT 1, subject_kind, subject_id, seq, action, actor, actor_role, at, note, snapshot
FROM reviews_0012;

CREATE TABLE year_end_narratives (
    agency_id INTEGER NOT NULL REFERENCES agencies (id),
    year      INTEGER NOT NULL CHECK (year BETWEEN 2008 AND 9999),
    version   INTEGER NOT NULL CHECK (version > 0),
    sections  TEXT NOT NULL,
    signed_by TEXT,
    signed_on TEXT,
    note      TEXT,
    saved_at  TEXT NOT NULL,
    saved_by  TEXT NOT NULL REFERENCES users (name),
    PRIMARY KEY (agency_id, year, version)
);
INSERT INTO year_end_narratives
SELECT 1, year, version, sections, signed_by, signed_on, note, saved_at, saved_by
FROM year_end_narratives_0012;

CREATE TABLE letter_templates (
    agency_id  INTEGER NOT NULL REFERENCES agencies (id),
    key        TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (agency_id, key)
);
INSERT INTO letter_templates
SELECT 1, key, title, body, updated_at, updated_by FROM letter_templates_0012;

CREATE TABLE letter_template_versions (
    agency_id     INTEGER NOT NULL REFERENCES agencies (id),
    key           TEXT NOT NULL,
    version       INTEGER NOT NULL CHECK (version > 0),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    origin        TEXT NOT NULL CHECK (origin IN ('edit', 'restore', 'default')),
    restored_from INTEGER,
    note          TEXT,
    saved_at      TEXT NOT NULL,
    saved_by      TEXT NOT NULL,
    PRIMARY KEY (agency_id, key, version)
);
INSERT INTO letter_template_versions
SELECT 1, key, version, title, body, origin, restored_from, note, saved_at, saved_by
FROM letter_template_versions_0012;

CREATE TABLE import_keys (
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    key         TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('application', 'document')),
    target_id   TEXT NOT NULL,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    PRIMARY KEY (agency_id, key)
);
INSERT INTO import_keys
SELECT 1, key, kind, target_id, source, imported_at, imported_by FROM import_keys_0012;

CREATE TABLE export_column_sets (
    agency_id INTEGER NOT NULL REFERENCES agencies (id),
    name      TEXT NOT NULL,
    columns   TEXT NOT NULL,
    saved_at  TEXT NOT NULL,
    saved_by  TEXT NOT NULL,
    PRIMARY KEY (agency_id, name)
);
INSERT INTO export_column_sets
SELECT 1, name, columns, saved_at, saved_by FROM export_column_sets_0012;

-- Children first; dropping a table fires no trigger.
DROP TABLE events_0012;
DROP TABLE appeals_0012;
DROP TABLE applications_0012;
DROP TABLE proactive_records_0012;
DROP TABLE reviews_0012;
DROP TABLE year_end_narratives_0012;
DROP TABLE letter_templates_0012;
DROP TABLE letter_template_versions_0012;
DROP TABLE import_keys_0012;
DROP TABLE export_column_sets_0012;

CREATE INDEX applications_by_applicant ON applications (agency_id, applicant_key);
CREATE INDEX events_by_date ON events (agency_id, event_date);
CREATE INDEX events_by_type ON events (agency_id, event_type, event_date);
CREATE INDEX appeals_by_application ON appeals (agency_id, application_id);
CREATE INDEX import_keys_by_target ON import_keys (agency_id, kind, target_id);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'review steps are append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'review steps are append-only'); END;
CREATE TRIGGER year_end_narratives_no_update BEFORE UPDATE ON year_end_narratives
BEGIN SELECT RAISE(ABORT, 'narrative versions are append-only'); END;
CREATE TRIGGER year_end_narratives_no_delete BEFORE DELETE ON year_end_narratives
BEGIN SELECT RAISE(ABORT, 'narrative versions are append-only'); END;
CREATE TRIGGER letter_template_versions_no_update BEFORE UPDATE ON letter_template_versions
BEGIN SELECT RAISE(ABORT, 'letter template versions are append-only'); END;
CREATE TRIGGER letter_template_versions_no_delete BEFORE DELETE ON letter_template_versions
BEGIN SELECT RAISE(ABORT, 'letter template versions are append-only'); END;
CREATE TRIGGER import_keys_no_update BEFORE UPDATE ON import_keys
BEGIN SELECT RAISE(ABORT, 'import keys are append-only'); END;
CREATE TRIGGER import_keys_no_delete BEFORE DELETE ON import_keys
BEGIN SELECT RAISE(ABORT, 'import keys are append-only'); END;
