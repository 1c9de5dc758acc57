-- The supervisor's live view (issue 18 §2): each agency's figures, kept ready.
-- ../postgres/0015_supervision.sql makes the same change on PostgreSQL (same columns).
--
-- `supervision_versions` counts the changes to each agency's ledger: a trigger on every
-- table the figures are computed from (applications, events, appeals, proactive records,
-- reviews, narratives, the agency's settings) bumps it in the same transaction as the
-- change. `supervision_figures` keeps, per agency and report year, the figures computed
-- by the ledger's own code (year-end cells, reply timeliness, applications at risk, the
-- annual report's state and its published cells) as of one date, with the version they
-- were computed at: a row is used only while its version is the agency's current one and
-- its date is today; otherwise it is computed again (lazily, on read) and replaced.

CREATE TABLE supervision_versions (
    agency_id INTEGER NOT NULL PRIMARY KEY REFERENCES agencies (id),
    version   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE supervision_figures (
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    year        INTEGER NOT NULL CHECK (year BETWEEN 2008 AND 9999),
    as_of       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    computed_at TEXT NOT NULL,
    figures     TEXT NOT NULL,
    PRIMARY KEY (agency_id, year)
);

CREATE TRIGGER applications_insert_supervision AFTER INSERT ON applications
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER applications_update_supervision AFTER UPDATE ON applications
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER applications_delete_supervision AFTER DELETE ON applications
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (OLD.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = OLD.agency_id;
END;

CREATE TRIGGER events_insert_supervision AFTER INSERT ON events
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER appeals_insert_supervision AFTER INSERT ON appeals
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER appeals_update_supervision AFTER UPDATE ON appeals
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER appeals_delete_supervision AFTER DELETE ON appeals
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (OLD.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = OLD.agency_id;
END;

CREATE TRIGGER proactive_records_insert_supervision AFTER INSERT ON proactive_records
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER proactive_records_update_supervision AFTER UPDATE ON proactive_records
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER proactive_records_delete_supervision AFTER DELETE ON proactive_records
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (OLD.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = OLD.agency_id;
END;

CREATE TRIGGER reviews_insert_supervision AFTER INSERT ON reviews
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER year_end_narratives_insert_supervision AFTER INSERT ON year_end_narratives
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER agency_settings_insert_supervision AFTER INSERT ON agency_settings
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER agency_settings_update_supervision AFTER UPDATE ON agency_settings
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (NEW.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
END;

CREATE TRIGGER agency_settings_delete_supervision AFTER DELETE ON agency_settings
BEGIN
    INSERT OR IGNORE INTO supervision_versions (agency_id, version) VALUES (OLD.agency_id, 0);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = OLD.agency_id;
END;
