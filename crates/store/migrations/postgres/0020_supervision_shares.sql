-- The supervisor's figures kept incrementally (issue 18 §3). ../sqlite/0020_supervision_shares.sql
-- makes the same change on SQLite (same columns).
--
-- Migration 0015 kept each agency's figures whole and recomputed an agency's whole
-- year-end (every application of its ledger) after any write to it. Now:
--
-- * `supervision_shares` keeps each application's share of its agency's figures for a
--   report year (its contribution to table 三, replied/late, overdue, and whether it is at
--   risk), computed by the ledger's own code for that one application;
-- * `supervision_figures` (0015) keeps the agency's sum of those shares with the rest of
--   its figures;
-- * `supervision_marks` names what changed since: a trigger on each table the figures
--   come from adds a mark in the same transaction as the change — the application's id
--   (applications, events), '' for the agency's other records (appeals, proactive
--   records, the annual report's review steps, narratives), '*' for the agency's settings
--   (every deadline may move: everything is computed again).
--
-- A view takes the marks of an agency (DELETE … RETURNING, under a per-agency lock),
-- computes the marked applications' shares again and moves the sum by the difference. The
-- counter of 0015 still says whether anything changed at all.

CREATE TABLE supervision_shares (
    agency_id      BIGINT NOT NULL REFERENCES agencies (id),
    year           INTEGER NOT NULL CHECK (year BETWEEN 2008 AND 9999),
    application_id TEXT NOT NULL,
    share          TEXT NOT NULL,
    PRIMARY KEY (agency_id, year, application_id)
);

CREATE TABLE supervision_marks (
    agency_id      BIGINT NOT NULL,
    application_id TEXT NOT NULL,
    PRIMARY KEY (agency_id, application_id)
);

-- The rows kept by 0015 hold no sum of shares: computed again on the next view.
DELETE FROM supervision_figures;

CREATE FUNCTION gongkai_mark_applications() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT DISTINCT agency_id, id FROM changed
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE FUNCTION gongkai_mark_events() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT DISTINCT agency_id, application_id FROM changed
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE FUNCTION gongkai_mark_agency() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT DISTINCT agency_id, TG_ARGV[0] FROM changed
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE FUNCTION gongkai_mark_report() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT DISTINCT agency_id, '' FROM changed WHERE subject_kind = 'annual_report'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE TRIGGER applications_insert_marks AFTER INSERT ON applications
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_applications();
CREATE TRIGGER applications_update_marks AFTER UPDATE ON applications
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_applications();
CREATE TRIGGER applications_delete_marks AFTER DELETE ON applications
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_applications();
CREATE TRIGGER events_insert_marks AFTER INSERT ON events
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_events();
CREATE TRIGGER appeals_insert_marks AFTER INSERT ON appeals
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');
CREATE TRIGGER appeals_update_marks AFTER UPDATE ON appeals
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');
CREATE TRIGGER appeals_delete_marks AFTER DELETE ON appeals
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');
CREATE TRIGGER proactive_records_insert_marks AFTER INSERT ON proactive_records
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');
CREATE TRIGGER proactive_records_update_marks AFTER UPDATE ON proactive_records
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');
CREATE TRIGGER proactive_records_delete_marks AFTER DELETE ON proactive_records
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');
CREATE TRIGGER reviews_insert_marks AFTER INSERT ON reviews
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_report();
CREATE TRIGGER year_end_narratives_insert_marks AFTER INSERT ON year_end_narratives
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');
CREATE TRIGGER agency_settings_insert_marks AFTER INSERT ON agency_settings
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('*');
CREATE TRIGGER agency_settings_update_marks AFTER UPDATE ON agency_settings
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('*');
CREATE TRIGGER agency_settings_delete_marks AFTER DELETE ON agency_settings
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('*');

-- Row-level security as on the record tables (migration 0013).
ALTER TABLE supervision_shares ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON supervision_shares USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
ALTER TABLE supervision_marks ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON supervision_marks USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
