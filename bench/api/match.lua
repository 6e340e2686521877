-- wrk script: POST /api/v1/match with one PDQ hash per request, as a platform checking uploads.
-- The API key comes from the environment (TAKEDOWN_KEY); the hash rotates over a few values so
-- some requests match and some do not.
local key = os.getenv("TAKEDOWN_KEY")
local hashes = {
  "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c98dd",
  "0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff",
  "9f3a0c55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55",
}
local n = 0
request = function()
  n = n + 1
  local body = '{"hashes":["' .. hashes[(n % #hashes) + 1] .. '"]}'
  return wrk.format("POST", "/api/v1/match",
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key},
                    body)
end
