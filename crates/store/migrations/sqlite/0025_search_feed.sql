-- The search index's change feed (issue 17 §2); see ../postgres/0025_search_feed.sql. On
-- SQLite one transaction writes at a time, so the id order is the commit order and a
-- reader remembers the last id it read; `tx` stays 0 (PostgreSQL's transaction id).

CREATE TABLE search_feed (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id INTEGER NOT NULL,
    item_id   INTEGER NOT NULL,
    tx        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX search_feed_by_tx ON search_feed (tx);

CREATE TRIGGER register_items_insert_search AFTER INSERT ON register_items
BEGIN
    INSERT INTO search_feed (agency_id, item_id) VALUES (NEW.agency_id, NEW.id);
END;

CREATE TRIGGER register_items_update_search AFTER UPDATE ON register_items
BEGIN
    INSERT INTO search_feed (agency_id, item_id) VALUES (NEW.agency_id, NEW.id);
END;

CREATE TRIGGER register_attachments_insert_search AFTER INSERT ON register_attachments
BEGIN
    INSERT INTO search_feed (agency_id, item_id) VALUES (NEW.agency_id, NEW.item_id);
END;

INSERT INTO search_feed (agency_id, item_id)
    SELECT agency_id, id FROM register_items ORDER BY agency_id, id;
