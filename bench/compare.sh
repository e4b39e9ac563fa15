#!/usr/bin/env bash
# Benchmark ccrecap against ccusage 20.0.24 on the reference corpus (warm cache):
#   bench/corpus.sh ref300 (the project's generator: --seed 7 --target-bytes 300000000
#   --days 90 --end-date 2026-11-15)
# Prints hyperfine medians and ratios (daily: target <= 0.20; context, subagents, opus,
# activity and the full report with --all: <= 0.35; the HTML recap with --all: <= 0.50),
# peak RSS of each, and the window read share.
# Usage: bench/compare.sh [WORKDIR]   (default bench/out; the corpus is cached there)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$here/bench/out}
mkdir -p "$work"
corpus=$("$here/bench/corpus.sh" ref300 "$work")
cc="$work/node_modules/@ccusage/ccusage-linux-x64/bin/ccusage"
if [ ! -x "$cc" ]; then
  (cd "$work" && npm install --no-audit --no-fund --silent ccusage@20.0.24 @ccusage/ccusage-linux-x64@20.0.24 >/dev/null)
  chmod +x "$cc"
fi
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install hyperfine" >&2; exit 1; }
(cd "$here" && cargo build --release --quiet)
ours="$here/target/release/ccrecap"
home="$work/emptyhome"; mkdir -p "$home"
export HOME="$home" CLAUDE_CONFIG_DIR="$corpus"

hyperfine -N -w 3 -r "${RUNS:-15}" --export-json "$work/hyperfine.json" \
  -n ccusage "$cc claude daily --json --offline --timezone UTC" \
  -n ccrecap "$ours daily --json --timezone UTC -q" \
  -n context "$ours context --json --all --timezone UTC -q" \
  -n subagents "$ours subagents --json --all --timezone UTC -q" \
  -n opus "$ours opus --json --all --timezone UTC -q" \
  -n activity "$ours activity --json --all --timezone UTC -q" \
  -n full "$ours --json --all --timezone UTC -q" \
  -n html "$ours html --all --timezone UTC -q -O $work/recap.html" >&2

rss() { /usr/bin/time -f %M "$@" >/dev/null 2>"$work/rss.txt"; tail -1 "$work/rss.txt"; }
cc_rss=$(rss "$cc" claude daily --json --offline --timezone UTC)
our_rss=$(rss "$ours" daily --json --timezone UTC -q)
window=$("$ours" daily --json --timezone UTC -q --days 7 --until 2026-11-15 | python3 -c '
import json,sys; d=json.load(sys.stdin)["diagnostics"]; print(d["bytes_read"])')
python3 - "$work/hyperfine.json" "$corpus/manifest.json" "$cc_rss" "$our_rss" "$window" "$work/recap.html" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
total = json.load(open(sys.argv[2]))["bytes"]
cc, us = res["ccusage"]["median"], res["ccrecap"]["median"]
print(f"corpus bytes           {total:,}")
print(f"ccusage median         {cc*1000:.1f} ms   peak RSS {int(sys.argv[3])/1024:.1f} MB")
print(f"ccrecap median         {us*1000:.1f} ms   peak RSS {int(sys.argv[4])/1024:.1f} MB")
print(f"ratio ccrecap/ccusage  {us/cc:.3f}  (target <= 0.20)")
for k in ("context", "subagents", "opus", "activity", "full"):
    m = res[k]["median"]
    print(f"{k + ' --all':<22} {m*1000:.1f} ms   ratio {m/cc:.3f}  (target <= 0.35)")
m = res["html"]["median"]
import os
print(f"{'html --all':<22} {m*1000:.1f} ms   ratio {m/cc:.3f}  (target <= 0.50), {os.path.getsize(sys.argv[6]):,} bytes (target <= 1 MB)")
print(f"--days 7 window reads  {int(sys.argv[5]):,} bytes = {int(sys.argv[5])/total:.1%} (target <= 15%)")
PY
