-- Sessions with an idle timeout and 记住我, and personal API tokens (issue 13). Same
-- columns on SQLite.
--
-- `last_seen_at`: the session's last use, refreshed at most once a minute (NULL for a
-- session from before this migration: its creation counts). `persistent`: a 记住我 login
-- (the cookie outlives the browser; no idle timeout, only `expires_at`).
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMPTZ;
ALTER TABLE sessions ADD COLUMN persistent BOOLEAN NOT NULL DEFAULT FALSE;

-- Personal API tokens: `id` is the SHA-256 (hex) of the token (shown to its owner once),
-- `prefix` its first characters (to recognise it in the list). A revoked token stays
-- listed with `revoked_at`; `last_used_at` is refreshed at most once a minute.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_name    TEXT NOT NULL REFERENCES users (name),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_name);
