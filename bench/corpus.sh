#!/usr/bin/env bash
# A cached benchmark corpus from the project's generator (gen/): prints its directory
# (a CLAUDE_CONFIG_DIR with manifest.json and sessions_truth.json), generating it first
# when missing or made with other arguments. Generation time and shape go to stderr.
# Presets:
#   ref300  ~300 MB, 90 days to 2026-11-15, seed 7    (the reference corpus of compare.sh)
#   h1g     ~1 GB, 180 days to 2026-11-15, seed 31    (a gigabyte history)
#   h2g     ~2 GB, 360 days to 2026-11-15, seed 31    (twice the history: memory scaling)
#   older   160 sessions, 1.0.x and 2.0.x eras, seed 11
# Usage: bench/corpus.sh NAME [WORKDIR]   (default bench/out; the corpus is WORKDIR/NAME)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: bench/corpus.sh ref300|h1g|h2g|older [WORKDIR]}
work=${2:-$here/bench/out}
case "$name" in
  ref300) args="--seed 7 --target-bytes 300000000 --days 90 --end-date 2026-11-15" ;;
  h1g) args="--seed 31 --target-bytes 1000000000 --days 180 --end-date 2026-11-15" ;;
  h2g) args="--seed 31 --target-bytes 2000000000 --days 360 --end-date 2026-11-15" ;;
  older) args="--seed 11 --sessions 160 --days 300 --end-date 2025-12-31 --subagent-rate 0.6" ;;
  *) echo "bench/corpus.sh: unknown corpus $name (ref300, h1g, h2g, older)" >&2; exit 2 ;;
esac
dir="$work/$name"
if [ -f "$dir/manifest.json" ] && [ "$(cat "$dir/.args" 2>/dev/null)" = "$args" ]; then
  echo "$dir"
  exit 0
fi
(cd "$here" && cargo build -p ccrecap-gen --release --quiet)
rm -rf "$dir" && mkdir -p "$work"
start=$(date +%s.%N)
# shellcheck disable=SC2086 # the preset's arguments are words
"$here/target/release/ccrecap-gen" --out "$dir" $args >/dev/null
secs=$(echo "$(date +%s.%N) - $start" | bc)
echo "$args" >"$dir/.args"
python3 - "$dir" "$secs" >&2 <<'PY'
import json, sys
m = json.load(open(f"{sys.argv[1]}/manifest.json"))
print(f"generated {sys.argv[1]} in {float(sys.argv[2]):.1f} s: {m['bytes']:,} bytes, {m['jsonl_files']:,} transcripts "
      f"({m['subagent_files']:,} sub-agent), {m['sessions']:,} sessions, {m['projects']} projects, "
      f"{len(m['tokens_by_day_utc'])} days, {m['tokens']['total']:,} tokens")
PY
echo "$dir"
