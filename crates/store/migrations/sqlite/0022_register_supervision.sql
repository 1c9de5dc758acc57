-- The publication register (0017) feeds the annual report (section 一's 主动公开 paragraph,
-- section 二's documents): its writes move the supervisor's figures like the other record
-- tables (0015's change counter, 0020's agency-level mark ''), in the same transaction.
-- ../postgres/0022_register_supervision.sql makes the same change on PostgreSQL.

CREATE TRIGGER register_items_insert_supervision AFTER INSERT ON register_items
BEGIN
    INSERT INTO supervision_versions (agency_id, version)
    SELECT NEW.agency_id, 0 WHERE NOT EXISTS
        (SELECT 1 FROM supervision_versions WHERE agency_id = NEW.agency_id);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '');
END;

CREATE TRIGGER register_items_update_supervision AFTER UPDATE ON register_items
BEGIN
    INSERT INTO supervision_versions (agency_id, version)
    SELECT NEW.agency_id, 0 WHERE NOT EXISTS
        (SELECT 1 FROM supervision_versions WHERE agency_id = NEW.agency_id);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '');
END;

CREATE TRIGGER register_versions_insert_supervision AFTER INSERT ON register_versions
BEGIN
    INSERT INTO supervision_versions (agency_id, version)
    SELECT NEW.agency_id, 0 WHERE NOT EXISTS
        (SELECT 1 FROM supervision_versions WHERE agency_id = NEW.agency_id);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '');
END;

CREATE TRIGGER register_publications_insert_supervision AFTER INSERT ON register_publications
BEGIN
    INSERT INTO supervision_versions (agency_id, version)
    SELECT NEW.agency_id, 0 WHERE NOT EXISTS
        (SELECT 1 FROM supervision_versions WHERE agency_id = NEW.agency_id);
    UPDATE supervision_versions SET version = version + 1 WHERE agency_id = NEW.agency_id;
    INSERT INTO supervision_marks (agency_id, application_id)
    SELECT NEW.agency_id, '' WHERE NOT EXISTS
        (SELECT 1 FROM supervision_marks WHERE agency_id = NEW.agency_id AND application_id = '');
END;
