-- The images of a scan's uncertain cells (the report checker built with the `ocr`
-- feature): one small grey PNG per cell, cut while the uploaded file was read (the file
-- itself is not kept), kept with its upload so that a restart does not lose them, and
-- deleted with it. Same columns on PostgreSQL, under the agency's row-level security.
CREATE TABLE check_crops (
    upload_id TEXT NOT NULL REFERENCES check_uploads (id) ON DELETE CASCADE,
    cell      TEXT NOT NULL,
    png       BLOB NOT NULL,
    agency_id INTEGER NOT NULL,
    PRIMARY KEY (upload_id, cell)
);
