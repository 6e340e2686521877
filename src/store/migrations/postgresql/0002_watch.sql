-- Issue 6, discovery and watch (PostgreSQL): pausing a case's watching, where a sighting came from
-- (reposts found by a watched source wait for a caseworker's confirmation), which case a job works
-- for (so a case's crawl progress is counted without parsing payloads), and the watched sources.

ALTER TABLE cases ADD COLUMN watch_paused SMALLINT NOT NULL DEFAULT 0 CHECK (watch_paused IN (0, 1));

ALTER TABLE sightings ADD COLUMN origin TEXT NOT NULL DEFAULT 'survivor';
ALTER TABLE sightings ADD COLUMN needs_review SMALLINT NOT NULL DEFAULT 0
  CHECK (needs_review IN (0, 1));
CREATE INDEX sightings_case ON sightings (case_id, state);

ALTER TABLE jobs ADD COLUMN case_id BIGINT;  -- no foreign key: jobs of an erased case are deleted with it
CREATE INDEX jobs_case ON jobs (case_id, state);

-- A page, feed, sitemap or channel preview crawled on a schedule for reposts. case_id NULL: the
-- organisation's, matched against every open case whose watching is not paused.
CREATE TABLE watched_sources (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT REFERENCES cases (id),
  url TEXT NOT NULL,
  kind TEXT NOT NULL,
  max_depth INTEGER NOT NULL,
  max_pages INTEGER NOT NULL,
  every_ms BIGINT NOT NULL,
  paused SMALLINT NOT NULL CHECK (paused IN (0, 1)),
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_crawled BIGINT,
  last_outcome_json TEXT NOT NULL,
  etag TEXT NOT NULL,
  last_modified TEXT NOT NULL
);
CREATE UNIQUE INDEX watched_sources_url ON watched_sources (COALESCE(case_id, 0), url);
