-- Users: a person may hold several roles (`role` stays the primary one, `other_roles` the
-- rest as space-separated keys, e.g. 'office_head leader'), the time of the last
-- successful sign-in, and whether the password must be changed before anything else
-- (a temporary password set by an administrator, or one that fails today's rules).
-- Same columns on PostgreSQL.
ALTER TABLE users ADD COLUMN other_roles TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_login_at TEXT;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
