#!/usr/bin/env bash
# The gigabyte soak of reliability.md §5.3 (catalogue row 35), too big for cargo test: a
# generated corpus of about 1 GB (gen/, --malformed-rate 0.9), plus about 1% extra corrupt lines
# injected between its lines (binary junk, negative and string token counts, 5000-deep
# nesting, truncated assistant lines). ccrecap's totals must equal the manifest exactly
# and its skipped lines must equal the manifest's malformed lines plus the injected ones,
# with no panic. Prints wall time and peak RSS (/usr/bin/time) of `daily --json` and of
# the full report `--json --all`. The corpus lives under /tmp and is deleted at the end.
# Usage: bench/reliability.sh [TARGET_BYTES]   (default 1000000000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bytes=${1:-1000000000}
work=$(mktemp -d /tmp/ccrecap-soak.XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$here" && cargo build -p ccrecap-gen --release --quiet)

echo "generating ~$bytes bytes in $work ..."
start=$(date +%s)
"$here/target/release/ccrecap-gen" --out "$work/corpus" --seed 35 --target-bytes "$bytes" \
  --days 120 --end-date 2026-11-15 --malformed-rate 0.9 >/dev/null
python3 - "$work/corpus" <<'PY'
import json, os, random, sys
root = sys.argv[1]
rng = random.Random(35)
junk = [
    lambda: bytes(rng.choice([b for b in range(256) if b != 10]) for _ in range(rng.randint(1, 300))),
    lambda: b'{"type":"assistant","message":{"id":"msg_inj%d","usage":{"input_tokens":-%d}},"requestId":"r"}' % (rng.randint(0, 1 << 30), rng.randint(1, 999)),
    lambda: b'{"type":"assistant","message":{"id":"msg_inj%d","usage":{"output_tokens":"12"}},"requestId":"r"}' % rng.randint(0, 1 << 30),
    lambda: b"[" * 5000 + b"]" * 5000,
    lambda: b'{"type":"assistant","message":' + b"[" * 5000,
]
injected = 0
for dirpath, _, files in os.walk(os.path.join(root, "projects")):
    for name in files:
        if not name.endswith(".jsonl") or name == "journal.jsonl":
            continue
        path = os.path.join(dirpath, name)
        data = open(path, "rb").read()
        lines = data.split(b"\n")
        # Only between complete lines: never after the last one (it may be a torn tail).
        out = []
        for i, line in enumerate(lines):
            if 0 < i < len(lines) - 1 and rng.random() < 0.01:
                kind = rng.randrange(len(junk) + 1)
                if kind == len(junk):
                    # a truncated assistant line, cut before its closing brace
                    src = next((l for l in lines if b'"type":"assistant"' in l), None)
                    if src is None:
                        continue
                    g = src[: rng.randint(10, len(src) - 2)]
                else:
                    g = junk[kind]()
                out.append(g)
                injected += 1
            out.append(line)
        open(path, "wb").write(b"\n".join(out))
m = json.load(open(os.path.join(root, "manifest.json")))
m["injected_lines"] = injected
json.dump(m, open(os.path.join(root, "manifest.json"), "w"))
print(f"injected {injected} corrupt lines")
PY
echo "corpus: $(du -sb "$work/corpus" | cut -f1) bytes, $(find "$work/corpus" -name '*.jsonl' | wc -l) files, generated in $(( $(date +%s) - start )) s"

(cd "$here" && cargo build --release --quiet)
ours="$here/target/release/ccrecap"
for run in "daily --json" "--json --all"; do
  name=$(echo "$run" | tr -dc 'a-z')
  /usr/bin/time -f "%e %M" -o "$work/$name.time" \
    "$ours" $run --timezone UTC --claude-dir "$work/corpus" >"$work/$name.json" 2>"$work/$name.err"
  read -r secs kib <"$work/$name.time"
  echo "ccrecap $run: ${secs} s wall, peak RSS $((kib / 1024)) MiB; stderr: $(head -c 300 "$work/$name.err")"
done
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
m = json.load(open(f"{w}/corpus/manifest.json"))
g = m["tokens"]
truth = (g["input"], g["output"], g["cache_read"], g["cache_creation"])
malformed = sum(m["malformed_lines"].values()) + m["injected_lines"]
ok = True
for name, keys in (("dailyjson", ("inputTokens", "outputTokens", "cacheReadTokens", "cacheCreationTokens")),
                   ("jsonall", ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"))):
    v = json.load(open(f"{w}/{name}.json"))
    got = tuple(v["totals"][k] for k in keys)
    skipped = sum(v["diagnostics"]["skipped_lines"].values())
    same = got == truth and skipped == malformed
    ok &= same
    print(f"{name}: {v['diagnostics']['bytes_read']} bytes in {v['diagnostics']['files_read']} files read; "
          f"totals {got} vs manifest {truth}; skipped {skipped} "
          f"({v['diagnostics']['skipped_lines']}) vs {malformed} malformed+injected: "
          f"{'EXACT' if same else 'MISMATCH'}")
sys.exit(0 if ok else 1)
PY
