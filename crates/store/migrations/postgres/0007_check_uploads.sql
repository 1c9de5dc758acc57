-- The report checker's uploads (`/check`), kept across restarts: one row per uploaded
-- file with its owner (`visitor:<hash of the browser's id>` or `user:NAME`), the client
-- address, the file's name, size and SHA-256, and the report as read (JSON, the section
-- texts cut to a bounded excerpt) or why it could not be read. The original bytes are not
-- kept. `title`, `format`, `errors` and `warnings` are what the upload lists show (the
-- counts follow the corrections). Rows older than the retention are deleted with their
-- corrections. Same columns on SQLite.
CREATE TABLE check_uploads (
    id          TEXT PRIMARY KEY NOT NULL,
    batch       TEXT NOT NULL,
    owner       TEXT NOT NULL,
    client      TEXT NOT NULL,
    name        TEXT NOT NULL,
    size        BIGINT NOT NULL CHECK (size >= 0),
    sha256      TEXT NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    report      TEXT,
    error       TEXT,
    title       TEXT NOT NULL,
    format      TEXT NOT NULL,
    errors      BIGINT NOT NULL CHECK (errors >= 0),
    warnings    BIGINT NOT NULL CHECK (warnings >= 0),
    CHECK ((report IS NULL) <> (error IS NULL))
);
CREATE INDEX check_uploads_by_owner ON check_uploads (owner, uploaded_at);
CREATE INDEX check_uploads_by_batch ON check_uploads (batch);
CREATE INDEX check_uploads_by_time ON check_uploads (uploaded_at);

-- Cells corrected by hand, oldest first (`seq` 1, 2, …). Values are decimal text (NULL:
-- blank).
CREATE TABLE check_corrections (
    upload_id TEXT NOT NULL REFERENCES check_uploads (id) ON DELETE CASCADE,
    seq       BIGINT NOT NULL CHECK (seq > 0),
    cell      TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    who       TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    note      TEXT,
    PRIMARY KEY (upload_id, seq)
);
