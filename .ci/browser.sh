#!/usr/bin/env bash
# Opens HTML recaps in headless Chromium: the demo's (redacted), the demo's with the five
# heaviest sessions drilled into, the (redacted) page of one XSS-fixture session, the
# XSS fixture's with its sessions (everything shown), and the year in review (`wrapped`)
# of the demo and of the XSS fixture, each at 1280 and 390 px wide, light and dark. Fails on any non-file: request, console error or page error, and on layout
# faults (tests/browser/check.mjs): a table, figure or section wider than its card at
# 1280 px, a name broken mid-word, a caption cut off, a chart label under 9 px. Saves
# full-page screenshots (recap-WIDTH-SCHEME.png) and a print PDF under target/browser/.
# Skips with a clear message only when Chromium cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
  if ! { apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core; } >/tmp/ccrecap-chromium-apt.log 2>&1; then
    echo "SKIP browser check: Debian's chromium could not be installed (see /tmp/ccrecap-chromium-apt.log)"
    exit 0
  fi
fi
command -v npm >/dev/null || { apt-get install -y -qq nodejs npm >/dev/null 2>&1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent playwright-core@1.65.1 >/dev/null)
cp tests/browser/check.mjs "$work/"

out=target/browser
mkdir -p "$out/demo" "$out/sessions" "$out/one" "$out/xss" "$out/wrapped" "$out/wrapped-xss"
cargo build --quiet
bin=target/debug/ccrecap
"$bin" --demo --all html -O "$work/demo.html" 2>/dev/null
"$bin" --demo --all html --sessions 5 -O "$work/sessions.html" 2>/dev/null
"$bin" --claude-dir fixtures/xss --all --now 2026-11-12T00:00:00Z -z UTC html \
  --session 11111111-1111-4111-8111-111111111111 -O "$work/one.html" 2>/dev/null
"$bin" --claude-dir fixtures/xss --all --now 2026-11-12T00:00:00Z -z UTC html \
  --show-paths --show-prompts --sessions 5 -O "$work/xss.html" 2>/dev/null
"$bin" --demo wrapped --year 2026 -O "$work/wrapped.html" --svg "$out/wrapped/wrapped.svg" 2>/dev/null
"$bin" --claude-dir fixtures/xss --now 2026-11-12T00:00:00Z -z UTC wrapped --year 2026 \
  -O "$work/wrapped-xss.html" --svg "$out/wrapped-xss/wrapped.svg" 2>/dev/null
for page in demo sessions one xss wrapped wrapped-xss; do
  node "$work/check.mjs" "$work/$page.html" "$out/$page" "$(command -v chromium)"
done
