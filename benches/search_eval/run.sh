#!/usr/bin/env bash
# Search relevance benchmark (issue #11): builds a Casebook site with this checkout's casebook,
# indexes the same HTML with Pagefind, and scores a judged query file against the search page
# (file://, headless Chromium), `casebook search` and Pagefind. See README.md beside this file.
#   benches/search_eval/run.sh SITE_DIR QUERIES.tsv [OUT_PREFIX]
# SITE_DIR is a Casebook site (prepare.sh writes them); OUT_PREFIX.md gets the report and
# OUT_PREFIX.json every ranked list (default: SITE_DIR/eval). Environment:
#   CASEBOOK_BIN   use this binary instead of building target/debug/casebook (cargo build)
#   ENGINES        a subset of cli,page,pagefind (default all three)
#   PAGEFIND       the npm package to run (default pagefind@1.x)
#   PLAYWRIGHT_CORE  path to playwright-core if tests/browser/node_modules has none
#   NO_BUILD=1     score SITE_DIR/public as it is (no casebook build, no Pagefind indexing)
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SITE="$(cd "$1" && pwd)"
QUERIES="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
OUT="${3:-$SITE/eval}"
ENGINES="${ENGINES:-cli,page,pagefind}"

if [ -z "${CASEBOOK_BIN:-}" ]; then
  (cd "$REPO" && cargo build --quiet --bin casebook)
  CASEBOOK_BIN="${CARGO_TARGET_DIR:-$REPO/target}/debug/casebook"
fi
export CASEBOOK_BIN

if [ -z "${NO_BUILD:-}" ]; then
  # A converted library has pages without summaries: those warnings are expected, errors not.
  "$CASEBOOK_BIN" build --quiet --root "$SITE" 2> "$SITE/build.log" || { tail -20 "$SITE/build.log" >&2; exit 1; }
  if [[ ",$ENGINES," == *,pagefind,* ]]; then
    rm -rf "$SITE/pagefind-bundle"
    # Only resource pages (article.resource), as for Casebook: listings and home are left out.
    npx -y "${PAGEFIND:-pagefind@1.x}" --site "$SITE/public" --root-selector "article.resource" \
      --output-path "$SITE/pagefind-bundle" > "$SITE/pagefind.log" 2>&1 || { tail -20 "$SITE/pagefind.log" >&2; exit 1; }
    grep -E "Running Pagefind|Indexed [0-9]+ pages" "$SITE/pagefind.log" >&2 || true
  fi
fi

node "$HERE/run.mjs" --site "$SITE/public" --queries "$QUERIES" --casebook "$CASEBOOK_BIN" \
  --engines "$ENGINES" --pagefind "$SITE/pagefind-bundle" --out "$OUT.json" | tee "$OUT.md"
