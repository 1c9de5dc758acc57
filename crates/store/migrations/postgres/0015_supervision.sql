-- The supervisor's live view (issue 18 §2): each agency's figures, kept ready.
-- ../sqlite/0015_supervision.sql makes the same change on SQLite (same columns).
--
-- `supervision_versions` counts the changes to each agency's ledger: a trigger on every
-- table the figures are computed from (applications, events, appeals, proactive records,
-- reviews, narratives, the agency's settings) bumps it in the same transaction as the
-- change. `supervision_figures` keeps, per agency and report year, the figures computed
-- by the ledger's own code (year-end cells, reply timeliness, applications at risk, the
-- annual report's state and its published cells) as of one date, with the version they
-- were computed at: a row is used only while its version is the agency's current one and
-- its date is today; otherwise it is computed again (lazily, on read) and replaced.
-- PostgreSQL bumps once per statement (a bulk COPY or a multi-row INSERT costs one
-- update per agency it touched), through the statement's transition table.

CREATE TABLE supervision_versions (
    agency_id BIGINT NOT NULL PRIMARY KEY REFERENCES agencies (id),
    version   BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE supervision_figures (
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    year        INTEGER NOT NULL CHECK (year BETWEEN 2008 AND 9999),
    as_of       DATE NOT NULL,
    version     BIGINT NOT NULL,
    computed_at TIMESTAMPTZ NOT NULL,
    figures     TEXT NOT NULL,
    PRIMARY KEY (agency_id, year)
);

CREATE FUNCTION gongkai_bump_supervision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO supervision_versions AS v (agency_id, version)
    SELECT DISTINCT agency_id, 1 FROM changed
    ON CONFLICT (agency_id) DO UPDATE SET version = v.version + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER applications_insert_supervision AFTER INSERT ON applications
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER applications_update_supervision AFTER UPDATE ON applications
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER applications_delete_supervision AFTER DELETE ON applications
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER events_insert_supervision AFTER INSERT ON events
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER appeals_insert_supervision AFTER INSERT ON appeals
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER appeals_update_supervision AFTER UPDATE ON appeals
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER appeals_delete_supervision AFTER DELETE ON appeals
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER proactive_records_insert_supervision AFTER INSERT ON proactive_records
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER proactive_records_update_supervision AFTER UPDATE ON proactive_records
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER proactive_records_delete_supervision AFTER DELETE ON proactive_records
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER reviews_insert_supervision AFTER INSERT ON reviews
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER year_end_narratives_insert_supervision AFTER INSERT ON year_end_narratives
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER agency_settings_insert_supervision AFTER INSERT ON agency_settings
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER agency_settings_update_supervision AFTER UPDATE ON agency_settings
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER agency_settings_delete_supervision AFTER DELETE ON agency_settings
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();

-- Row-level security as on the record tables (migration 0013).
ALTER TABLE supervision_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON supervision_versions USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
ALTER TABLE supervision_figures ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON supervision_figures USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
