#!/usr/bin/env bash
# Import benchmark: a deterministic synthetic Hugo corpus imported twice (first import, then
# the unchanged re-import) on SQLite and on PostgreSQL, with wall time and peak memory.
#
#   bench/import.sh [POSTS]          (default 10000)
#
# PostgreSQL is taken from EVENTDIR_BENCH_POSTGRES_URL (default the local server, user
# postgres); a database named eventdir_bench_import is created and dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
PG_ADMIN=${EVENTDIR_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
BIN=target/release/eventdir
python3 bench/gen_corpus.py "$WORK/corpus" "$N"
echo "corpus: $N posts, $(du -sh "$WORK/corpus" | cut -f1)"

run() { # label, database url
  local label=$1 url=$2 out
  out=$( { /usr/bin/time -f "TIME %e %M" "$BIN" import "$WORK/corpus" --database-url "$url" >/dev/null; } 2>&1 | grep -E '^(TIME|files read)')
  local secs kb summary
  secs=$(echo "$out" | awk '/^TIME/ {print $2}')
  kb=$(echo "$out" | awk '/^TIME/ {print $3}')
  summary=$(echo "$out" | grep '^files read')
  printf '| %-22s | %8.2f | %8.0f | %6.1f | %s |\n' "$label" "$secs" "$(echo "$N / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$summary"
}

echo
echo "| run                    |  seconds |  posts/s | RSS MB | summary |"
echo "| ---------------------- | -------- | -------- | ------ | ------- |"
run "sqlite first import" "sqlite://$WORK/bench.db"
run "sqlite re-import" "sqlite://$WORK/bench.db"
if pg_isready -q -h 127.0.0.1 -p 5432; then
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS eventdir_bench_import WITH (FORCE)" -c "CREATE DATABASE eventdir_bench_import"
  PG_URL="${PG_ADMIN%/*}/eventdir_bench_import"
  run "postgres first import" "$PG_URL"
  run "postgres re-import" "$PG_URL"
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS eventdir_bench_import WITH (FORCE)"
else
  echo "(PostgreSQL is not running on 127.0.0.1:5432: skipped)"
fi
