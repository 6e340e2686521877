-- Issue 8, casework (PostgreSQL): messages from the caseworker to the survivor.
--
-- A message is a note she may read on her status page: sealed like every note (same key and
-- context), erased with the case. Notes written before this migration stay staff-only.
ALTER TABLE notes ADD COLUMN to_survivor SMALLINT NOT NULL DEFAULT 0 CHECK (to_survivor IN (0, 1));
