#!/usr/bin/env bash
# The read floor, daily and the full report on a generated 1 GB history, in one hyperfine
# run (warm cache), with peak memory; then daily's memory on a 2 GB history and on 100,000
# small files. Prints medians, ratios and peak RSS against the targets:
#   daily --json          <= 1.5 x the 2-core read floor (find | xargs -0 -P2 wc -l)
#   --json --all (full)   <= 1.4 x daily
#   peak RSS              daily <= 40 MiB, full <= 90 MiB (1 GB); daily 2 GB / 1 GB <= 1.3;
#                         daily on 100k small files <= 150 MiB
# Corpora are cached by bench/corpus.sh (h1g, h2g) and here (wide100k).
# Usage: bench/speed.sh [BINARY] [WORKDIR]   (default target/release/ccrecap, bench/out)
#   RUNS=N (default 15) sets hyperfine's runs; QUICK=1 skips the 2 GB and 100k corpora;
#   BEFORE=BINARY adds that binary's daily and full report to the same hyperfine run, with
#   their peak memory (a before/after comparison).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-}
work=${2:-$here/bench/out}
if [ -z "$bin" ]; then
  (cd "$here" && cargo build --release --quiet)
  bin="$here/target/release/ccrecap"
fi
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install hyperfine" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 1; }
mkdir -p "$work"
h1g=$("$here/bench/corpus.sh" h1g "$work")
home="$work/emptyhome"; mkdir -p "$home"
# No ledger, no config: only the corpus is read.
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state"

# Peak RSS in KiB, the median of three runs.
rss() {
  for _ in 1 2 3; do
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
  done | sort -n | sed -n 2p
}

floor="find $h1g/projects -name '*.jsonl' -print0 | xargs -0 -P2 wc -l"
before=()
if [ -n "${BEFORE:-}" ]; then
  before=(-n daily-before "env CLAUDE_CONFIG_DIR=$h1g $BEFORE daily --json --timezone UTC -q"
    -n full-before "env CLAUDE_CONFIG_DIR=$h1g $BEFORE --json --all --timezone UTC -q")
fi
hyperfine -N -w 3 -r "${RUNS:-15}" --export-json "$work/speed.json" \
  -n floor "bash -c \"$floor\"" \
  -n daily "env CLAUDE_CONFIG_DIR=$h1g $bin daily --json --timezone UTC -q" \
  -n full "env CLAUDE_CONFIG_DIR=$h1g $bin --json --all --timezone UTC -q" "${before[@]}" >&2

daily_rss=$(CLAUDE_CONFIG_DIR=$h1g rss "$bin" daily --json --timezone UTC -q)
full_rss=$(CLAUDE_CONFIG_DIR=$h1g rss "$bin" --json --all --timezone UTC -q)
before_rss="0 0"
if [ -n "${BEFORE:-}" ]; then
  before_rss="$(CLAUDE_CONFIG_DIR=$h1g rss "$BEFORE" daily --json --timezone UTC -q) $(CLAUDE_CONFIG_DIR=$h1g rss "$BEFORE" --json --all --timezone UTC -q)"
fi
h2g_rss=0 wide_rss=0 wide_files=0
if [ -z "${QUICK:-}" ]; then
  h2g=$("$here/bench/corpus.sh" h2g "$work")
  h2g_rss=$(CLAUDE_CONFIG_DIR=$h2g rss "$bin" daily --json --timezone UTC -q)
  wide=$("$here/bench/wide.py" "$work/wide100k" 100000)
  wide_files=$(find "$wide/projects" -name '*.jsonl' | wc -l)
  wide_rss=$(CLAUDE_CONFIG_DIR=$wide rss "$bin" daily --json --timezone UTC -q)
fi

# shellcheck disable=SC2086 # two numbers
python3 - "$work/speed.json" "$h1g/manifest.json" "$daily_rss" "$full_rss" "$h2g_rss" "$wide_rss" "$wide_files" $before_rss <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
m = json.load(open(sys.argv[2]))
daily_rss, full_rss, h2g_rss, wide_rss = (int(a) / 1024 for a in sys.argv[3:7])
wide_files = int(sys.argv[7])
f, d, a = (res[k]["median"] for k in ("floor", "daily", "full"))
def verdict(ok): return "met" if ok else "NOT MET"
print(f"corpus                 {m['bytes']:,} bytes, {m['jsonl_files']:,} files")
print(f"read floor median      {f*1000:.1f} ms")
print(f"daily median           {d*1000:.1f} ms   {d/f:.2f} x floor (target <= 1.5: {verdict(d/f <= 1.5)})")
print(f"full median            {a*1000:.1f} ms   {a/d:.2f} x daily (target <= 1.4: {verdict(a/d <= 1.4)})")
print(f"daily peak RSS         {daily_rss:.1f} MiB (target <= 40: {verdict(daily_rss <= 40)})")
print(f"full peak RSS          {full_rss:.1f} MiB (target <= 90: {verdict(full_rss <= 90)})")
if h2g_rss:
    r = h2g_rss / daily_rss
    print(f"daily peak RSS, 2 GB   {h2g_rss:.1f} MiB, {r:.2f} x 1 GB (target <= 1.3: {verdict(r <= 1.3)})")
    print(f"daily peak RSS, {wide_files:,} small files  {wide_rss:.1f} MiB (target <= 150: {verdict(wide_rss <= 150)})")
if "daily-before" in res:
    bd, ba = res["daily-before"]["median"], res["full-before"]["median"]
    bdr, bar = (int(a) / 1024 for a in sys.argv[8:10])
    print(f"before: daily          {bd*1000:.1f} ms   {bd/f:.2f} x floor, peak RSS {bdr:.1f} MiB; after/before {d/bd:.2f}")
    print(f"before: full           {ba*1000:.1f} ms   {ba/bd:.2f} x its daily, peak RSS {bar:.1f} MiB; after/before {a/ba:.2f}")
PY
