-- The report checker's uploads belong to an agency (issue 18: every record does). The
-- column `agency_id` came with 0013 (the root agency for existing rows); the store now
-- writes the uploading request's agency and reads through it, and the row-level security
-- of 0013 becomes the second wall for these tables too. The retention purge and the usage
-- quotas name every agency in `app.agency_ids` (platform-wide work).
ALTER TABLE check_uploads ALTER COLUMN agency_id DROP DEFAULT;
ALTER TABLE check_corrections ALTER COLUMN agency_id DROP DEFAULT;
CREATE INDEX check_uploads_by_agency_owner ON check_uploads (agency_id, owner, uploaded_at);
ALTER TABLE check_uploads ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON check_uploads USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
ALTER TABLE check_corrections ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON check_corrections USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
