#!/usr/bin/env bash
# Fuzzing by properties (api/tests/fuzz.rs) for a bounded time: front matter, mojibake repair,
# Markdown and the cursor decoder, each with many more cases than the test suite runs.
# A failing input is written by proptest to api/proptest-regressions/ — commit it: every
# later run of the suite replays it first.
#
#   bench/fuzz.sh [CASES]        # default 200000 cases per property
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-200000}
start=$(date +%s)
PROPTEST_CASES=$CASES timeout 1800 cargo test --release --locked -q -p api --test fuzz -- --test-threads 2 2>&1 | tail -3
end=$(date +%s)
echo "$CASES cases per property, 5 properties, in $((end - start)) s (release build included)"
