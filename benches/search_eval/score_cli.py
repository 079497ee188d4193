#!/usr/bin/env python3
"""Scores `casebook search` on every judged set at once (top-1 / top-5), for ranking work.

    benches/search_eval/score_cli.py CASEBOOK_BIN [--misses] [--kinds] [--sets dg,hd,...] [--public NAME]

Reads the libraries prepare.sh made under $EVAL_DIR (default /tmp/eval), each built into
SITE/public (or SITE/NAME with --public: two builds side by side). Scores as run.mjs's CLI
pass does (same URL normalisation, `--limit 10`), in seconds rather than minutes, without the
page or Pagefind: check a ranking change here, then confirm page = CLI with run.sh.
--misses lists each query whose first hit is wrong, with the rank of the right answer;
--kinds adds the totals of each kind of query (title, body, question) over the sets.
Standard-library Python 3.11+.
"""
import argparse
import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Short name -> (library folder under EVAL_DIR, judged queries).
SETS = {
    "dg": ("digitalgov", "queries-digitalgov.tsv"),
    "dgh": ("digitalgov", "queries-digitalgov-holdout.tsv"),
    "dgh2": ("digitalgov", "queries-digitalgov-holdout2.tsv"),
    "dgh3": ("digitalgov", "queries-digitalgov-holdout3.tsv"),
    "hd": ("hugodocs", "queries-hugodocs.tsv"),
    "hdh": ("hugodocs", "queries-hugodocs-holdout.tsv"),
    "ot": ("otel", "queries-otel.tsv"),
    "f18": ("18f", "queries-18f.tsv"),
    "wai": ("wai", "queries-wai.tsv"),
}


def normalise(url):
    """A URL as `/path/`, as run.mjs's normalise: no origin, `index.html`, fragment or query."""
    path = re.sub(r"[#?].*$", "", url)
    path = re.sub(r"^[a-z]+://[^/]*", "", path)
    path = re.sub(r"index\.html$", "", path)
    if not path.startswith("/"):
        path = "/" + path
    return path if path.endswith("/") else path + "/"


def judged(file):
    """(kind, query, expected paths) per row of a queries .tsv."""
    for line in (HERE / file).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("kind\t"):
            continue
        kind, query, expected, *_ = line.split("\t")
        yield kind, query, [normalise(u) for u in expected.split()]


def ranked(binary, public, query):
    """The first ten hits' paths, or an error line."""
    out = subprocess.run([binary, "search", query, "--index", str(public), "--json", "--limit", "10"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return ["error: " + out.stderr.strip().splitlines()[0]]
    return [normalise(hit["url"]) for hit in json.loads(out.stdout)["hits"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--kinds", action="store_true")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--public", default="public")
    args = parser.parse_args()
    eval_dir = Path(os.environ.get("EVAL_DIR", "/tmp/eval"))
    totals = [0, 0, 0]
    by_kind = {}
    for name in args.sets.split(","):
        site, file = SETS[name]
        rows = list(judged(file))
        public = eval_dir / site / args.public
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda row: ranked(args.binary, public, row[1]), rows))
        top1 = top5 = 0
        for (kind, query, expected), got in zip(rows, answers):
            first = bool(got[:1]) and got[0] in expected
            five = any(path in expected for path in got[:5])
            top1 += first
            top5 += five
            kind_totals = by_kind.setdefault(kind, [0, 0, 0])
            kind_totals[0] += first
            kind_totals[1] += five
            kind_totals[2] += 1
            if args.misses and not (got[:1] and got[0] in expected):
                rank = next((i + 1 for i, path in enumerate(got) if path in expected), None)
                print(f"  {name} [{kind}] {query!r}: want {expected[0]} at {rank or '>10'}, first {got[:1]}")
        print(f"{name}: {top1}/{top5} of {len(rows)}")
        totals = [totals[0] + top1, totals[1] + top5, totals[2] + len(rows)]
    print(f"all: {totals[0]}/{totals[1]} of {totals[2]}")
    if args.kinds:
        for kind, (top1, top5, n) in sorted(by_kind.items()):
            print(f"  {kind}: {top1}/{top5} of {n} ({top1 / n:.0%} top-1, {top5 / n:.0%} top-5)")


if __name__ == "__main__":
    main()
