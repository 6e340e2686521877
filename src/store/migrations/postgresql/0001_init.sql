-- The first schema, PostgreSQL: the same tables as migrations/sqlite/0001_init.sql, in
-- PostgreSQL's types. Times are Unix milliseconds (BIGINT); flags are 0/1 SMALLINTs and states are
-- the domain's names, so one set of queries serves both backends. Sequences never reuse an id:
-- events and the partner feed still name erased records.

CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  disabled SMALLINT NOT NULL CHECK (disabled IN (0, 1)),
  created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE cases (
  id BIGSERIAL PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  pin_hash TEXT NOT NULL,
  status TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  language TEXT NOT NULL,
  consent_share SMALLINT NOT NULL CHECK (consent_share IN (0, 1)),
  contact_ciphertext TEXT NOT NULL,
  assigned_user BIGINT REFERENCES users (id),
  created_at BIGINT NOT NULL,
  closed_at BIGINT
);
CREATE INDEX cases_created ON cases (created_at, id);
CREATE INDEX cases_assigned ON cases (assigned_user);

CREATE TABLE media_hashes (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases (id),
  kind TEXT NOT NULL,
  pdq TEXT NOT NULL,
  quality INTEGER NOT NULL,
  md5 TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  origin TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX media_hashes_case ON media_hashes (case_id);

-- The partner feed: additions of consenting cases' hashes and their deletions, in cursor order.
-- No foreign key: deletions outlive the hash.
CREATE TABLE hash_feed (
  cursor BIGSERIAL PRIMARY KEY,
  hash_id BIGINT NOT NULL,
  deleted SMALLINT NOT NULL CHECK (deleted IN (0, 1)),
  pdq TEXT NOT NULL,
  quality INTEGER NOT NULL,
  kind TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX hash_feed_hash ON hash_feed (hash_id);

CREATE TABLE sightings (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases (id),
  url TEXT NOT NULL,
  normalized_url TEXT NOT NULL,
  platform TEXT NOT NULL,
  host TEXT NOT NULL,
  state TEXT NOT NULL,
  -- Set once the sighting is first notified, so counts still include it after removal.
  notified_ever SMALLINT NOT NULL DEFAULT 0 CHECK (notified_ever IN (0, 1)),
  first_seen BIGINT NOT NULL,
  last_checked BIGINT,
  evidence_json TEXT NOT NULL,
  UNIQUE (case_id, normalized_url)
);

CREATE TABLE notices (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases (id),
  recipient_kind TEXT NOT NULL,
  recipient TEXT NOT NULL,
  channel TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  body TEXT NOT NULL,
  idempotency_key TEXT UNIQUE,  -- NULL when none, so keyless notices never collide
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  deadline BIGINT,
  outcome TEXT NOT NULL
);
CREATE INDEX notices_case ON notices (case_id);

CREATE TABLE notice_sightings (
  notice_id BIGINT NOT NULL REFERENCES notices (id),
  sighting_id BIGINT NOT NULL REFERENCES sightings (id),
  PRIMARY KEY (notice_id, sighting_id)
);
CREATE INDEX notice_sightings_sighting ON notice_sightings (sighting_id);

CREATE TABLE notes (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases (id),
  author_user BIGINT NOT NULL,
  ciphertext TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX notes_case ON notes (case_id);

-- The audit trail. No foreign key on case_id: events outlive an erased case.
CREATE TABLE events (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX events_case ON events (case_id, id);

CREATE TABLE partners (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,  -- space-separated
  revoked SMALLINT NOT NULL CHECK (revoked IN (0, 1)),
  created_at BIGINT NOT NULL
);

-- No foreign key on hash_id: a partner may report on a hash whose case was erased since.
CREATE TABLE feedback (
  id BIGSERIAL PRIMARY KEY,
  partner_id BIGINT NOT NULL REFERENCES partners (id),
  hash_id BIGINT NOT NULL,
  verdict TEXT NOT NULL,
  url TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX feedback_hash ON feedback (hash_id);

CREATE TABLE throttles (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start BIGINT NOT NULL,
  locked_until BIGINT NOT NULL
);

CREATE TABLE jobs (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  run_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  idempotency_key TEXT UNIQUE,  -- NULL when none
  state TEXT NOT NULL,
  lease_owner TEXT NOT NULL,
  lease_until BIGINT NOT NULL,
  last_error TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_at);
