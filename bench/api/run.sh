#!/usr/bin/env bash
# The API benchmark: wrk against POST /api/v1/match and POST /api/v1/intake on loopback, SQLite
# backend, a fresh data folder with SEED consenting cases (two hashes each) in the partner bank.
# Prints a table, then one JSON line. Usage: bench/api/run.sh BUILD_DIR [SECONDS] [SEED]
set -euo pipefail
BUILD=${1:?usage: run.sh BUILD_DIR [SECONDS] [SEED]}
SECONDS_EACH=${2:-15}
SEED=${3:-2000}
HERE=$(cd "$(dirname "$0")" && pwd)
TAKEDOWN="$BUILD/src/cli/takedown"
DATA=$(mktemp -d /tmp/takedown-apibench-XXXXXX)
LOG="$DATA/serve.log"
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT

"$TAKEDOWN" serve --data "$DATA" --listen 127.0.0.1:0 > "$LOG" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q "listening on" "$LOG" && break; sleep 0.1; done
PORT=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$LOG")
PASSWORD=$(sed -n 's/^  password: //p' "$LOG")
URL="http://127.0.0.1:$PORT"

# Log in, make a partner key, seed the bank.
COOKIES="$DATA/cookies"
LOGIN=$(curl -s -c "$COOKIES" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" "$URL/api/v1/login")
CSRF=$(echo "$LOGIN" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
KEY=$(curl -s -b "$COOKIES" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":["match"]}' "$URL/api/v1/partners" |
  sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
python3 - "$URL" "$SEED" <<'PY'
import json, random, sys, urllib.request
url, n = sys.argv[1], int(sys.argv[2])
random.seed(1)
for i in range(n):
    hashes = [{"pdq": "%064x" % random.getrandbits(256), "quality": 90} for _ in range(2)]
    body = json.dumps({"language": "en", "consent_share": True, "images": hashes}).encode()
    req = urllib.request.Request(url + "/api/v1/intake", body, {"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
PY

run() {  # name script connections
  local out="$DATA/${2%.lua}.txt" rps p99 p50
  TAKEDOWN_KEY=$KEY wrk -t2 -c"$3" -d"${SECONDS_EACH}s" --latency -s "$HERE/$2" "$URL" > "$out"
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
  printf '| %-26s | %5s | %10s | %8s | %8s | %6s |\n' "$1" "$3" "$rps" "$p50" "$p99" "${non2xx:-0}"
  echo "\"$1\":{\"rps\":$rps,\"p50\":\"$p50\",\"p99\":\"$p99\",\"non2xx\":${non2xx:-0}}" >> "$DATA/json"
}

echo "takedown serve, SQLite, $SEED consenting cases seeded, wrk -t2, ${SECONDS_EACH}s each, $(nproc) cores"
echo
printf '| %-26s | %5s | %10s | %8s | %8s | %6s |\n' endpoint conns "requests/s" p50 p99 non2xx
echo '|----------------------------|------:|-----------:|---------:|---------:|-------:|'
run "POST /api/v1/match" match.lua 32
run "POST /api/v1/intake" intake.lua 8
echo
echo "{$(paste -sd, "$DATA/json")}"
