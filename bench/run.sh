#!/usr/bin/env bash
# Load benchmark: eventdir against the ceiling of this machine (bench/limit), per backend and
# dataset size, interleaved run by run. Prints a Markdown table; raw outputs go to
# bench/results/.
#
#   bench/run.sh                       # sizes 1000 10000 100000 1000000, sqlite and postgres
#   BENCH_SIZES="10000" BENCH_BACKENDS=sqlite BENCH_DURATION=5 bench/run.sh
#   BENCH_SKIP="postgres:1000000" bench/run.sh      # leave out backend:N pairs
#
# Needs wrk (installed from Debian when missing) and, for postgres, the server at
# $BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${BENCH_SIZES:-"1000 10000 100000 1000000"}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
AS_OF=${BENCH_AS_OF:-2026-11-28}
OUT=bench/results
PORT=18181
LIMIT_PORT=18182

command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }
cargo build --release --locked -q -p eventdir -p eventdir-limit
BIN=target/release/eventdir
LIMIT=target/release/eventdir-limit
mkdir -p "$OUT"
# Only this script's own outputs: the soak and fuzz figures beside them stay.
rm -f "$OUT"/wrk-*.txt "$OUT"/seed-*.txt "$OUT"/server-*.log "$OUT"/*.tsv "$OUT"/table.md
WORK=$(mktemp -d)
SERVER=
LIMIT_PID=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  [ -n "$LIMIT_PID" ] && kill "$LIMIT_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The mixed load: 95 % the upcoming-KCD list, 5 % PATCHes of one event.
cat > "$WORK/mixed.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  if n % 20 == 0 then
    return wrk.format("PATCH", os.getenv("EVENT_PATH"), {
      ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
      ["Content-Type"] = "application/merge-patch+json",
      ["If-Match"] = "*",
    }, '{"attendees": ' .. (n % 5000) .. '}')
  end
  return wrk.format("GET", os.getenv("LIST_PATH"))
end
LUA

wait_ready() { # url → milliseconds until the first 200
  local start end
  start=$(date +%s%N)
  for _ in $(seq 1 2000); do
    if curl -fs -o /dev/null "$1"; then
      end=$(date +%s%N)
      echo $(((end - start) / 1000000))
      return 0
    fi
    sleep 0.005
  done
  echo "server at $1 did not answer" >&2
  return 1
}

# wrk output → "req/s p50_ms p99_ms errors"
parse() {
  awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx responses/ { err += $5 }
    /Socket errors/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    function ms(v) {
      if (v ~ /us$/) { sub("us", "", v); return v / 1000 }
      if (v ~ /ms$/) { sub("ms", "", v); return v + 0 }
      if (v ~ /s$/) { sub("s", "", v); return v * 1000 }
      return v
    }
    END { printf "%.0f %.2f %.2f %d\n", rps, ms(p50), ms(p99), err + 0 }
  ' "$1"
}

printf 'backend\tN\tscenario\ttarget\tround\treq_s\tp50_ms\tp99_ms\terrors\n' > "$OUT/runs.tsv"
printf 'backend\tN\tseed_rows_s\tstartup_ms\tpeak_rss_mb\n' > "$OUT/servers.tsv"

for backend in $BACKENDS; do
  for n in $SIZES; do
    case " ${BENCH_SKIP:-} " in *" $backend:$n "*) continue ;; esac
    case $backend in
      sqlite) URL="sqlite://$WORK/bench-$n.db?mode=rwc" ;;
      postgres)
        psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS eventdir_bench_$n" >/dev/null
        psql "$PG_URL/postgres" -qc "CREATE DATABASE eventdir_bench_$n" >/dev/null
        URL="$PG_URL/eventdir_bench_$n" ;;
    esac
    echo "== $backend, N=$n: seeding" >&2
    DATABASE_URL=$URL $BIN seed --synthetic "$n" --as-of "$AS_OF" | tee "$OUT/seed-$backend-$n.txt" >&2
    seed_rate=$(grep -o '[0-9]* rows/s' "$OUT/seed-$backend-$n.txt" | cut -d' ' -f1)
    TOKEN=$(DATABASE_URL=$URL $BIN token create --name bench --role admin)
    export TOKEN
    # Start on the existing database and time the first 200.
    DATABASE_URL=$URL EVENTDIR_WRITE_RATE_LIMIT=0 EVENTDIR_LOG_FORMAT=text RUST_LOG=warn \
      $BIN serve --bind "127.0.0.1:$PORT" 2> "$OUT/server-$backend-$n.log" &
    SERVER=$!
    startup=$(wait_ready "http://127.0.0.1:$PORT/api/v1/events?limit=1")

    LIST_PATH="/api/v1/events?kind=kcd&upcoming=true&limit=20"
    slug=$(curl -fs "http://127.0.0.1:$PORT$LIST_PATH" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["slug"])')
    EVENT_PATH="/api/v1/events/$slug"
    SEARCH_PATH="/api/v1/search?q=lima%20platform&limit=20"
    export LIST_PATH EVENT_PATH
    routes=()
    i=0
    for path in "$LIST_PATH" "$EVENT_PATH" "$SEARCH_PATH"; do
      curl -fs "http://127.0.0.1:$PORT$path" > "$WORK/body-$i"
      routes+=("$path=$WORK/body-$i")
      i=$((i + 1))
    done
    ETAG=$(curl -fsI "http://127.0.0.1:$PORT$LIST_PATH" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')
    $LIMIT --bind "127.0.0.1:$LIMIT_PORT" "${routes[@]}" &
    LIMIT_PID=$!
    wait_ready "http://127.0.0.1:$LIMIT_PORT$LIST_PATH" >/dev/null

    for round in $(seq 1 "$ROUNDS"); do
      for scenario in a b c d e; do
        for target in limit eventdir; do
          port=$PORT
          [ $target = limit ] && port=$LIMIT_PORT
          base="http://127.0.0.1:$port"
          raw="$OUT/wrk-$backend-$n-$scenario-$target-$round.txt"
          case $scenario in
            a) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base$LIST_PATH" > "$raw" ;;
            b) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base$EVENT_PATH" > "$raw" ;;
            c) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base$SEARCH_PATH" > "$raw" ;;
            d) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "If-None-Match: $ETAG" "$base$LIST_PATH" > "$raw" ;;
            e) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/mixed.lua" "$base" > "$raw" ;;
          esac
          read -r rps p50 p99 errors < <(parse "$raw")
          printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$n" "$scenario" "$target" "$round" "$rps" "$p50" "$p99" "$errors" >> "$OUT/runs.tsv"
          echo "   $scenario $target round $round: $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors" >&2
        done
      done
    done
    rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
    printf '%s\t%s\t%s\t%s\t%s\n' "$backend" "$n" "$seed_rate" "$startup" "$((rss_kb / 1024))" >> "$OUT/servers.tsv"
    kill "$LIMIT_PID" "$SERVER"
    wait "$LIMIT_PID" "$SERVER" 2>/dev/null || true
    LIMIT_PID=
    SERVER=
    [ "$backend" = postgres ] && psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS eventdir_bench_$n" >/dev/null
    rm -f "$WORK"/bench-"$n".db*
  done
done

python3 bench/table.py "$OUT/runs.tsv" "$OUT/servers.tsv" | tee "$OUT/table.md"
