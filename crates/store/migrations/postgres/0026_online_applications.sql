-- Applications the public submits online (issue 17 §3): how the applicant follows one.
-- The application itself is an ordinary row of `applications` (channel 网上提交); this
-- table keeps only the 查询码 and the phone number's digest, both SHA-256 (the code is
-- random, 60 bits; the phone is the second factor), never the code itself. Row-level
-- security as every record table (migration 0013).
CREATE TABLE online_applications (
    agency_id      BIGINT NOT NULL,
    application_id TEXT NOT NULL,
    code_hash      TEXT NOT NULL,
    phone_hash     TEXT NOT NULL,
    submitted_at   TIMESTAMPTZ NOT NULL,
    client         TEXT NOT NULL,
    PRIMARY KEY (agency_id, application_id),
    UNIQUE (agency_id, code_hash)
);
ALTER TABLE online_applications ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON online_applications USING (gongkai_agency_visible(agency_id))
    WITH CHECK (gongkai_agency_visible(agency_id));
