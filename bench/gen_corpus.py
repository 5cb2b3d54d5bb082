#!/usr/bin/env python3
"""Writes a deterministic synthetic Hugo corpus for the import benchmark.

usage: gen_corpus.py DIR [N] [SEED]

Posts mix YAML, TOML and JSON front matter, name catalog events, people and organizations and
KCDs the catalog lacks, and about one in ten carries Mac OS Roman mojibake.
"""
import json
import random
import sys
from pathlib import Path

PLACES = ["Atlantis", "Lilliput", "Utopia", "Avalon", "Arcadia", "Elysium", "Shangri La", "El Dorado",
          "Camelot", "Xanadu", "Narnia", "Gondor", "Rohan", "Erebor", "Valinor", "Asgard"]
PEOPLE = ["Whitney Lee", "Lewis Denham-Parry", "Liz Rice", "Kelsey Hightower", "Kristina Devochko",
          "Max Körbächer", "Audra Montenegro", "Lin Sun", "Rich Bowen", "Emily Fox"]
ORGS = ["SUSE", "Civo", "Oracle", "Isovalent", "Red Hat", "Solo.io", "Google", "CNCF"]
EVENTS = ["KCD Mexico 2024", "KubeCon + CloudNativeCon Europe 2023", "KCD Costa Rica",
          "KubeCon + CloudNativeCon North America 2023", "CCOSS", "KCD Norway"]
WORDS = ("cloud native kubernetes community platform observability security gitops operators "
         "clusters workloads contributors mentoring sustainability networking storage scheduling "
         "Bogotá Medellín São Paulo Zürich café naïve").split()


def paragraph(rng, n_words):
    words = [rng.choice(WORDS) for _ in range(n_words)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def main():
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        year = 2019 + i % 8
        title = f"Notes from the community #{i}"
        date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00-05:00"
        tags = rng.sample(["kcd", "kubecon", "cncf", "community", "devops", "security", "latam"], 3)
        body = [paragraph(rng, 40)]
        body.append(f"We met {rng.choice(PEOPLE)} from {rng.choice(ORGS)} at {rng.choice(EVENTS)}.")
        if i % 3 == 0:
            body.append(f"Next stop: KCD {rng.choice(PLACES)} {year + 1}!")
        if i % 7 == 0:
            body.append("{{< table_of_contents >}}\n\n## Highlights\n\n" + paragraph(rng, 30))
        body.extend(paragraph(rng, rng.randint(30, 120)) for _ in range(rng.randint(2, 6)))
        text = "\n\n".join(body) + "\n"
        if i % 10 == 0:
            # Once decoded as Mac OS Roman and re-encoded: mojibake.
            text = text.encode("utf-8").decode("mac_roman")
        kind = i % 3
        if kind == 0:
            fm = (f"---\ntitle: \"{title}\"\ndate: {date}\nauthors:\n  - {rng.choice(PEOPLE)}\n"
                  f"tags: [{', '.join(tags)}]\ncategories: [blog]\n---\n")
        elif kind == 1:
            fm = (f"+++\ntitle = \"{title}\"\ndate = {date}\nauthor = \"{rng.choice(PEOPLE)}\"\n"
                  f"tags = {json.dumps(tags)}\n+++\n")
        else:
            fm = json.dumps({"title": title, "date": date, "tags": tags, "author": rng.choice(PEOPLE)},
                            ensure_ascii=False, indent=2) + "\n"
        (out / f"post-{i:05d}.md").write_text(fm + text, encoding="utf-8")


if __name__ == "__main__":
    main()
