-- The register's list at 100,000 items, the channel filter and the text search (issue 16's
-- acceptance: p99 < 50 ms with each filter). Both scanned every item before: the channel
-- as a LIKE over the serialised `outlets` column, the search as a LIKE over the four
-- fields. ../sqlite/0028_register_list_search.sql makes the same on SQLite (the reasons,
-- the folding of the characters and the queries are described there).
--
-- `register_item_outlets`: one row per item and channel (the words of
-- `register_items.outlets`), indexed by (agency, channel, item).
--
-- `register_item_text`: the item's text (名称, 索引号, 文号 and 内容概述 joined by a space),
-- lower-cased for ASCII, cut into overlapping pairs of characters plus the last character,
-- as a `tsvector` of those tokens (no positions: a word of two or more characters is the
-- conjunction of its pairs, one character the prefix query, and the LIKE of query.rs
-- decides on the rows found) under a GIN index. pg_trgm (shipped with Debian's
-- postgresql-15) is not used: it takes no trigram from a word of two characters, so the
-- usual Chinese search word would scan the whole index.
--
-- Triggers keep both tables in step with `register_items`, whatever writes it; their
-- functions run as the tables' owner (SECURITY DEFINER, as 0025's), so an application role
-- that writes register items needs no grant on these tables.

CREATE TABLE register_item_outlets (
    agency_id BIGINT NOT NULL,
    item_id   BIGINT NOT NULL,
    outlet    TEXT NOT NULL,
    PRIMARY KEY (agency_id, item_id, outlet),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);
CREATE INDEX register_item_outlets_by_outlet ON register_item_outlets (agency_id, outlet, item_id);

CREATE TABLE register_item_text (
    agency_id BIGINT NOT NULL,
    item_id   BIGINT NOT NULL,
    grams     TSVECTOR NOT NULL,
    PRIMARY KEY (agency_id, item_id),
    FOREIGN KEY (agency_id, item_id) REFERENCES register_items (agency_id, id)
);
CREATE INDEX register_item_text_by_gram ON register_item_text USING gin (grams);

-- The tokens of a text: ASCII capitals folded to small letters, every other ASCII
-- character that is not a letter or a digit to U+E000 + its code, then each pair of
-- neighbouring characters and the last character.
CREATE FUNCTION gongkai_register_grams(t TEXT) RETURNS TSVECTOR
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT COALESCE(array_to_tsvector(array_agg(DISTINCT g)), ''::tsvector)
    FROM (
        SELECT m || COALESCE(lead(m) OVER (ORDER BY k), '') AS g
        FROM (
            SELECT k,
                CASE WHEN ascii(substr(l, k, 1)) < 128
                        AND NOT ascii(substr(l, k, 1)) BETWEEN 48 AND 57
                        AND NOT ascii(substr(l, k, 1)) BETWEEN 97 AND 122
                    THEN chr(57344 + ascii(substr(l, k, 1)))
                    ELSE substr(l, k, 1) END AS m
            FROM (SELECT translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                                   'abcdefghijklmnopqrstuvwxyz') AS l) s,
                 generate_series(1, length(l)) AS k
        ) chars
    ) pairs
$$;

CREATE FUNCTION gongkai_register_list_tables() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' OR OLD.outlets IS DISTINCT FROM NEW.outlets THEN
        DELETE FROM register_item_outlets WHERE agency_id = NEW.agency_id AND item_id = NEW.id;
        INSERT INTO register_item_outlets (agency_id, item_id, outlet)
            SELECT NEW.agency_id, NEW.id, o
            FROM unnest(ARRAY['website', 'new_media', 'gazette', 'notice_board',
                              'press_conference', 'media', 'other']) AS o
            WHERE strpos(' ' || NEW.outlets || ' ', ' ' || o || ' ') > 0;
    END IF;
    IF TG_OP = 'INSERT' OR OLD.title IS DISTINCT FROM NEW.title
        OR OLD.index_number IS DISTINCT FROM NEW.index_number
        OR OLD.number IS DISTINCT FROM NEW.number OR OLD.summary IS DISTINCT FROM NEW.summary
    THEN
        INSERT INTO register_item_text (agency_id, item_id, grams)
            VALUES (NEW.agency_id, NEW.id, gongkai_register_grams(NEW.title || ' '
                || NEW.index_number || ' ' || COALESCE(NEW.number, '') || ' ' || NEW.summary))
            ON CONFLICT (agency_id, item_id) DO UPDATE SET grams = EXCLUDED.grams;
    END IF;
    RETURN NULL;
END;
$$;

-- The items registered before this migration.
INSERT INTO register_item_outlets (agency_id, item_id, outlet)
    SELECT i.agency_id, i.id, o
    FROM register_items i,
         unnest(ARRAY['website', 'new_media', 'gazette', 'notice_board', 'press_conference',
                      'media', 'other']) AS o
    WHERE strpos(' ' || i.outlets || ' ', ' ' || o || ' ') > 0;
INSERT INTO register_item_text (agency_id, item_id, grams)
    SELECT agency_id, id, gongkai_register_grams(title || ' ' || index_number || ' '
        || COALESCE(number, '') || ' ' || summary)
    FROM register_items;

CREATE TRIGGER register_items_list_tables_insert AFTER INSERT ON register_items
    FOR EACH ROW EXECUTE FUNCTION gongkai_register_list_tables();
CREATE TRIGGER register_items_list_tables_update
    AFTER UPDATE OF outlets, title, index_number, number, summary ON register_items
    FOR EACH ROW EXECUTE FUNCTION gongkai_register_list_tables();

ALTER TABLE register_item_outlets ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON register_item_outlets USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
ALTER TABLE register_item_text ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON register_item_text USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
