-- Saved column sets of the ledger's export (台账导出的列模板): the office names a set of
-- columns and their order (`columns`: a JSON array of column keys, e.g.
-- ["number","applicant","received"]), and exports pick a set by its name. Which keys exist
-- is the service's (`gongkai_service::exports`); the store keeps the list as given. A save
-- replaces the set of that name; saves and deletions are in the audit log.
CREATE TABLE export_column_sets (
    name     TEXT NOT NULL PRIMARY KEY,
    columns  TEXT NOT NULL,
    saved_at TIMESTAMPTZ NOT NULL,
    saved_by TEXT NOT NULL
);
