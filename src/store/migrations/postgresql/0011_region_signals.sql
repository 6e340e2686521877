-- Issue 18: Takedown's region signals of an image (matching::RegionsText: per region its index,
-- quality and hash in hex), kept beside its PDQ so that discovery finds the crops, borders,
-- captions, screenshots and collages PDQ misses. '' for a video or an image sent without them.
-- Erased with the hash.
ALTER TABLE media_hashes ADD COLUMN regions TEXT NOT NULL DEFAULT '';
