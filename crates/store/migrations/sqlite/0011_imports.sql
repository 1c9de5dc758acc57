-- Imported rows (导入, gongkai_ledger::import): one row per application or document created
-- from a sheet, keyed by the SHA-256 (hex) of the row's identity (an application: receipt
-- date, applicant's name and request text; a document: kind, title and issue date), so a
-- sheet imported twice creates nothing twice. `target_id` is the application's or the
-- proactive record's id, `source` the file's name and row. Append-only. The column mapping
-- of each import kind (`import_mapping:applications`, `import_mapping:documents`) and the
-- opening balances (`opening`) are JSON in `meta`. Same columns on PostgreSQL.
CREATE TABLE import_keys (
    key         TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('application', 'document')),
    target_id   TEXT NOT NULL,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);
CREATE INDEX import_keys_by_target ON import_keys (kind, target_id);
CREATE TRIGGER import_keys_no_update BEFORE UPDATE ON import_keys
BEGIN SELECT RAISE(ABORT, 'import keys are append-only'); END;
CREATE TRIGGER import_keys_no_delete BEFORE DELETE ON import_keys
BEGIN SELECT RAISE(ABORT, 'import keys are append-only'); END;
