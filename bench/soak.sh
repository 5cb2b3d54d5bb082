#!/usr/bin/env bash
# Soak: 60 seconds of mixed reads and writes (95 % reads of four kinds, 5 % PATCHes) with 64
# connections against a release server over a seeded SQLite database, sampling the server's
# resident memory every 5 seconds. Prints req/s, errors and the RSS series.
#
#   bench/soak.sh [SECONDS] [N]      # defaults: 60 s, 10000 events
#   SOAK_SEARCH=0 bench/soak.sh      # without the search among the reads
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TOTAL=${1:-60}
N=${2:-10000}
PORT=18281
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
cargo build --release --locked -q -p eventdir
BIN=target/release/eventdir
WORK=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
URL="sqlite://$WORK/soak.db?mode=rwc"
DATABASE_URL=$URL $BIN seed --synthetic "$N" --as-of 2026-11-28 >&2
TOKEN=$(DATABASE_URL=$URL $BIN token create --name soak --role admin)
DATABASE_URL=$URL EVENTDIR_WRITE_RATE_LIMIT=0 RUST_LOG=warn $BIN serve --bind "127.0.0.1:$PORT" 2> "$WORK/server.log" &
SERVER=$!
until curl -fs -o /dev/null "http://127.0.0.1:$PORT/readyz"; do sleep 0.05; done
BASE="http://127.0.0.1:$PORT"
SLUG=$(curl -fs "$BASE/api/v1/events?kind=kcd&upcoming=true&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["slug"])')
SPEAKER=$(curl -fs "$BASE/api/v1/speakers?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["slug"])')
SEARCH_PATH="/api/v1/search?q=lima"
[ "${SOAK_SEARCH:-1}" = 0 ] && SEARCH_PATH="/api/v1/events?region=europe&limit=20"
cat > "$WORK/soak.lua" <<LUA
local n = 0
local paths = {
  "/api/v1/events?kind=kcd&upcoming=true&limit=20",
  "/api/v1/events/$SLUG",
  "$SEARCH_PATH",
  "/api/v1/speakers/$SPEAKER",
}
request = function()
  n = n + 1
  if n % 20 == 0 then
    return wrk.format("PATCH", "/api/v1/events/$SLUG", {
      ["Authorization"] = "Bearer $TOKEN",
      ["Content-Type"] = "application/merge-patch+json",
      ["If-Match"] = "*",
    }, '{"attendees": ' .. (n % 5000) .. '}')
  end
  -- Vary the page so that the cache holds many entries, not one.
  local p = paths[(n % #paths) + 1]
  if n % 3 == 0 then p = "/api/v1/events?kind=kcd&limit=20&year=" .. (2021 + n % 10) end
  return wrk.format("GET", p)
end
LUA
(for _ in $(seq 0 5 "$SECONDS_TOTAL"); do awk '/VmRSS/ {printf "%d ", $2/1024}' "/proc/$SERVER/status"; sleep 5; done; echo) > "$WORK/rss.txt" &
SAMPLER=$!
wrk -t2 -c64 -d"${SECONDS_TOTAL}s" --latency -s "$WORK/soak.lua" "$BASE" | tee "$WORK/wrk.txt"
wait "$SAMPLER" || true
echo "RSS every 5 s (MB): $(cat "$WORK/rss.txt")"
echo "peak RSS: $(awk '/VmHWM/ {printf "%d MB", $2/1024}' "/proc/$SERVER/status")"
grep -E "Requests/sec|Non-2xx|Socket errors" "$WORK/wrk.txt" || true
