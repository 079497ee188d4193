#!/usr/bin/env bash
# Scale benchmark (issue #15): one generated library built by Casebook, Zola and Hugo side by
# side, rounds interleaved so a noisy neighbour hits all three alike.
#
#   benches/scale.sh [N] [WORK]        N resources (default 1000); WORK a folder outside the
#                                      repository (default /tmp/casebook-scale)
#   ROUNDS=3 benches/scale.sh 10000    rounds (default 3)
#
# Each round, per tool: a fresh build (output folder removed first) and a build "again" with
# nothing changed (Casebook: two, see below; Zola always rebuilds its whole output, so it has
# no "again"). Before each timed build the filesystem is synced, so no tool pays for writing
# back the files the one before it left in the page cache (Casebook's own `syncfs` would
# otherwise flush them inside its time). Every build is timed with /usr/bin/time (wall
# seconds, CPU seconds, peak RSS) and must exit 0 and leave an index.html, or the script
# stops: a broken build is never reported as fast. Prints a markdown table: best-of-rounds
# wall and CPU (user+sys) times, the largest peak RSS, and Casebook's ratios, then each
# round's fresh pair (Casebook / Hugo).
#
# Needs: python3, /usr/bin/time, hugo (Debian: apt-get install -y hugo), Zola 0.22.1 unpacked
# to ~/.cache/peers/zola, the generator in $TOOLS (see $TOOLS/README.md). Environment:
# TOOLS (default /work/shared/tools), ZOLA, HUGO, CASEBOOK (a binary; default: this
# checkout's release build, built first), SCALE_OUT (where the three outputs go; default
# WORK/out-N — e.g. a folder on tmpfs, to time the tools without the disk).
set -euo pipefail
N=${1:-1000}
WORK=${2:-/tmp/casebook-scale}
ROUNDS=${ROUNDS:-3}
TOOLS=${TOOLS:-/work/shared/tools}
ZOLA=${ZOLA:-$HOME/.cache/peers/zola}
HUGO=${HUGO:-hugo}
REPO=$(cd "$(dirname "$0")/.." && pwd)
case "$(realpath -m "$WORK")/" in "$REPO"/*) echo "WORK must be outside the repository" >&2; exit 2 ;; esac

if [[ -z ${CASEBOOK:-} ]]; then
  (cd "$REPO" && cargo build --release --quiet --bin casebook)
  CASEBOOK=$(cd "$REPO" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/casebook
fi

LIB=$WORK/lib-$N OUT=${SCALE_OUT:-$WORK/out-$N} RESULTS=$WORK/results-$N.tsv
if [[ ! -e $LIB/.complete ]]; then  # the generator is deterministic: generate once per N
  rm -rf "$LIB" && python3 "$TOOLS/gen_corpus.py" "$N" "$LIB" && touch "$LIB/.complete"
fi
mkdir -p "$OUT" && : >"$RESULTS"

# build TOOL KIND: one timed build; appends "tool kind seconds kb" to $RESULTS.
build() {
  local tool=$1 kind=$2 out=$OUT/$1 log=$WORK/last-$1-$2.log
  # Fresh means nothing to start from: also casebook's staging folder and manifest beside the output
  # (kept between builds, and reused by the next one).
  [[ $kind == fresh ]] && rm -rf "$out" "$OUT/.$tool.casebook-staging" "$OUT/.$tool.casebook-manifest"
  sync
  local cmd
  case $tool in
    casebook) cmd=("$CASEBOOK" build --root "$LIB/casebook" --output "$out" --quiet) ;;
    zola) cmd=("$ZOLA" --root "$LIB/zola" build --output-dir "$out" --force) ;;
    hugo) cmd=("$HUGO" --quiet --source "$LIB/hugo" --destination "$out") ;;
  esac
  if ! /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "${cmd[@]}" >"$log" 2>&1 || [[ ! -s $out/index.html ]]; then
    echo "$tool $kind build FAILED (log: $log):" >&2; tail -5 "$log" >&2; exit 1
  fi
  echo "$tool $kind $(tail -1 "$WORK/time")" >>"$RESULTS"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  # Casebook's first build again after a fresh one has no staging folder to reuse yet (it
  # makes every folder and links every file); from the second on, the previous generation is
  # updated in place. Both are timed as "again"; the table shows the best.
  build casebook fresh; build casebook again; build casebook again
  build zola fresh
  build hugo fresh; build hugo again
done

# The table: best wall time per tool and kind, the largest peak RSS per tool, ratios.
awk -v n="$N" -v rounds="$ROUNDS" -v load="$load_before / $(cut -d' ' -f1-3 /proc/loadavg)" '
  { k = $1 " " $2; if (!(k in best) || $3 < best[k]) best[k] = $3; if ($4 > rss[$1]) rss[$1] = $4
    if (!(k in cpu) || $5 + $6 < cpu[k]) cpu[k] = $5 + $6 }
  # The fresh builds of every round, in order: on a noisy machine their spread says more than the best.
  $2 == "fresh" { fresh[$1, ++count[$1]] = $3 }
  function t(m, tool, kind,   k) { k = tool " " kind; return (k in m) ? sprintf("%.2f s", m[k]) : "–" }
  function r(m, a, b) { return (a in m && b in m) ? sprintf("%.2f×", m[a] / m[b]) : "–" }
  function row(label, m, kind) {
    printf "| %s | %s | %s | %s | %s | %s |\n", label, t(m, "casebook", kind), t(m, "zola", kind),
      t(m, "hugo", kind), r(m, "casebook " kind, "zola " kind), r(m, "casebook " kind, "hugo " kind)
  }
  END {
    printf "%s resources, best of %s interleaved rounds (load average before / after: %s)\n\n", n, rounds, load
    print "| | Casebook | Zola | Hugo | Casebook/Zola | Casebook/Hugo |"
    print "|---|---|---|---|---|---|"
    row("fresh build", best, "fresh"); row("again, nothing changed", best, "again")
    row("fresh build, CPU (user+sys)", cpu, "fresh"); row("again, CPU (user+sys)", cpu, "again")
    printf "| peak RSS (max) | %d MB | %d MB | %d MB | %.2f× | %.2f× |\n", rss["casebook"] / 1024,
      rss["zola"] / 1024, rss["hugo"] / 1024, rss["casebook"] / rss["zola"], rss["casebook"] / rss["hugo"]
    printf "\nfresh, Casebook / Hugo per round:"
    for (i = 1; i <= count["casebook"] && i <= count["hugo"]; i++)
      printf " %.2f / %.2f s (%.2f×)", fresh["casebook", i], fresh["hugo", i], fresh["casebook", i] / fresh["hugo", i]
    print ""
  }' "$RESULTS"
