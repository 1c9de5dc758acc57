-- Sign-in throttling: failed logins per account (`user:NAME`) and per client address
-- (`addr:ADDRESS`), the time of the last one, and a lock. Cleared for an account by a
-- successful login or by an administrator (`user.unlock`). Same columns on PostgreSQL.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY NOT NULL,
    failures     INTEGER NOT NULL CHECK (failures >= 0),
    first_at     TEXT NOT NULL,
    last_at      TEXT NOT NULL,
    locked_until TEXT
);
