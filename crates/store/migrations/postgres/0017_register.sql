-- The publication register (主动公开登记, issue 16 §1): items of government information
-- from draft to the channels they are published on. ../sqlite/0017_register.sql makes the
-- same tables on SQLite (same columns). Every row belongs to an agency (`agency_id` first
-- in the keys, row-level security as the record tables of 0013).
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
    agency_id          BIGINT NOT NULL REFERENCES agencies (id),
    id                 BIGINT NOT NULL CHECK (id > 0),
    index_number       TEXT NOT NULL,
    version            BIGINT NOT NULL CHECK (version > 0),
    stage              TEXT NOT NULL
        CHECK (stage IN ('draft', 'in_review', 'approved', 'published', 'withdrawn')),
    title              TEXT NOT NULL,
    organ              TEXT NOT NULL,
    formed_on          DATE NOT NULL,
    year               INTEGER NOT NULL,
    number             TEXT,
    topic              TEXT NOT NULL,
    genre              TEXT NOT NULL,
    summary            TEXT NOT NULL,
    disclosure         TEXT NOT NULL CHECK (disclosure IN ('proactive', 'on_request', 'withheld')),
    withhold_basis     TEXT,
    doc_kind           TEXT,
    validity           TEXT,
    valid_until        DATE,
    outlets            TEXT NOT NULL,
    clock_from         DATE,
    due_on             DATE,
    first_published_on DATE,
    published_version  BIGINT,
    reassess_on        DATE,
    withdrawn_at       TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    created_by         TEXT NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
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
    agency_id    BIGINT NOT NULL,
    item_id      BIGINT NOT NULL,
    version      BIGINT NOT NULL CHECK (version > 0),
    kind         TEXT NOT NULL CHECK (kind IN ('created', 'edited', 'corrected', 'reassessed')),
    data         JSONB NOT NULL,
    content_hash TEXT NOT NULL,
    reason       TEXT,
    recorded_at  TIMESTAMPTZ NOT NULL,
    recorded_by  TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, version),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);

CREATE TABLE register_publications (
    agency_id    BIGINT NOT NULL,
    item_id      BIGINT NOT NULL,
    seq          BIGINT NOT NULL CHECK (seq > 0),
    version      BIGINT NOT NULL CHECK (version > 0),
    outlet       TEXT NOT NULL CHECK (outlet IN ('website', 'new_media', 'gazette', 'notice_board',
                     'press_conference', 'media', 'other')),
    account      TEXT NOT NULL,
    published_on DATE NOT NULL,
    url          TEXT,
    recorded_at  TIMESTAMPTZ NOT NULL,
    recorded_by  TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);
CREATE INDEX register_publications_by_date ON register_publications (agency_id, published_on);

CREATE TABLE register_events (
    agency_id BIGINT NOT NULL,
    item_id   BIGINT NOT NULL,
    seq       BIGINT NOT NULL CHECK (seq > 0),
    kind      TEXT NOT NULL,
    version   BIGINT NOT NULL CHECK (version > 0),
    reason    TEXT,
    detail    JSONB NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);
CREATE INDEX register_events_by_kind ON register_events (agency_id, kind, at);

CREATE TABLE register_attachments (
    agency_id  BIGINT NOT NULL,
    item_id    BIGINT NOT NULL,
    seq        BIGINT NOT NULL CHECK (seq > 0),
    version    BIGINT NOT NULL CHECK (version > 0),
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       BIGINT NOT NULL CHECK (size >= 0),
    sha256     TEXT NOT NULL,
    content    BYTEA NOT NULL,
    added_at   TIMESTAMPTZ NOT NULL,
    added_by   TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);

CREATE TABLE register_serials (
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    year      INTEGER NOT NULL CHECK (year >= 0),
    last      BIGINT NOT NULL CHECK (last >= 0),
    PRIMARY KEY (agency_id, year)
);

CREATE TRIGGER register_versions_append_only BEFORE UPDATE OR DELETE ON register_versions
    FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
CREATE TRIGGER register_publications_append_only BEFORE UPDATE OR DELETE ON register_publications
    FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
CREATE TRIGGER register_events_append_only BEFORE UPDATE OR DELETE ON register_events
    FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
CREATE TRIGGER register_attachments_append_only BEFORE UPDATE OR DELETE ON register_attachments
    FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['register_items', 'register_versions', 'register_publications',
        'register_events', 'register_attachments', 'register_serials']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY agency_scope ON %I USING (gongkai_agency_visible(agency_id)) '
            'WITH CHECK (gongkai_agency_visible(agency_id))', t);
    END LOOP;
END;
$$;
