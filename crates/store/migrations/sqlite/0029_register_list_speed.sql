-- The register at 100,000 items (issue 16's acceptance figures: list p99 < 50 ms with each
-- filter, year-end < 1 s), continued from 0028. ../postgres/0029_register_list_speed.sql
-- makes the same indexes on PostgreSQL. Measured on a generated register of 100,000
-- items (debug build, EXPLAIN QUERY PLAN), each change keeps what the queries select.
--
-- 1. The word index's triggers, rewritten with one change: the positions of the text are
--    read as a range of `register_text_positions`' key (`p.k BETWEEN 1 AND length(s.t)`)
--    instead of `p.k <= length(s.t)`, which SQLite ran as a scan of all 8,192 positions
--    for every item written (a batch import: 5.7 ms an item with 0028's triggers, 0.78
--    ms with these, 0.45 ms without any). The rows they write are the same.
-- 2. The word index again, with a prefix index of one character (`prefix = '1'`): a word
--    of one character is a prefix query, which merged the lists of every pair beginning
--    with it (`通知 2`: 52 ms for the index alone, 10.6 ms with it). Refilled from the items.
-- 3. `register_items_by_open_due`: the items not published nor withdrawn with a deadline,
--    by deadline — the due and overdue lists count on it alone (84,709 overdue: 18.7 →
--    3.2 ms), without reading each row for `withdrawn_at`.
-- 4. `register_items_by_organ`: the 发布机构 filter reads the few distinct 发布机构 off it
--    one by one and then counts their items on it (a LIKE over every row before: 114–150
--    → 4 ms).
-- 5. For the year-end's reads (register/facts.rs): the corrections
--    (`register_versions_corrected`), and the items with more than one version or a
--    validity (`register_items_versioned`), whose versions are read — each a scan of
--    every version before.

DROP TRIGGER register_items_text_insert;
DROP TRIGGER register_items_text_update;
DROP TABLE register_item_text;

CREATE VIRTUAL TABLE register_item_text USING fts5 (
    grams, content = '', contentless_delete = 1, tokenize = 'ascii', prefix = '1'
);

INSERT INTO register_item_text (rowid, grams)
SELECT key, group_concat(g, ' ' ORDER BY k)
FROM (
    SELECT key, k, m || COALESCE(lead(m) OVER (PARTITION BY key ORDER BY k), '') AS g
    FROM (
        SELECT s.key, p.k,
            CASE WHEN unicode(substr(s.t, p.k, 1)) < 128
                    AND NOT unicode(substr(s.t, p.k, 1)) BETWEEN 48 AND 57
                    AND NOT unicode(substr(s.t, p.k, 1)) BETWEEN 97 AND 122
                THEN char(57344 + unicode(substr(s.t, p.k, 1)))
                ELSE substr(s.t, p.k, 1) END AS m
        FROM (SELECT agency_id * 4294967296 + id AS key,
                     lower(title || ' ' || index_number || ' ' || COALESCE(number, '') || ' ' || summary) AS t
              FROM register_items) s
        JOIN register_text_positions p ON p.k BETWEEN 1 AND length(s.t)
    )
)
GROUP BY key;

CREATE TRIGGER register_items_text_insert AFTER INSERT ON register_items
BEGIN
    INSERT INTO register_item_text (rowid, grams)
    SELECT key, group_concat(g, ' ' ORDER BY k)
    FROM (
        SELECT key, k, m || COALESCE(lead(m) OVER (ORDER BY k), '') AS g
        FROM (
            SELECT s.key, p.k,
                CASE WHEN unicode(substr(s.t, p.k, 1)) < 128
                        AND NOT unicode(substr(s.t, p.k, 1)) BETWEEN 48 AND 57
                        AND NOT unicode(substr(s.t, p.k, 1)) BETWEEN 97 AND 122
                    THEN char(57344 + unicode(substr(s.t, p.k, 1)))
                    ELSE substr(s.t, p.k, 1) END AS m
            FROM (SELECT NEW.agency_id * 4294967296 + NEW.id AS key,
                         lower(NEW.title || ' ' || NEW.index_number || ' ' || COALESCE(NEW.number, '') || ' ' || NEW.summary) AS t) s
            JOIN register_text_positions p ON p.k BETWEEN 1 AND length(s.t)
        )
    )
    GROUP BY key;
END;

CREATE TRIGGER register_items_text_update
AFTER UPDATE OF title, index_number, number, summary ON register_items
WHEN OLD.title IS NOT NEW.title OR OLD.index_number IS NOT NEW.index_number
    OR OLD.number IS NOT NEW.number OR OLD.summary IS NOT NEW.summary
BEGIN
    DELETE FROM register_item_text WHERE rowid = NEW.agency_id * 4294967296 + NEW.id;
    INSERT INTO register_item_text (rowid, grams)
    SELECT key, group_concat(g, ' ' ORDER BY k)
    FROM (
        SELECT key, k, m || COALESCE(lead(m) OVER (ORDER BY k), '') AS g
        FROM (
            SELECT s.key, p.k,
                CASE WHEN unicode(substr(s.t, p.k, 1)) < 128
                        AND NOT unicode(substr(s.t, p.k, 1)) BETWEEN 48 AND 57
                        AND NOT unicode(substr(s.t, p.k, 1)) BETWEEN 97 AND 122
                    THEN char(57344 + unicode(substr(s.t, p.k, 1)))
                    ELSE substr(s.t, p.k, 1) END AS m
            FROM (SELECT NEW.agency_id * 4294967296 + NEW.id AS key,
                         lower(NEW.title || ' ' || NEW.index_number || ' ' || COALESCE(NEW.number, '') || ' ' || NEW.summary) AS t) s
            JOIN register_text_positions p ON p.k BETWEEN 1 AND length(s.t)
        )
    )
    GROUP BY key;
END;

CREATE INDEX register_items_by_open_due ON register_items (agency_id, due_on, id)
    WHERE due_on IS NOT NULL AND first_published_on IS NULL AND withdrawn_at IS NULL;
CREATE INDEX register_items_by_organ ON register_items (agency_id, organ, formed_on, id);
CREATE INDEX register_versions_corrected ON register_versions (agency_id, item_id, version)
    WHERE kind = 'corrected';
CREATE INDEX register_items_versioned ON register_items (agency_id, id)
    WHERE doc_kind IS NOT NULL OR version > 1;
