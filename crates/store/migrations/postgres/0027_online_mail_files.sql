-- Online applications, issue 17 §3 continued: the office's mail server, the e-mail
-- notices to online applicants (an outbox written in the transaction of the event, sent
-- later by `gongkai serve`), and the identity documents uploaded with the online form.
-- ../sqlite/0027_online_mail_files.sql makes the same tables on SQLite. Row-level
-- security as every record table (migration 0013).

-- The office's SMTP server (one row per agency; none: no e-mail, the status page only).
-- `security`: none, starttls or tls (implicit TLS). The password is kept as given (the
-- server needs it to sign in); it is never shown back, logged or audited.
CREATE TABLE mail_settings (
    agency_id    BIGINT PRIMARY KEY,
    host         TEXT NOT NULL,
    port         INTEGER NOT NULL,
    security     TEXT NOT NULL,
    username     TEXT NOT NULL,
    password     TEXT NOT NULL,
    from_address TEXT NOT NULL,
    from_name    TEXT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    updated_by   TEXT NOT NULL
);

-- One e-mail to an online applicant about one event of the application (`event_seq`):
-- `kind` received, correction, extended or replied. Pending while `sent_at` is empty and
-- `failed_at` too; `claimed_until` keeps two senders from sending one notice twice;
-- `last_error` is the last failure, shown to the office.
CREATE TABLE mail_outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id       BIGINT NOT NULL,
    application_id  TEXT NOT NULL,
    event_seq       BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_until   TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ,
    failed_at       TIMESTAMPTZ,
    last_error      TEXT,
    subject         TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_by_application ON mail_outbox (agency_id, application_id);

-- The identity documents (证件扫描件) uploaded with an online application: one or two
-- files, JPEG, PNG or PDF (told by their bytes), kept with the application; the office
-- alone sees them.
CREATE TABLE online_files (
    agency_id      BIGINT NOT NULL,
    application_id TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    file_name      TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    size           BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    content        BYTEA NOT NULL,
    PRIMARY KEY (agency_id, application_id, seq)
);

ALTER TABLE mail_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON mail_settings USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
ALTER TABLE mail_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON mail_outbox USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
ALTER TABLE online_files ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON online_files USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
