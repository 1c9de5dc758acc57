-- 错敏排查 of the whole item, findings kept (issue 16 §2). ../sqlite/0023_register_lint.sql
-- makes the same tables on SQLite (same columns; see there for what they keep). Row-level
-- security as for the register tables of 0017 and 0018.

CREATE TABLE register_attachment_texts (
    agency_id    BIGINT NOT NULL,
    item_id      BIGINT NOT NULL,
    seq          BIGINT NOT NULL CHECK (seq > 0),
    status       TEXT NOT NULL CHECK (status IN ('text', 'none')),
    text         TEXT NOT NULL,
    chars        BIGINT NOT NULL CHECK (chars >= 0),
    note         TEXT,
    extracted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id, seq) REFERENCES register_attachments (agency_id, item_id, seq)
);

CREATE TABLE register_attachment_removals (
    agency_id  BIGINT NOT NULL,
    item_id    BIGINT NOT NULL,
    seq        BIGINT NOT NULL CHECK (seq > 0),
    reason     TEXT NOT NULL,
    removed_at TIMESTAMPTZ NOT NULL,
    removed_by TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id, seq) REFERENCES register_attachments (agency_id, item_id, seq)
);

CREATE TABLE register_lint_runs (
    agency_id    BIGINT NOT NULL,
    item_id      BIGINT NOT NULL,
    seq          BIGINT NOT NULL CHECK (seq > 0),
    version      BIGINT NOT NULL CHECK (version > 0),
    content_hash TEXT NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('submit', 'publish')),
    at           TIMESTAMPTZ NOT NULL,
    actor        TEXT NOT NULL,
    errors       BIGINT NOT NULL CHECK (errors >= 0),
    warnings     BIGINT NOT NULL CHECK (warnings >= 0),
    overridden   BIGINT NOT NULL CHECK (overridden >= 0),
    findings     JSONB NOT NULL,
    unread       JSONB NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);

CREATE TABLE register_lint_codes (
    agency_id BIGINT NOT NULL,
    item_id   BIGINT NOT NULL,
    run_seq   BIGINT NOT NULL,
    code      TEXT NOT NULL,
    severity  TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    n         BIGINT NOT NULL CHECK (n > 0),
    PRIMARY KEY (agency_id, item_id, run_seq, code, severity),
    FOREIGN KEY (agency_id, item_id, run_seq) REFERENCES register_lint_runs (agency_id, item_id, seq)
);

CREATE TRIGGER register_attachment_texts_append_only BEFORE UPDATE OR DELETE
    ON register_attachment_texts FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
CREATE TRIGGER register_attachment_removals_append_only BEFORE UPDATE OR DELETE
    ON register_attachment_removals FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
CREATE TRIGGER register_lint_runs_append_only BEFORE UPDATE OR DELETE
    ON register_lint_runs FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
CREATE TRIGGER register_lint_codes_append_only BEFORE UPDATE OR DELETE
    ON register_lint_codes FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['register_attachment_texts', 'register_attachment_removals',
        'register_lint_runs', 'register_lint_codes']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY agency_scope ON %I USING (gongkai_agency_visible(agency_id)) '
            'WITH CHECK (gongkai_agency_visible(agency_id))', t);
    END LOOP;
END;
$$;
