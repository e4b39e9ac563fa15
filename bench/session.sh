#!/usr/bin/env bash
# `session --id` against `daily --json` on the 1 GB history (bench/corpus.sh h1g), in the
# same hyperfine run: the drill-down finds its session by file name and reads its own
# files plus the files of its days, so it must cost a fraction of a full scan (target:
# at most 0.15x). Times the five sessions with the most tokens (the largest files) and
# three sessions picked at random (seeded), as JSON and as the terminal view; prints each
# median, its ratio to daily's and the worst ratio, and checks that each drill-down's
# tokens equal its row in `session --json`.
# Usage: bench/session.sh [WORKDIR]   (default bench/out)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$here/bench/out}
corpus=$("$here/bench/corpus.sh" h1g "$work")
(cd "$here" && cargo build --release --quiet)
bin="$here/target/release/ccrecap"
command -v hyperfine >/dev/null || { echo "bench/session.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

"$bin" --claude-dir "$corpus" session --json 2>/dev/null >"$work/h1g.session.json"
ids=$(python3 - "$work/h1g.session.json" <<'PY'
import json, random, sys
rows = json.load(open(sys.argv[1]))["sessions"]
rows = [r for r in rows if "#" not in r["sessionId"]]
top = sorted(rows, key=lambda r: (-r["totalTokens"], r["sessionId"]))[:5]
rest = sorted((r for r in rows if r not in top), key=lambda r: r["sessionId"])
print(" ".join(r["sessionId"] for r in top + random.Random(19).sample(rest, 3)))
PY
)

# Exactness first: every drill-down's tokens equal its row, class by class.
for id in $ids; do
  "$bin" --claude-dir "$corpus" session --id "$id" --json 2>/dev/null >"$work/h1g.detail.json"
  python3 - "$work/h1g.session.json" "$work/h1g.detail.json" "$id" <<'PY'
import json, sys
rows = {r["sessionId"]: r for r in json.load(open(sys.argv[1]))["sessions"]}
d = json.load(open(sys.argv[2]))["session_detail"]
row = rows[sys.argv[3]]
def walk(calls):
    t = [0, 0, 0, 0]
    for c in calls:
        k = c["tokens"]
        t = [a + b for a, b in zip(t, [k["input_tokens"], k["output_tokens"], k["cache_read_tokens"], k["cache_write_tokens"]])]
        for r in c["subagent_runs"]:
            t = [a + b for a, b in zip(t, walk(r["calls"]))]
    return t
got = [0, 0, 0, 0]
for t in d["turns"]:
    got = [a + b for a, b in zip(got, walk(t["calls"]))]
for r in d["unattached_runs"]:
    got = [a + b for a, b in zip(got, walk(r["calls"]))]
want = [row["inputTokens"], row["outputTokens"], row["cacheReadTokens"], row["cacheCreationTokens"]]
if got != want:
    sys.exit(f"{sys.argv[3]}: calls sum to {got}, the session row says {want}")
print(f"{sys.argv[3][:8]}: {sum(got):,} tokens in {d['totals']['calls']:,} calls = its session row")
PY
done

cmds=("$bin --claude-dir $corpus daily --json")
for id in $ids; do
  cmds+=("$bin --claude-dir $corpus session --id $id --json")
done
first=${ids%% *}
cmds+=("$bin --claude-dir $corpus --color never session --id $first")
hyperfine -N --warmup 2 --runs 10 --export-json "$work/session.hyperfine.json" "${cmds[@]}" >/dev/null
python3 - "$work/session.hyperfine.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = res[0]["median"]
print(f"daily --json: median {base * 1000:.0f} ms")
worst = 0.0
for r in res[1:]:
    ratio = r["median"] / base
    worst = max(worst, ratio)
    what = r["command"].split(" session ", 1)[1]
    print(f"session {what}: median {r['median'] * 1000:.0f} ms, {ratio:.3f}x daily")
print(f"worst ratio {worst:.3f}x (target <= 0.15x)")
sys.exit(0 if worst <= 0.15 else 1)
PY
