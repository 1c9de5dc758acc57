-- The register's list at 100,000 items, the channel filter and the text search (issue 16's
-- acceptance: p99 < 50 ms with each filter). Both scanned every item before: the channel
-- as a LIKE over the serialised `outlets` column, the search as a LIKE over the four
-- fields. ../postgres/0028_register_list_search.sql makes the same on PostgreSQL.
--
-- `register_item_outlets`: one row per item and channel it is planned or published on (the
-- words of `register_items.outlets`), indexed by (agency, channel, item).
--
-- `register_item_text`: the text the search reads (名称, 索引号, 文号 and 内容概述 joined by a
-- space, as query.rs's LIKE) cut into overlapping pairs of characters, so that a Chinese
-- word of two characters — most search words — is found through the index (a trigram
-- index, FTS5's `trigram` or pg_trgm, finds nothing shorter than three characters). Each
-- character is folded before: ASCII capitals to small letters, every other ASCII character
-- that is not a letter or a digit (space, '-', '(' …) to the private-use character
-- U+E000 + its code, so that each pair is one token of FTS5's `ascii` tokenizer (which
-- keeps every non-ASCII character in a token). The last character of the text is a token
-- of its own. A word of two or more characters is the phrase of its pairs (consecutive
-- positions: exactly where the word occurs); a word of one character, the prefix query of
-- that character. The list checks the LIKE on the rows the index finds (query.rs), so the
-- index only narrows and the result is that of the LIKE.
--
-- On SQLite the pairs are an FTS5 table without content whose rowid is the item's key,
-- agency_id · 2^32 + id; `register_text_positions` numbers the characters (1 to 8,192; the
-- ledger caps the four fields far below: 名称 200, 内容概述 500). Triggers keep both tables
-- in step with `register_items`, whatever writes it (the store, an import, the sqlite3 shell).

CREATE TABLE register_item_outlets (
    agency_id INTEGER NOT NULL,
    item_id   INTEGER NOT NULL,
    outlet    TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, outlet),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);
CREATE INDEX register_item_outlets_by_outlet ON register_item_outlets (agency_id, outlet, item_id);

CREATE VIRTUAL TABLE register_item_text USING fts5 (
    grams, content = '', contentless_delete = 1, tokenize = 'ascii'
);

CREATE TABLE register_text_positions (k INTEGER PRIMARY KEY);
WITH RECURSIVE n (k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 8192)
INSERT INTO register_text_positions (k) SELECT k FROM n;

-- The items registered before this migration.
INSERT INTO register_item_outlets (agency_id, item_id, outlet)
SELECT i.agency_id, i.id, o.value
FROM register_items i,
     json_each('["website","new_media","gazette","notice_board","press_conference","media","other"]') o
WHERE instr(' ' || i.outlets || ' ', ' ' || o.value || ' ') > 0;

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
        JOIN register_text_positions p ON p.k <= length(s.t)
    )
)
GROUP BY key;

CREATE TRIGGER register_items_outlets_insert AFTER INSERT ON register_items
BEGIN
    INSERT INTO register_item_outlets (agency_id, item_id, outlet)
    SELECT NEW.agency_id, NEW.id, o.value
    FROM json_each('["website","new_media","gazette","notice_board","press_conference","media","other"]') o
    WHERE instr(' ' || NEW.outlets || ' ', ' ' || o.value || ' ') > 0;
END;

CREATE TRIGGER register_items_outlets_update AFTER UPDATE OF outlets ON register_items
WHEN OLD.outlets IS NOT NEW.outlets
BEGIN
    DELETE FROM register_item_outlets WHERE agency_id = NEW.agency_id AND item_id = NEW.id;
    INSERT INTO register_item_outlets (agency_id, item_id, outlet)
    SELECT NEW.agency_id, NEW.id, o.value
    FROM json_each('["website","new_media","gazette","notice_board","press_conference","media","other"]') o
    WHERE instr(' ' || NEW.outlets || ' ', ' ' || o.value || ' ') > 0;
END;

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
            JOIN register_text_positions p ON p.k <= length(s.t)
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
            JOIN register_text_positions p ON p.k <= length(s.t)
        )
    )
    GROUP BY key;
END;

CREATE TRIGGER register_items_text_delete AFTER DELETE ON register_items
BEGIN
    DELETE FROM register_item_text WHERE rowid = OLD.agency_id * 4294967296 + OLD.id;
END;
