-- Issue 7, notices (PostgreSQL): replies, the organisation's settings and the survivor's choice
-- to be named.
--
-- A notice's reply address is notice+<reply_token>@<reply domain>: a random token, so a stranger
-- cannot attach mail to a notice by guessing its number.
ALTER TABLE notices ADD COLUMN reply_token TEXT NOT NULL DEFAULT '';
CREATE INDEX notices_reply_token ON notices (reply_token);

-- Mail that came back about a notice: a person's answer, an auto-reply or a bounce. The sender,
-- subject and text are sealed like notes (a platform's answer may quote her name or the URLs).
CREATE TABLE notice_replies (
  id BIGSERIAL PRIMARY KEY,
  notice_id BIGINT NOT NULL REFERENCES notices (id),
  case_id BIGINT NOT NULL REFERENCES cases (id),
  message_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  ciphertext TEXT NOT NULL,
  UNIQUE (notice_id, message_id)
);
CREATE INDEX notice_replies_case ON notice_replies (case_id);

-- Where the reply poller stopped in each mailbox (IMAP UIDVALIDITY and the last UID read).
CREATE TABLE mailbox_cursors (
  mailbox TEXT PRIMARY KEY,
  uidvalidity BIGINT NOT NULL,
  last_uid BIGINT NOT NULL
);

-- The organisation's settings, changed by admins (send_automatically, ...).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- At intake she may choose to be named in notices: 0 never, 1 her name, 2 her name and contact.
-- The name is sealed like the contact.
ALTER TABLE cases ADD COLUMN named_in_notices SMALLINT NOT NULL DEFAULT 0
  CHECK (named_in_notices IN (0, 1, 2));
ALTER TABLE cases ADD COLUMN name_ciphertext TEXT NOT NULL DEFAULT '';
