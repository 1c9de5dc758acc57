-- Letter templates in versions: every save of a reply letter template (the text in force
-- stays in `letter_templates`) adds a row here, never changed. `origin` says how the text
-- came about: `edit` (written), `restore` (an earlier version brought back; `restored_from`
-- names it) or `default` (the built-in text restored: `letter_templates` then has no row
-- for the key and the letter uses the built-in text). Templates saved before this
-- migration become their key's version 1.
CREATE TABLE letter_template_versions (
    key           TEXT NOT NULL,
    version       INTEGER NOT NULL CHECK (version > 0),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    origin        TEXT NOT NULL CHECK (origin IN ('edit', 'restore', 'default')),
    restored_from INTEGER,
    note          TEXT,
    saved_at      TEXT NOT NULL,
    saved_by      TEXT NOT NULL,
    PRIMARY KEY (key, version)
);
CREATE TRIGGER letter_template_versions_no_update BEFORE UPDATE ON letter_template_versions
BEGIN SELECT RAISE(ABORT, 'letter template versions are append-only'); END;
CREATE TRIGGER letter_template_versions_no_delete BEFORE DELETE ON letter_template_versions
BEGIN SELECT RAISE(ABORT, 'letter template versions are append-only'); END;
INSERT INTO letter_template_versions
    (key, version, title, body, origin, restored_from, note, saved_at, saved_by)
SELECT key, 1, title, body, 'edit', NULL, '升级前保存的模板', updated_at, updated_by
FROM letter_templates;
