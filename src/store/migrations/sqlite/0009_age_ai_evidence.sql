-- Issue 21: the law a notice cites depends on the person's age and on whether the images were
-- made or altered by AI; her contact for notices is her own explicit choice, apart from the
-- contact she gave the organisation; a link that neither matched her hashes nor came from her is
-- named in a notice only once a caseworker confirmed it (confirmed_by, the actor).
ALTER TABLE cases ADD COLUMN age TEXT NOT NULL DEFAULT 'adult'
  CHECK (age IN ('adult', 'minor_when_made', 'minor_now'));
ALTER TABLE cases ADD COLUMN ai_made INTEGER NOT NULL DEFAULT 0 CHECK (ai_made IN (0, 1));
ALTER TABLE cases ADD COLUMN notice_contact_ciphertext TEXT NOT NULL DEFAULT '';
ALTER TABLE sightings ADD COLUMN confirmed_by TEXT NOT NULL DEFAULT '';
