-- The supervisor's figures kept incrementally (issue 18 §3). ../postgres/0020_supervision_shares.sql
-- makes the same change on PostgreSQL (same columns) and says how the tables are used:
-- `supervision_shares` keeps each application's share of its agency's figures for a year,
-- `supervision_marks` names what changed since (the application's id; '' for the agency's
-- other records; '*' for its settings), added by triggers in the same transaction as the
-- change. Marks are inserted with NOT EXISTS rather than INSERT OR IGNORE (see 0015: an
-- upsert's conflict clause would override the trigger's).

CREATE TABLE supervision_shares (
    agency_id      INTEGER NOT NULL REFERENCES agencies (id),
    year           INTEGER NOT NULL CHECK (year BETWEEN 2008 AND 9999),
    application_id TEXT NOT NULL,
    share          TEXT NOT NULL,
    PRIMARY KEY (agency_id, year, application_id)
);

CREATE TABLE supervision_marks (
    agency_id      INTEGER NOT NULL,
    application_id TEXT NOT NULL,
    PRIMARY KEY (agency_id, application_id)
);

-- The rows kept by 0015 hold no sum of shares: computed again on the next view.
DELETE FROM supervision_figures;

CREATE TRIGGER applications_insert_marks AFTER INSERT ON applications
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, NEW.id WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = NEW.id);
END;

CREATE TRIGGER applications_update_marks AFTER UPDATE ON applications
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, NEW.id WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = NEW.id);
END;

CREATE TRIGGER applications_delete_marks AFTER DELETE ON applications
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT OLD.agency_id, OLD.id WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = OLD.agency_id AND application_id = OLD.id);
END;

CREATE TRIGGER events_insert_marks AFTER INSERT ON events
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, NEW.application_id WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = NEW.application_id);
END;

CREATE TRIGGER appeals_insert_marks AFTER INSERT ON appeals
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '');
END;

CREATE TRIGGER appeals_update_marks AFTER UPDATE ON appeals
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '');
END;

CREATE TRIGGER appeals_delete_marks AFTER DELETE ON appeals
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT OLD.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = OLD.agency_id AND application_id = '');
END;

CREATE TRIGGER proactive_records_insert_marks AFTER INSERT ON proactive_records
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '');
END;

CREATE TRIGGER proactive_records_update_marks AFTER UPDATE ON proactive_records
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '');
END;

CREATE TRIGGER proactive_records_delete_marks AFTER DELETE ON proactive_records
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT OLD.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = OLD.agency_id AND application_id = '');
END;

CREATE TRIGGER reviews_insert_marks AFTER INSERT ON reviews WHEN NEW.subject_kind = 'annual_report'
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '');
END;

CREATE TRIGGER year_end_narratives_insert_marks AFTER INSERT ON year_end_narratives
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '');
END;

CREATE TRIGGER agency_settings_insert_marks AFTER INSERT ON agency_settings
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '*' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '*');
END;

CREATE TRIGGER agency_settings_update_marks AFTER UPDATE ON agency_settings
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '*' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '*');
END;

CREATE TRIGGER agency_settings_delete_marks AFTER DELETE ON agency_settings
BEGIN
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT OLD.agency_id, '*' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = OLD.agency_id AND application_id = '*');
END;
