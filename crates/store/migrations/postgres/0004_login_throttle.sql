-- Sign-in throttling: failed logins per account (`user:NAME`) and per client address
-- (`addr:ADDRESS`), the time of the last one, and a lock. Cleared for an account by a
-- successful login or by an administrator (`user.unlock`). Same columns on SQLite.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY NOT NULL,
    failures     BIGINT NOT NULL CHECK (failures >= 0),
    first_at     TIMESTAMPTZ NOT NULL,
    last_at      TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ
);
