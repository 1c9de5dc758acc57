-- The annual report's narrative (sections 一 to 六) and its 落款, written by the office on
-- the year-end page: one row per saved version, never changed. `sections` is a JSON object
-- from section number ("1" … "6") to text; a section absent from it keeps the draft the
-- ledger computes. The frozen report of a submission uses the last version saved by then.
CREATE TABLE year_end_narratives (
    year      INTEGER NOT NULL CHECK (year BETWEEN 2008 AND 9999),
    version   BIGINT NOT NULL CHECK (version > 0),
    sections  JSONB NOT NULL,
    signed_by TEXT,
    signed_on DATE,
    note      TEXT,
    saved_at  TIMESTAMPTZ NOT NULL,
    saved_by  TEXT NOT NULL REFERENCES users (name),
    PRIMARY KEY (year, version)
);
CREATE TRIGGER year_end_narratives_append_only BEFORE UPDATE OR DELETE ON year_end_narratives
    FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
