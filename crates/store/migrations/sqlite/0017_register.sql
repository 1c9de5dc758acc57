-- The publication register (主动公开登记, issue 16 §1): items of government information
-- from draft to the channels they are published on. ../postgres/0017_register.sql makes the
-- same tables on PostgreSQL (same columns). Every row belongs to an agency (`agency_id` first
-- in the keys; PostgreSQL adds row-level security as for the record tables of 0013).
--
-- `register_items` holds each item's current state: the catalogue fields of its current
-- version (for lists, filters and the catalogue), the art. 26 clock (`clock_from`, the
-- deadline `due_on` counted on the working-day calendar when written, the first
-- publication), the art. 18 re-assessment date of a withheld item, and the stage. The
-- content of every version is kept in `register_versions` (a correction is a new version
-- with its reason; the old one stays), the publications per channel in
-- `register_publications`, the item's timeline in `register_events`, the attachments
-- (bytes, size, SHA-256) in `register_attachments`; these four are append-only.
-- `register_serials` numbers the 索引号 per agency and year (year 0: a serial that runs
-- across years, for a template without {year} or {date}).

CREATE TABLE register_items (
    agency_id          INTEGER NOT NULL REFERENCES agencies (id),
    id                 INTEGER NOT NULL CHECK (id > 0),
    index_number       TEXT NOT NULL,
    version            INTEGER NOT NULL CHECK (version > 0),
    stage              TEXT NOT NULL
        CHECK (stage IN ('draft', 'in_review', 'approved', 'published', 'withdrawn')),
    title              TEXT NOT NULL,
    organ              TEXT NOT NULL,
    formed_on          TEXT NOT NULL,
    year               INTEGER NOT NULL,
    number             TEXT,
    topic              TEXT NOT NULL,
    genre              TEXT NOT NULL,
    summary            TEXT NOT NULL,
    disclosure         TEXT NOT NULL CHECK (disclosure IN ('proactive', 'on_request', 'withheld')),
    withhold_basis     TEXT,
    doc_kind           TEXT,
    validity           TEXT,
    valid_until        TEXT,
    outlets            TEXT NOT NULL,
    clock_from         TEXT,
    due_on             TEXT,
    first_published_on TEXT,
    published_version  INTEGER,
    reassess_on        TEXT,
    withdrawn_at       TEXT,
    created_at         TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    PRIMARY KEY (agency_id, id)
);
CREATE UNIQUE INDEX register_items_by_index_number ON register_items (agency_id, index_number);
CREATE INDEX register_items_by_formed ON register_items (agency_id, formed_on, id);
CREATE INDEX register_items_by_stage ON register_items (agency_id, stage, formed_on);
CREATE INDEX register_items_by_due ON register_items (agency_id, due_on)
    WHERE first_published_on IS NULL AND due_on IS NOT NULL;
CREATE INDEX register_items_by_reassess ON register_items (agency_id, reassess_on)
    WHERE reassess_on IS NOT NULL;

CREATE TABLE register_versions (
    agency_id    INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    version      INTEGER NOT NULL CHECK (version > 0),
    kind         TEXT NOT NULL CHECK (kind IN ('created', 'edited', 'corrected', 'reassessed')),
    data         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    reason       TEXT,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, version),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);

CREATE TABLE register_publications (
    agency_id    INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    version      INTEGER NOT NULL CHECK (version > 0),
    outlet       TEXT NOT NULL CHECK (outlet IN ('website', 'new_media', 'gazette', 'notice_board',
                     'press_conference', 'media', 'other')),
    account      TEXT NOT NULL,
    published_on TEXT NOT NULL,
    url          TEXT,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);
CREATE INDEX register_publications_by_date ON register_publications (agency_id, published_on);

CREATE TABLE register_events (
    agency_id INTEGER NOT NULL,
    item_id   INTEGER NOT NULL,
    seq       INTEGER NOT NULL CHECK (seq > 0),
    kind      TEXT NOT NULL,
    version   INTEGER NOT NULL CHECK (version > 0),
    reason    TEXT,
    detail    TEXT NOT NULL,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);
CREATE INDEX register_events_by_kind ON register_events (agency_id, kind, at);

CREATE TABLE register_attachments (
    agency_id  INTEGER NOT NULL,
    item_id    INTEGER NOT NULL,
    seq        INTEGER NOT NULL CHECK (seq > 0),
    version    INTEGER NOT NULL CHECK (version > 0),
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size >= 0),
    sha256     TEXT NOT NULL,
    content    BLOB NOT NULL,
    added_at   TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);

CREATE TABLE register_serials (
    agency_id INTEGER NOT NULL REFERENCES agencies (id),
    year      INTEGER NOT NULL CHECK (year >= 0),
    last      INTEGER NOT NULL CHECK (last >= 0),
    PRIMARY KEY (agency_id, year)
);

CREATE TRIGGER register_versions_no_update BEFORE UPDATE ON register_versions
BEGIN SELECT RAISE(ABORT, 'register versions are append-only'); END;
CREATE TRIGGER register_versions_no_delete BEFORE DELETE ON register_versions
BEGIN SELECT RAISE(ABORT, 'register versions are append-only'); END;
CREATE TRIGGER register_publications_no_update BEFORE UPDATE ON register_publications
BEGIN SELECT RAISE(ABORT, 'register publications are append-only'); END;
CREATE TRIGGER register_publications_no_delete BEFORE DELETE ON register_publications
BEGIN SELECT RAISE(ABORT, 'register publications are append-only'); END;
CREATE TRIGGER register_events_no_update BEFORE UPDATE ON register_events
BEGIN SELECT RAISE(ABORT, 'register events are append-only'); END;
CREATE TRIGGER register_events_no_delete BEFORE DELETE ON register_events
BEGIN SELECT RAISE(ABORT, 'register events are append-only'); END;
CREATE TRIGGER register_attachments_no_update BEFORE UPDATE ON register_attachments
BEGIN SELECT RAISE(ABORT, 'register attachments are append-only'); END;
CREATE TRIGGER register_attachments_no_delete BEFORE DELETE ON register_attachments
BEGIN SELECT RAISE(ABORT, 'register attachments are append-only'); END;
