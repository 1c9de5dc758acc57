-- State that several server processes on one database share (issue 18 §3): the rate
-- limit of the report checker's anonymous API, one row per bucket and key (the client
-- address), holding the GCRA "theoretical arrival time" of the next request in
-- milliseconds since 1970 (integer arithmetic, the same on both backends). Rows whose
-- time has passed say nothing and are deleted now and then. Installation-wide: no
-- agency. Same columns on SQLite.
CREATE TABLE rate_limits (
    bucket TEXT NOT NULL,
    key    TEXT NOT NULL,
    tat_ms BIGINT NOT NULL,
    PRIMARY KEY (bucket, key)
);
CREATE INDEX rate_limits_by_tat ON rate_limits (tat_ms);
