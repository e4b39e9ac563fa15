#!/usr/bin/env bash
# Live-use timings on the 1 GB history (bench/corpus.sh h1g: 180 days to 2026-11-15,
# seed 31), "now" pinned to the corpus's last evening:
#  - `ccrecap statusline` cold, with a realistic stdin (rate_limits 5h 23.5%, 7d 41.2%;
#    transcript_path = the biggest session transcript of the last day), against
#    `ccrecap daily --json` in the same hyperfine run (target: statusline median <= 0.1x)
#    and `ccusage statusline --no-cache` (20.0.24) on the same stdin and history;
#  - the CPU time of an idle `ccrecap watch` tick: (CPU of `watch --ticks N` - CPU of
#    `watch --ticks 1`) / (N - 1), nothing appended meanwhile (target < 20 ms).
# Usage: [CCRECAP=binary] bench/live.sh [WORKDIR]   (default bench/out; the corpus is cached
# there; without CCRECAP the release build of this checkout is measured)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$here/bench/out}
mkdir -p "$work"
corpus=$("$here/bench/corpus.sh" h1g "$work")
cc="$work/node_modules/@ccusage/ccusage-linux-x64/bin/ccusage"
if [ ! -x "$cc" ]; then
  (cd "$work" && npm install --no-audit --no-fund --silent ccusage@20.0.24 @ccusage/ccusage-linux-x64@20.0.24 >/dev/null)
  chmod +x "$cc"
fi
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install hyperfine" >&2; exit 1; }
if [ -z "${CCRECAP:-}" ]; then (cd "$here" && cargo build --release --quiet); fi
ours=${CCRECAP:-$here/target/release/ccrecap}   # CCRECAP=path: measure that binary
home="$work/emptyhome"; mkdir -p "$home"
state="$work/live-state"; rm -rf "$state"
export HOME="$home" CLAUDE_CONFIG_DIR="$corpus" XDG_STATE_HOME="$state" TZ=UTC
now=2026-11-15T22:20:00Z

# The biggest main-session transcript modified on the last day, and a stdin naming it.
stdin="$work/statusline-stdin.json"
python3 - "$corpus/projects" "$stdin" <<'PY'
import json, os, sys
root, out = sys.argv[1], sys.argv[2]
day = 1794700800  # 2026-11-15T00:00:00Z
best = max(
    (os.path.getsize(p), p)
    for d, _, fs in os.walk(root) if "subagents" not in d
    for f in fs if f.endswith(".jsonl")
    for p in [os.path.join(d, f)] if os.path.getmtime(p) >= day
)[1]
now = 1794781200  # 2026-11-15T22:20:00Z
json.dump({
    "session_id": os.path.basename(best)[:-6], "transcript_path": best,
    "cwd": "/home/me/app", "model": {"id": "claude-opus-4-5", "display_name": "Opus 4.5"},
    "workspace": {"current_dir": "/home/me/app", "project_dir": "/home/me/app"},
    "version": "2.1.80", "output_style": {"name": "default"},
    "cost": {"total_cost_usd": 1.23, "total_duration_ms": 600000},
    "rate_limits": {"five_hour": {"used_percentage": 23.5, "resets_at": now + 3 * 3600},
                    "seven_day": {"used_percentage": 41.2, "resets_at": now + 4 * 86400}},
}, open(out, "w"))
print(f"transcript: {best} ({os.path.getsize(best):,} bytes)", file=sys.stderr)
PY

line=$("$ours" statusline --now "$now" --color never <"$stdin")
echo "statusline: $line" >&2
case "$line" in *23.5%*41.2%*) ;; *) echo "statusline line lacks the percentages" >&2; exit 1 ;; esac

hyperfine -w 3 -r "${RUNS:-20}" --export-json "$work/live-hyperfine.json" \
  -n statusline "$ours statusline --now $now --no-record < $stdin" \
  -n daily "$ours daily --json --now $now -q > /dev/null" >&2
hyperfine -w 1 -r "${CC_RUNS:-5}" --export-json "$work/live-ccusage.json" \
  -n ccusage "$cc statusline --no-cache < $stdin" >&2

cpu() { /usr/bin/time -f "%U %S" "$@" >/dev/null 2>"$work/cpu.txt"; tail -1 "$work/cpu.txt" | awk '{print $1 + $2}'; }
ticks=${TICKS:-51}
one=$(cpu "$ours" watch --now "$now" --ticks 1 --interval 0.2 -q)
many=$(cpu "$ours" watch --now "$now" --ticks "$ticks" --interval 0.2 -q)
python3 - "$work/live-hyperfine.json" "$work/live-ccusage.json" "$one" "$many" "$ticks" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
cc = json.load(open(sys.argv[2]))["results"][0]["median"]
s, d = res["statusline"]["median"], res["daily"]["median"]
one, many, n = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"statusline median      {s*1000:.1f} ms")
print(f"daily --json median    {d*1000:.1f} ms")
print(f"ratio statusline/daily {s/d:.3f}  (target <= 0.10)")
print(f"ccusage statusline --no-cache median {cc*1000:.0f} ms  ({cc/s:.0f}x ccrecap's)")
print(f"watch: first scan + 1 tick {one:.2f} s CPU; {n} ticks {many:.2f} s CPU")
print(f"idle watch tick        {(many - one) / (n - 1) * 1000:.1f} ms CPU  (target < 20)")
PY
