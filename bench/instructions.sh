#!/usr/bin/env bash
# User-space instructions of `daily --json` and the full report on the generated 1 GB
# history, counted by cachegrind on one thread: exact and repeatable where wall time on a
# shared machine drifts by 10–20% between runs (the kernel's copy is not counted; the
# read floor and bench/speed.sh measure that). Compare builds by these counts, then
# confirm with speed.sh.
# Usage: bench/instructions.sh BINARY [BINARY...]   (valgrind from Debian's packages;
#   about 15 s per binary and report)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: bench/instructions.sh BINARY [BINARY...]" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind missing: apt-get install valgrind" >&2; exit 1; }
h1g=$("$here/bench/corpus.sh" h1g "$here/bench/out")
home="$here/bench/out/emptyhome"; mkdir -p "$home"
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state"
export CLAUDE_CONFIG_DIR="$h1g" RAYON_NUM_THREADS=1
count() {
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*I *refs: *//p' | tr -d ,
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
printf '%-36s %14s %14s  %s\n' binary daily full "ratio to the first"
first=()
for bin in "$@"; do
  d=$(count "$bin" daily --json --timezone UTC -q)
  f=$(count "$bin" --json --all --timezone UTC -q)
  [ ${#first[@]} -gt 0 ] || first=("$d" "$f")
  printf '%-36s %14s %14s  %s %s\n' "$bin" "$d" "$f" "$(ratio "$d" "${first[0]}")" \
    "$(ratio "$f" "${first[1]}")"
done
