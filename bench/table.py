"""Summarizes bench/run.sh's runs.tsv and servers.tsv as a Markdown table (medians of rounds)."""

import csv
import statistics
import sys
from collections import defaultdict

SCENARIOS = {
    "a": "upcoming KCDs list",
    "b": "event page",
    "c": "search",
    "d": "revalidation (304)",
    "e": "mixed, 5 % PATCH",
}


def main(runs_path: str, servers_path: str) -> None:
    runs = defaultdict(list)
    with open(runs_path) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            runs[(row["backend"], int(row["N"]), row["scenario"], row["target"])].append(row)
    servers = {}
    with open(servers_path) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            servers[(row["backend"], int(row["N"]))] = row

    def median(rows, key):
        return statistics.median(float(r[key]) for r in rows)

    print("| backend | N | scenario | req/s | limit req/s | ratio | p50 ms | p99 ms | errors |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    keys = sorted({k[:3] for k in runs}, key=lambda k: (k[0], k[1], k[2]))
    for backend, n, scenario in keys:
        ours = runs.get((backend, n, scenario, "eventdir"), [])
        limit = runs.get((backend, n, scenario, "limit"), [])
        if not ours or not limit:
            continue
        rps, lrps = median(ours, "req_s"), median(limit, "req_s")
        errors = sum(int(r["errors"]) for r in ours)
        print(
            f"| {backend} | {n:,} | {scenario} {SCENARIOS[scenario]} | {rps:,.0f} | {lrps:,.0f} "
            f"| {rps / lrps:.0%} | {median(ours, 'p50_ms'):.2f} | {median(ours, 'p99_ms'):.2f} "
            f"| {errors} |"
        )
    print()
    print("| backend | N | seed rows/s | start to first 200 | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for (backend, n), row in sorted(servers.items()):
        print(
            f"| {backend} | {n:,} | {int(row['seed_rows_s']):,} | {row['startup_ms']} ms "
            f"| {row['peak_rss_mb']} MB |"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
