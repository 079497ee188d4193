#!/usr/bin/env bash
# Builds the same generated library with casebook and with Hugo (Debian's hugo package), for a
# peer comparison in one run. Zola is not packaged for this machine (nor on crates.io), so
# Hugo — the other general generator named in our brief — stands in.
#   benches/hugo_compare.sh N     (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
WORK=$(mktemp -d)
cargo build --release --quiet --example gen_library
cargo build --release --quiet
./target/release/examples/gen_library "$WORK/casebook" "$N"

# The same content for Hugo: its own config and the smallest layouts that render every page,
# list and taxonomy page (Hugo renders nothing without layouts).
mkdir -p "$WORK/hugo/layouts/_default"
cp -r "$WORK/casebook/content" "$WORK/hugo/content"
cat > "$WORK/hugo/config.yaml" <<'YAML'
baseURL: "https://bench.example.org/"
title: "Synthetic library"
languageCode: en-gb
taxonomies: { enabler: enablers, audience: audiences, setting: settings, region: regions }
markup: { highlight: { noClasses: false } }
YAML
cat > "$WORK/hugo/layouts/_default/baseof.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
cat > "$WORK/hugo/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>
<ul>{{ range .Params.enablers }}<li><a href="/enablers/{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>
{{ .Content }}
<h2>Related</h2><ul>{{ range first 5 (.Site.RegularPages.Related .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
HTML
cat > "$WORK/hugo/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
HTML

hyperfine --warmup 1 --runs 5 \
  -n casebook "./target/release/casebook build --quiet --root $WORK/casebook --output $WORK/out-casebook" \
  -n hugo "hugo --quiet --source $WORK/hugo --destination $WORK/out-hugo"
for tool in casebook hugo; do
  du -sh "$WORK/out-$tool" | sed "s|$WORK/||"
done
/usr/bin/time -f "casebook peak memory: %M KB" ./target/release/casebook build --quiet --root "$WORK/casebook" --output "$WORK/out-casebook"
/usr/bin/time -f "hugo peak memory: %M KB" hugo --quiet --source "$WORK/hugo" --destination "$WORK/out-hugo"
rm -rf "$WORK"
