-- Issue 20: the organisation that notices go out in the name of, edited by admins in the web
-- page (the server's --org-* flags only stand in until one is saved). One row at most.
CREATE TABLE organisation (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  address TEXT NOT NULL,
  website TEXT NOT NULL,
  signatory TEXT NOT NULL,
  signatory_role TEXT NOT NULL
);
