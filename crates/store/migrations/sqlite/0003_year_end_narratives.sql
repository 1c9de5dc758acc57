-- The annual report's narrative (sections 一 to 六) and its 落款, written by the office on
-- the year-end page: one row per saved version, never changed. `sections` is a JSON object
-- from section number ("1" … "6") to text; a section absent from it keeps the draft the
-- ledger computes. The frozen report of a submission uses the last version saved by then.
CREATE TABLE year_end_narratives (
    year      INTEGER NOT NULL CHECK (year BETWEEN 2008 AND 9999),
    version   INTEGER NOT NULL CHECK (version > 0),
    sections  TEXT NOT NULL,
    signed_by TEXT,
    signed_on TEXT,
    note      TEXT,
    saved_at  TEXT NOT NULL,
    saved_by  TEXT NOT NULL REFERENCES users (name),
    PRIMARY KEY (year, version)
);
CREATE TRIGGER year_end_narratives_no_update BEFORE UPDATE ON year_end_narratives
BEGIN SELECT RAISE(ABORT, 'narrative versions are append-only'); END;
CREATE TRIGGER year_end_narratives_no_delete BEFORE DELETE ON year_end_narratives
BEGIN SELECT RAISE(ABORT, 'narrative versions are append-only'); END;
