-- Where an audited action came from: the client's address (web and API), the channel
-- (`web`, `api`, `cli`) and the operating-system user (command line). NULL on rows written
-- before this migration. The append-only triggers stay: ADD COLUMN is not an UPDATE.
-- Indexes for the audit viewer's filters (user, date). Same columns on SQLite.
ALTER TABLE audit_log ADD COLUMN client TEXT;
ALTER TABLE audit_log ADD COLUMN channel TEXT;
ALTER TABLE audit_log ADD COLUMN os_user TEXT;
CREATE INDEX audit_by_actor ON audit_log (actor, id);
CREATE INDEX audit_by_at ON audit_log (at);
