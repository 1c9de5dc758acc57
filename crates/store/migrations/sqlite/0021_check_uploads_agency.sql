-- The report checker's uploads belong to an agency (issue 18: every record does). The
-- column `agency_id` came with 0013 (the root agency for existing rows); the store now
-- writes the uploading request's agency and reads through it. This index serves the
-- scoped lists (an owner's uploads within the agency, newest first).
-- ../postgres/0021_check_uploads_agency.sql makes the same change on PostgreSQL and adds
-- the row-level security policy there.
CREATE INDEX check_uploads_by_agency_owner ON check_uploads (agency_id, owner, uploaded_at);
