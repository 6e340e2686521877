-- Issue 7, notices: the outbox (PostgreSQL). A notice is drafted (rendered from the legal profile
-- and the template, with the required elements it lacks), approved, then sent (email, webhook) or
-- submitted (a web form a caseworker filled); its deadline starts when it goes out. rung: 0 the
-- platform, 1 the platform again, 2 the hosting provider, 3 the registrar, 4 a CDN, 5 a regulator.

ALTER TABLE notices ADD COLUMN state TEXT NOT NULL DEFAULT 'draft';
ALTER TABLE notices ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE notices ADD COLUMN html TEXT NOT NULL DEFAULT '';
ALTER TABLE notices ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE notices ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE notices ADD COLUMN missing_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE notices ADD COLUMN rung INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notices ADD COLUMN deadline_hours INTEGER NOT NULL DEFAULT 72;
ALTER TABLE notices ADD COLUMN approved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE notices ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
CREATE INDEX notices_state ON notices (state);

-- She authorised the organisation to ask for removal on her behalf (at intake): notices under
-- every legal profile need it.
ALTER TABLE cases ADD COLUMN authorised SMALLINT NOT NULL DEFAULT 0 CHECK (authorised IN (0, 1));
