-- The search index's change feed (issue 17 §2): every write to a register item (its row:
-- registered, edited, reviewed, published, corrected, withdrawn, re-assessed) and every
-- attachment added puts the item's key here, in the writing transaction, whatever writes
-- it (the store, an import, a bulk load, psql). Each `gongkai serve` process keeps its own
-- search index and reads the rows after the position its index was last committed at;
-- the item is then read again and its document replaced or removed (idempotent).
-- ../sqlite/0025_search_feed.sql makes the same table on SQLite.
--
-- `tx` is the writing transaction's id: ids of a sequence are taken in one order and
-- committed in another, so a reader remembers the transaction horizon
-- (`pg_snapshot_xmin`: every transaction before it has ended) rather than an id, and reads
-- the rows with `tx` in [last horizon, current horizon). SQLite writes one transaction at
-- a time: there the id order is the commit order and `tx` stays 0.
--
-- The trigger functions run as the tables' owner (SECURITY DEFINER): an application role
-- that may write register items needs no grant on the feed or its sequence.

CREATE TABLE search_feed (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id BIGINT NOT NULL,
    item_id   BIGINT NOT NULL,
    tx        xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX search_feed_by_tx ON search_feed (tx);

CREATE FUNCTION gongkai_search_feed_items() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO search_feed (agency_id, item_id)
        SELECT DISTINCT agency_id, id FROM changed;
    RETURN NULL;
END;
$$;

CREATE FUNCTION gongkai_search_feed_attachments() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO search_feed (agency_id, item_id)
        SELECT DISTINCT agency_id, item_id FROM changed;
    RETURN NULL;
END;
$$;

CREATE TRIGGER register_items_insert_search AFTER INSERT ON register_items
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_search_feed_items();
CREATE TRIGGER register_items_update_search AFTER UPDATE ON register_items
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_search_feed_items();
CREATE TRIGGER register_attachments_insert_search AFTER INSERT ON register_attachments
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_search_feed_attachments();

-- The items registered before this migration.
INSERT INTO search_feed (agency_id, item_id)
    SELECT agency_id, id FROM register_items ORDER BY agency_id, id;

ALTER TABLE search_feed ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON search_feed USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
