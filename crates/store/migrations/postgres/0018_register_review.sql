-- 三审, 保密审查 and 错敏排查 of the publication register's items (issue 16 §2).
-- ../sqlite/0018_register_review.sql makes the same change on SQLite (same columns; see
-- there for what the tables keep). Item review steps are rows of `reviews` with
-- subject_kind 'item': the CHECK gains it.

ALTER TABLE reviews DROP CONSTRAINT reviews_subject_kind_check;
ALTER TABLE reviews ADD CONSTRAINT reviews_subject_kind_check
    CHECK (subject_kind IN ('reply', 'annual_report', 'item'));

CREATE TABLE register_secrecy (
    agency_id    BIGINT NOT NULL,
    item_id      BIGINT NOT NULL,
    seq          BIGINT NOT NULL CHECK (seq > 0),
    kind         TEXT NOT NULL CHECK (kind IN ('review', 'determination')),
    content_hash TEXT NOT NULL,
    conclusion   TEXT NOT NULL CHECK (conclusion IN ('publishable', 'secret', 'referred')),
    data         JSONB NOT NULL,
    actor        TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);

CREATE TABLE register_lint_overrides (
    agency_id    BIGINT NOT NULL,
    item_id      BIGINT NOT NULL,
    seq          BIGINT NOT NULL CHECK (seq > 0),
    content_hash TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    finding      JSONB NOT NULL,
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agency_id, item_id, seq),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);

CREATE TRIGGER register_secrecy_append_only BEFORE UPDATE OR DELETE ON register_secrecy
    FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
CREATE TRIGGER register_lint_overrides_append_only BEFORE UPDATE OR DELETE
    ON register_lint_overrides FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();

ALTER TABLE register_secrecy ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON register_secrecy USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
ALTER TABLE register_lint_overrides ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON register_lint_overrides USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
