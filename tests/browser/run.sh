#!/usr/bin/env bash
# Browser tests: installs Chromium (Debian's package) and the npm tools if missing, builds the
# casebook binary, then runs every tests/browser/*.test.mjs with node's test runner.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# Never let a tool download its own browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund --loglevel=error

(cd ../.. && cargo build --quiet)
export CASEBOOK_BIN="$(cd ../.. && pwd)/target/debug/casebook"
node --test --test-concurrency=1 ./*.test.mjs
