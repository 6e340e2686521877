-- Issue 19, item 4: a notice's subject, text and HTML name the survivor when she chose to be
-- named, so they are sealed by casework (XChaCha20-Poly1305, the key outside the database) and
-- kept here as one sealed text; the plaintext columns stay empty. Rows drafted before this
-- migration are sealed when the server or a worker starts (casework::SealStoredNotices), which
-- empties their plaintext columns.
ALTER TABLE notices ADD COLUMN sealed_text TEXT NOT NULL DEFAULT '';
