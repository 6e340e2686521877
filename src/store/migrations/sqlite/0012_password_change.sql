-- Issue 20: a password an admin reset is known to two people; the account must set its own
-- before it can do anything else (1 from the reset until the owner changes it).
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
  CHECK (must_change_password IN (0, 1));
