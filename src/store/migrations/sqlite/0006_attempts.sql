-- Issue 19, items 7, 8 and 15: attempts counted per key with a growing wait instead of a lock,
-- login addresses, and everything with an address or a secret's lifetime purged when done.
--
-- throttles: one row per key ("case:17", "pin-addr:203.0.113.5", "login-user:admin", ...); the
-- attempts since the key was last quiet, the latest one, the earliest next one, and when the row
-- may be deleted (the purge). The old rows counted failures towards a lock; they are dropped (at
-- worst a guesser gets a fresh start, which the new limits allow anyway).
DROP TABLE throttles;
CREATE TABLE throttles (
  key TEXT PRIMARY KEY,
  attempts INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX throttles_expiry ON throttles (expires_at);

-- The addresses (IPv6: their /64) an account logged in from lately: the right password from one
-- of them passes the account's guessing wait. Kept until expires_at, then purged.
CREATE TABLE login_addresses (
  user_id INTEGER NOT NULL REFERENCES users (id),
  address TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, address)
);
CREATE INDEX login_addresses_expiry ON login_addresses (expires_at);

CREATE INDEX sessions_expiry ON sessions (expires_at);
