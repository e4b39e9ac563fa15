#!/usr/bin/env bash
# Parity on the large corpora (too big for cargo test): ccrecap daily/monthly/session vs
# the generator's ground truth and ccusage 20.0.24, per day, with --timezone UTC, on the
# reference corpus (bench/corpus.sh ref300) and one of the older eras (older).
# Usage: bench/parity.sh [WORKDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$here/bench/out}
mkdir -p "$work"
"$here/bench/corpus.sh" ref300 "$work" >/dev/null
"$here/bench/corpus.sh" older "$work" >/dev/null
cc="$work/node_modules/@ccusage/ccusage-linux-x64/bin/ccusage"
if [ ! -x "$cc" ]; then
  (cd "$work" && npm install --no-audit --no-fund --silent ccusage@20.0.24 @ccusage/ccusage-linux-x64@20.0.24 >/dev/null)
  chmod +x "$cc"
fi
(cd "$here" && cargo build --release --quiet)
ours="$here/target/release/ccrecap"
mkdir -p "$work/emptyhome"
for c in ref300 older; do
  HOME="$work/emptyhome" CLAUDE_CONFIG_DIR="$work/$c" "$cc" claude daily --json --offline --timezone UTC > "$work/$c.ccusage.json"
  for r in daily monthly session; do
    CLAUDE_CONFIG_DIR="$work/$c" "$ours" $r --json --timezone UTC -q > "$work/$c.$r.json"
  done
  python3 - "$work/$c/manifest.json" "$work/$c.ccusage.json" "$work/$c" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); cc = json.load(open(sys.argv[2])); base = sys.argv[3]
tk = lambda r: (r["inputTokens"], r["outputTokens"], r["cacheReadTokens"], r["cacheCreationTokens"])
g = m["tokens"]; truth = (g["input"], g["output"], g["cache_read"], g["cache_creation"])
ok = True
for r in ("daily", "monthly", "session"):
    us = json.load(open(f"{base}.{r}.json"))
    same = tk(us["totals"]) == truth
    ok &= same
    print(f"{base.split('/')[-1]} {r:8} totals == ground truth: {same}")
us = json.load(open(f"{base}.daily.json"))
ccd = {r["date"]: r for r in cc["daily"]}; usd = {r["date"]: r for r in us["daily"]}
gtd = m["tokens_by_day_utc"]
tok_diff = [d for d in set(ccd) | set(usd) if d not in ccd or d not in usd or tk(ccd[d]) != tk(usd[d])]
gt_diff = [d for d, v in gtd.items() if d not in usd or tk(usd[d]) != (v["input"], v["output"], v["cache_read"], v["cache_creation"])]
worst = max(abs(ccd[d]["totalCost"] - usd[d]["totalCost"]) / max(ccd[d]["totalCost"], 1e-9) for d in usd if d in ccd)
skipped = sum(us["diagnostics"]["skipped_lines"].values()); malformed = sum(m["malformed_lines"].values())
print(f"  days {len(usd)}; token mismatches vs ccusage {len(tok_diff)}, vs ground truth {len(gt_diff)}; "
      f"worst day cost diff vs ccusage {worst:.4%}; skipped lines {skipped} (manifest malformed {malformed})")
ok &= not tok_diff and not gt_diff and worst <= 0.005 and skipped == malformed
sys.exit(0 if ok else 1)
PY
done
echo "parity: OK"
