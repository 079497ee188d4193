#!/usr/bin/env bash
# Fetches the benchmark's five public libraries at their recorded commits and converts each into
# a Casebook site under EVAL_DIR (default /tmp/eval): EVAL_DIR/digitalgov, EVAL_DIR/hugodocs,
# EVAL_DIR/otel, EVAL_DIR/18f (18F's guides and 18F's own site, two repositories, one site) and
# EVAL_DIR/wai (the W3C Web Accessibility Initiative's website, a Jekyll site).
#   benches/search_eval/prepare.sh
# A local git directory holding the commit may stand in for the clone:
#   DIGITALGOV_GIT=/path/to/digitalgov.gov.git HUGODOCS_GIT=/path/to/hugoDocs.git \
#   OTEL_GIT=/path/to/opentelemetry.io.git GUIDES18F_GIT=/path/to/guides.git \
#   SITE18F_GIT=/path/to/18f.gsa.gov.git WAI_GIT=/path/to/wai-website.git prepare.sh
# Only the markdown is taken (images and other large files are never needed).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
EVAL_DIR="${EVAL_DIR:-/tmp/eval}"
DIGITALGOV_COMMIT=4979583206d90ff1707b097454a9b169ca9e95e4   # GSA/digitalgov.gov, 2025-04-09
HUGODOCS_COMMIT=1c613349f4220ae84070df25979d720c43e5cfa6     # gohugoio/hugoDocs, 2026-08-21
OTEL_COMMIT=dd5997c8b9fafbf72ea6b8059ade242d88b8f118         # open-telemetry/opentelemetry.io, 2026-08-22
GUIDES18F_COMMIT=debc24b34f23686194d9fe42e391859d569bd39a    # 18F/guides, 2025-01-24
SITE18F_COMMIT=0a55c75e6d9bc71c80136a3867dac52356177443      # 18F/18f.gsa.gov, 2025-02-07
WAI_COMMIT=0d8991232a2ab20e80cc706533923ddf1d1dcf62          # w3c/wai-website, 2026-08-18
mkdir -p "$EVAL_DIR"

# git_dir NAME URL COMMIT VAR: a git directory holding COMMIT (VAR's value, or a blobless clone).
git_dir() {
  local dir="${!4:-}"
  if [ -z "$dir" ]; then
    dir="$EVAL_DIR/$1.git"
    if [ ! -d "$dir" ]; then  # one commit, and only blobs small enough to be text
      git init --quiet --bare "$dir"
      git --git-dir="$dir" fetch --quiet --depth 1 --filter=blob:limit=512k "$2" "$3"
    fi
  fi
  git --git-dir="$dir" cat-file -e "$3^{commit}" || { echo "$dir lacks commit $3" >&2; exit 1; }
  echo "$dir"
}

# extract GIT COMMIT DEST PATHSPEC...: the markdown and config files of COMMIT into DEST.
# (git archive may complain of "invalid object" for images the copy lacks; they are not used.)
extract() {
  local git="$1" commit="$2" dest="$3"; shift 3
  rm -rf "$dest" && mkdir -p "$dest"
  git --git-dir="$git" ls-tree -r -z --name-only "$commit" -- "$@" |
    grep -z -E '\.(md|markdown|toml|ya?ml)$' |
    GIT_LITERAL_PATHSPECS=1 xargs -0 git --git-dir="$git" archive --format=tar "$commit" -- |
    tar -x -i -C "$dest"  # -i: xargs may run git archive more than once, one tar after another
}

