-- wrk script: POST /api/v1/intake, a survivor's report of two images and one URL.
request = function()
  local body = '{"language":"en","consent_share":true,"images":[' ..
    '{"pdq":"f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22","quality":90},' ..
    '{"pdq":"0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff","quality":80}],' ..
    '"urls":["https://www.instagram.com/p/abc/"]}'
  return wrk.format("POST", "/api/v1/intake", {["Content-Type"] = "application/json"}, body)
end
