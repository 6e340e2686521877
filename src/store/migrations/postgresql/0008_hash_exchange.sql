-- Issue 22: the hash exchange in StopNCII's shape (the feed Meta's HMA reads). One row per value
-- partners exchange (an image's PDQ, a video's file MD5) that was ever shared, with the hashes of
-- consenting cases that carry it. A value outlives its cases: when the last of them is erased it
-- stays, with no case link, so partners that hold it are told to delete it.
--
-- modified_at only grows: each write sets it above every value already there (under the feed's
-- lock), so partners page on (modified_at, id) and never miss a change committed after they read.
CREATE TABLE shared_values (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  shared_at BIGINT NOT NULL,
  modified_at BIGINT NOT NULL,
  UNIQUE (kind, value)
);
CREATE INDEX shared_values_modified ON shared_values (modified_at, id);
CREATE INDEX shared_values_value ON shared_values (value);

-- No foreign key on hash_id: the row outlives an erased case's hash, marked withdrawn.
CREATE TABLE exchanged_hashes (
  hash_id BIGINT PRIMARY KEY,
  value_id BIGINT NOT NULL REFERENCES shared_values (id),
  withdrawn SMALLINT NOT NULL CHECK (withdrawn IN (0, 1))
);
CREATE INDEX exchanged_hashes_value ON exchanged_hashes (value_id);

-- A partner's current word on a value (StopNCII's CSP feedback): one per value and partner.
CREATE TABLE value_feedback (
  value_id BIGINT NOT NULL REFERENCES shared_values (id),
  partner_id BIGINT NOT NULL REFERENCES partners (id),
  verdict TEXT NOT NULL,
  tags_json TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (value_id, partner_id)
);

-- How far each partner key has read the exchange: the last (modified_at, id) it was sent. A value
-- no consenting case carries any more is kept only while a key read past its sharing but not yet
-- past its withdrawal; then it is deleted, so erasure leaves nothing of hers once partners know.
CREATE TABLE exchange_readers (
  partner_id BIGINT PRIMARY KEY REFERENCES partners (id),
  read_to BIGINT NOT NULL,
  read_to_id BIGINT NOT NULL
);

-- The consenting cases' hashes already stored: images by PDQ, videos by their file's MD5.
INSERT INTO shared_values (kind, value, shared_at, modified_at)
SELECT h.kind, CASE WHEN h.kind = 'image' THEN h.pdq ELSE h.md5 END AS v, MIN(h.created_at),
       MAX(h.created_at)
FROM media_hashes h JOIN cases c ON c.id = h.case_id
WHERE c.consent_share = 1 AND (h.kind = 'image' OR h.md5 <> '')
GROUP BY h.kind, v;

INSERT INTO exchanged_hashes (hash_id, value_id, withdrawn)
SELECT h.id, s.id, 0
FROM media_hashes h JOIN cases c ON c.id = h.case_id
JOIN shared_values s ON s.kind = h.kind
  AND s.value = CASE WHEN h.kind = 'image' THEN h.pdq ELSE h.md5 END
WHERE c.consent_share = 1;