DG=$(git_dir digitalgov https://github.com/GSA/digitalgov.gov.git $DIGITALGOV_COMMIT DIGITALGOV_GIT)
extract "$DG" $DIGITALGOV_COMMIT "$EVAL_DIR/digitalgov-src" content config.yml
rm -rf "$EVAL_DIR/digitalgov"
# Left out: Hugo's taxonomy and profile listings (authors, topics, sources), image metadata
# and utility pages (redirects, 404, feed, job board).
python3 "$HERE/convert_hugo.py" "$EVAL_DIR/digitalgov-src" "$EVAL_DIR/digitalgov" \
  --exclude authors,topics,sources,images,301.md,404,feed.md,job-board \
  --title "Digital.gov" --base-url https://digital.gov/

HD=$(git_dir hugodocs https://github.com/gohugoio/hugoDocs.git $HUGODOCS_COMMIT HUGODOCS_GIT)
extract "$HD" $HUGODOCS_COMMIT "$EVAL_DIR/hugodocs-src" content hugo.toml
rm -rf "$EVAL_DIR/hugodocs"
python3 "$HERE/convert_hugo.py" "$EVAL_DIR/hugodocs-src" "$EVAL_DIR/hugodocs" --content content/en \
  --title "Hugo documentation" --base-url https://gohugo.io/

OT=$(git_dir otel https://github.com/open-telemetry/opentelemetry.io.git $OTEL_COMMIT OTEL_GIT)
extract "$OT" $OTEL_COMMIT "$EVAL_DIR/otel-src" content/en
rm -rf "$EVAL_DIR/otel"
# English only; left out: the site's own search page (Casebook writes /search/).
python3 "$HERE/convert_hugo.py" "$EVAL_DIR/otel-src" "$EVAL_DIR/otel" --content content/en \
  --exclude search.md --title "OpenTelemetry" --base-url https://opentelemetry.io/

G18=$(git_dir guides18f https://github.com/18F/guides.git $GUIDES18F_COMMIT GUIDES18F_GIT)
S18=$(git_dir site18f https://github.com/18F/18f.gsa.gov.git $SITE18F_COMMIT SITE18F_GIT)
extract "$G18" $GUIDES18F_COMMIT "$EVAL_DIR/18f-src/guides" content
extract "$S18" $SITE18F_COMMIT "$EVAL_DIR/18f-src/site" content
rm -rf "$EVAL_DIR/18f"
# Eleventy sites: the guides' sections as types, the blog posts as `blog`, the site's pages at
# the root (about) and as their folders' types; left out: tag redirects, error pages, the feed.
python3 "$HERE/convert_hugo.py" "$EVAL_DIR/18f-src" "$EVAL_DIR/18f" --eleventy \
  --content guides/content --content site/content/posts:blog --content site/content/pages \
  --exclude tags,errors,feed --title "18F" --base-url https://18f.gsa.gov/

WAI=$(git_dir wai https://github.com/w3c/wai-website.git $WAI_COMMIT WAI_GIT)
extract "$WAI" $WAI_COMMIT "$EVAL_DIR/wai-src" pages collections news
rm -rf "$EVAL_DIR/wai"
# A Jekyll site: its pages, news posts (`_posts`, as `news`), tips, perspective videos and role
# pages, each at its `permalink:` address (the real site's, under https://www.w3.org/WAI/).
# English only: the translations (`x.fr.md`, `x.zh-hans.md`) are left out by convert_hugo.py.
# Not in this repository: the resources kept in git submodules under `_external/` (WAI-ARIA
# Authoring Practices, ACT rules, the evaluation tools, course and policies lists, WCAG's
# supplemental guidance), and the `_policies` folder, a link into them.
# Left out, being no page a reader searches for: changelogs and acknowledgements (one per
# resource, and the misspelt `acknowlegdements.md`); the site map, the translations' site maps
# (translations-sitemaps.md; `collections/_translations-sitemaps`, empty files the layout fills
# in, is not taken) and the translation listings (/translations/ and
# /standards-guidelines/wcag/translations/, tables built from data); the search page; the
# example-link page (where the tutorials' example links go: "use your browser back button");
# meeting-minutes pages (`minutes/`: each a Liquid include listing minutes from data, nothing
# else); the three WCAG conformance-logo landing pages (/WCAG2A-Conformance and its AA and AAA
# twins: minimal-layout HTML a logo links to); and the home page (`index.md`, not in the folders
# taken: HTML teasers; Casebook writes its own home page).
python3 "$HERE/convert_hugo.py" "$EVAL_DIR/wai-src" "$EVAL_DIR/wai" --jekyll \
  --content pages --content collections/_posts:news --content news:news \
  --content collections/_tips:tips --content collections/_perspective-videos:perspective-videos \
  --content collections/_audiences:roles \
  --exclude changelog.md,acknowledgements.md,acknowlegdements.md,sitemap.md,translations-sitemaps.md,translations.md,search.md,example-link.md,minutes,WCAG2A-Conformance.md,WCAG2AA-Conformance.md,WCAG2AAA-Conformance.md \
  --title "W3C Web Accessibility Initiative (WAI)" --base-url https://www.w3.org/WAI/
