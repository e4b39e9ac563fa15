#!/usr/bin/env bash
# Every terminal view in a real pty (`script`, sized with `stty cols N` alone, as a CI
# runner or an IDE terminal leaves it) at 60, 80, 100 and 120 columns, and in a pipe
# (120): fails when any line of stdout or stderr is wider than that, in display columns
# (wide characters count two, colour escapes none). Runs on the demo, then on each
# CLAUDE_DIR given with --all (e.g. the 300 MB corpus: bench/widths.sh "" "$(bench/corpus.sh ref300)").
# Usage: bench/widths.sh [BINARY] [CLAUDE_DIR...]   (default target/release/ccrecap)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-}
[ -n "$bin" ] || bin="$here/target/release/ccrecap"
[ -x "$bin" ] || { echo "bench/widths.sh: no binary at $bin (cargo build --release)" >&2; exit 2; }
shift || true
command -v script >/dev/null || { echo "bench/widths.sh: needs script(1) (util-linux)" >&2; exit 2; }

views=("" card context subagents opus activity attribution daily weekly monthly session blocks)
widths=(60 80 100 120)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The widest line of stdin and the lines wider than $1, in display columns.
measure() {
  python3 -c '
import re, sys, unicodedata
limit, label = int(sys.argv[1]), sys.argv[2]
ansi = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
def cols(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
# A carriage return starts the line again (a progress bar redrawn in place): each redraw must fit.
lines = [ansi.sub("", l) for l in re.split(r"\r\n|\r|\n", sys.stdin.buffer.read().decode("utf-8", "replace"))]
widest = max(map(cols, lines))
over = [l for l in lines if cols(l) > limit]
print(f"{label:<44} {len(lines):>5} lines, widest {widest:>3}" + (f"  FAIL: {len(over)} over {limit}" if over else ""))
for l in over[:3]:
    print(f"    {cols(l)}: {l}")
sys.exit(1 if over else 0)
' "$@"
}

failed=0
check() { # label, width, args...
  local label=$1 width=$2
  shift 2
  local cmd
  cmd=$(printf '%q ' "$bin" "$@")
  script -qec "stty cols $width; $cmd" /dev/null >"$out/pty" </dev/null || true
  measure "$width" "pty $width: $label" <"$out/pty" || failed=1
}

run_all() { # label, args...
  local label=$1
  shift
  for view in "${views[@]}"; do
    local args=("$@")
    [ -n "$view" ] && args+=("$view")
    for width in "${widths[@]}"; do
      check "$label ${view:-summary}" "$width" "${args[@]}" --color always
    done
    "$bin" "${args[@]}" >"$out/pipe" 2>&1 </dev/null || true
    measure 120 "pipe: $label ${view:-summary}" <"$out/pipe" || failed=1
  done
}

run_all "demo" --demo
for dir in "$@"; do
  run_all "$(basename "$dir") --all" --claude-dir "$dir" --all
done
if [ "$failed" != 0 ]; then
  echo "bench/widths.sh: some output is wider than its terminal" >&2
  exit 1
fi
echo "bench/widths.sh: every line fits"
