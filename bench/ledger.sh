#!/usr/bin/env bash
# The ledger on a cached corpus (default ref300, ~300 MB; see bench/corpus.sh): its size
# against the transcripts' bytes (the issue's budget: at most 5%), and hyperfine medians of
# `daily --json --all` reading every month from the ledger alone (the transcripts deleted)
# against reading the same months from the transcripts.
# Usage: bench/ledger.sh [CORPUS] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-ref300}
work=${2:-$(mktemp -d)}
bash bench/corpus.sh "$corpus" >/dev/null
src=bench/out/$corpus
cargo build --release -q
bin=$PWD/target/release/ccrecap
export HOME=$work/home TZ=UTC
unset CCRECAP_LEDGER_DIR
ledger=$work/ledger
mkdir -p "$work/empty/projects"
rm -rf "$ledger"
start=$(date +%s.%N)
"$bin" ledger update --ledger "$ledger" --claude-dir "$src" --machine bench
echo "first update: $(echo "$(date +%s.%N) - $start" | bc) s"
start=$(date +%s.%N)
"$bin" ledger update --ledger "$ledger" --claude-dir "$src" --machine bench
echo "second update (nothing changed): $(echo "$(date +%s.%N) - $start" | bc) s"
t=$(du -sb "$src/projects" | cut -f1)
l=$(du -sb --exclude=state.json "$ledger" | cut -f1)
echo "transcripts $t bytes, ledger $l bytes (segments), ratio $(echo "scale=4; 100 * $l / $t" | bc)%"
# The same report both ways (equal, checked), then timed.
a=$("$bin" daily --json --all --quiet --no-ledger --claude-dir "$src" | jq -c '.daily')
b=$("$bin" daily --json --all --quiet --no-ledger --claude-dir "$work/empty" --ledger "$ledger" | jq -c '.daily')
[ "$a" = "$b" ] && echo "daily --json --all: ledger alone == transcripts" || { echo "DIFFERENT"; exit 1; }
hyperfine -N --warmup 1 --runs 5 --export-json "$work/ledger-hyperfine.json" \
  -n transcripts "$bin daily --json --all --quiet --no-ledger --claude-dir $src" \
  -n ledger "$bin daily --json --all --quiet --no-ledger --claude-dir $work/empty --ledger $ledger"
