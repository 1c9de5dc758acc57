-- Imported rows (导入, gongkai_ledger::import): one row per application or document created
-- from a sheet, keyed by the SHA-256 (hex) of the row's identity (an application: receipt
-- date, applicant's name and request text; a document: kind, title and issue date), so a
-- sheet imported twice creates nothing twice. `target_id` is the application's or the
-- proactive record's id, `source` the file's name and row. Append-only. The column mapping
-- of each import kind (`import_mapping:applications`, `import_mapping:documents`) and the
-- opening balances (`opening`) are JSON in `meta`. Same columns on SQLite.
CREATE TABLE import_keys (
    key         TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('application', 'document')),
    target_id   TEXT NOT NULL,
    source      TEXT NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL,
    imported_by TEXT NOT NULL
);
CREATE INDEX import_keys_by_target ON import_keys (kind, target_id);
CREATE TRIGGER import_keys_append_only
    BEFORE UPDATE OR DELETE ON import_keys
    FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
