-- The images of a scan's uncertain cells (the report checker built with the `ocr`
-- feature): one small grey PNG per cell, cut while the uploaded file was read (the file
-- itself is not kept), kept with its upload so that a restart does not lose them, and
-- deleted with it. Each row belongs to its upload's agency (row-level security as 0021).
CREATE TABLE check_crops (
    upload_id TEXT NOT NULL REFERENCES check_uploads (id) ON DELETE CASCADE,
    cell      TEXT NOT NULL,
    png       BYTEA NOT NULL,
    agency_id BIGINT NOT NULL,
    PRIMARY KEY (upload_id, cell)
);
ALTER TABLE check_crops ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON check_crops USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
