#!/usr/bin/env bash
# The zero-install path end to end, offline: builds the static musl binary, stamps the
# Cargo version into copies of every npm package, `npm pack`s them, serves them from a
# minimal registry on 127.0.0.1 (registry.js), and runs
# `npx -y --registry … ccrecap --demo daily --json` with a cold, empty npm cache; the JSON
# must be the binary's own, byte for byte, and only this platform's package may be
# downloaded. Then the launcher alone (no platform package) must fail with the friendly
# message and a non-zero exit, and the launcher's unit tests must pass. Touches nothing
# outside a temporary directory and needs no internet; any failure exits non-zero.
# Usage: bash npm/test-offline.sh   (CCRECAP_BINARY_UNDER_TEST=path skips the build)
set -euo pipefail

npm_dir=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$npm_dir")
fail() { echo "test-offline: FAIL: $*" >&2; exit 1; }
step() { echo "test-offline: $*"; }
passed=0
ok() { passed=$((passed + 1)); step "ok: $*"; }

command -v node >/dev/null || fail "node is not installed"
command -v npm >/dev/null || fail "npm is not installed"

# The size budget of the static binary npx and binstall users download (issue 9: 5 MB;
# issue 16: 6.0 MB, to use indicatif, xxhash-rust and minijinja's builtins).
max_bytes=6000000

case "$(uname -m)" in
  x86_64 | amd64) target=x86_64-unknown-linux-musl platform=linux-x64 ;;
  aarch64 | arm64) target=aarch64-unknown-linux-musl platform=linux-arm64 ;;
  *) fail "no static Linux build for $(uname -m)" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/ccrecap-npm-test.XXXXXX")
registry_pid=
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# npm must never see the user's or the machine's configuration (registries, proxies,
# tokens) nor the user's cache: everything goes through a fresh cache and empty configs.
export npm_config_userconfig="$work/npmrc" npm_config_globalconfig="$work/npmrc-global"
export npm_config_cache="$work/cache" npm_config_update_notifier=false
export npm_config_audit=false npm_config_fund=false npm_config_loglevel=warn
: >"$npm_config_userconfig"
: >"$npm_config_globalconfig"

# 1. The static binary.
if [ -n "${CCRECAP_BINARY_UNDER_TEST:-}" ]; then
  bin=$(realpath "$CCRECAP_BINARY_UNDER_TEST")
else
  if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
  fi
  command -v musl-gcc >/dev/null || fail "musl-gcc is missing (apt-get install musl-tools): mimalloc needs it"
  step "building $target (release)"
  (cd "$root" && cargo build --release --locked --target "$target")
  bin="$root/target/$target/release/ccrecap"
fi
[ -x "$bin" ] || fail "no binary at $bin"
file_out=$(file -b "$bin" 2>/dev/null || true)
case "$file_out" in *dynamically*) fail "$bin is dynamically linked: $file_out" ;; esac
size=$(wc -c <"$bin")
step "binary: $bin, $size bytes${file_out:+ ($file_out)}"
[ "$size" -le "$max_bytes" ] || fail "the release binary is $size bytes, over the $max_bytes-byte budget"
ok "static binary of $size bytes (budget $max_bytes)"

# 2. Stamp the Cargo version into copies of the packages, binaries in place.
stage="$work/stage"
mkdir -p "$stage"
cp -R "$npm_dir/ccrecap" "$npm_dir/platforms" "$stage/"
rm -rf "$stage"/platforms/*/bin
version=$(node "$npm_dir/stamp.js" "" "$stage")
step "version $version"
for dir in "$stage"/platforms/*/; do
  name=$(basename "$dir")
  exe=ccrecap
  [ "$name" = win32-x64 ] && exe=ccrecap.exe
  mkdir -p "$dir/bin"
  if [ "$name" = "$platform" ]; then
    cp "$bin" "$dir/bin/$exe"
    chmod 0755 "$dir/bin/$exe"
  else
    # Other platforms' packages exist so the registry looks real; npm must never fetch them.
    printf 'not the %s binary\n' "$name" >"$dir/bin/$exe"
  fi
done

# 3. Pack.
dist="$work/dist"
mkdir -p "$dist"
for dir in "$stage"/platforms/* "$stage/ccrecap"; do
  (cd "$dir" && npm_config_cache="$work/pack-cache" npm pack --silent --pack-destination "$dist" >/dev/null)
done
launcher_tgz="$dist/ccrecap-$version.tgz"
[ -f "$launcher_tgz" ] || fail "no $launcher_tgz"
listing=$(tar -tzf "$launcher_tgz" | sort | tr '\n' ' ')
[ "$listing" = "package/README.md package/bin/ccrecap.js package/package.json " ] ||
  fail "unexpected launcher tarball contents: $listing"
listing=$(tar -tvzf "$dist/ccrecap-ccrecap-$platform-$version.tgz")
[[ "$listing" =~ -rwxr-xr-x[^$'\n']*" package/bin/ccrecap"($'\n'|$) ]] ||
  fail "the $platform tarball lost the binary or its execute bit: $listing"
tarballs=("$dist"/*.tgz)
[ "${#tarballs[@]}" -eq 6 ] || fail "expected 6 tarballs, got ${#tarballs[@]}"
ok "packed 6 packages; the launcher holds only its script, the binary keeps its x bit"

# 4. The registry, on 127.0.0.1 and a free port.
node "$npm_dir/registry.js" "$dist" >"$work/registry.url" 2>"$work/registry.log" &
registry_pid=$!
for _ in $(seq 100); do
  [ -s "$work/registry.url" ] && break
  kill -0 "$registry_pid" 2>/dev/null || fail "the registry died: $(cat "$work/registry.log")"
  sleep 0.05
done
registry=$(head -n1 "$work/registry.url")
[[ "$registry" == http://127.0.0.1:*/ ]] || fail "the registry did not start"
step "registry at $registry"

# 5. npx from a cold cache, in an empty directory.
run_dir="$work/run"
mkdir -p "$run_dir"
[ ! -e "$npm_config_cache" ] || fail "the npm cache is not empty"
start=$(date +%s%N)
(cd "$run_dir" && timeout 300 npx -y --registry "$registry" ccrecap --demo daily --json) \
  >"$work/npx.json" 2>"$work/npx.err" || fail "npx ccrecap failed: $(cat "$work/npx.err")"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
"$bin" --demo daily --json >"$work/direct.json" 2>/dev/null
cmp -s "$work/npx.json" "$work/direct.json" || fail "npx output differs from the binary's own"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const ok = r.schema_version === 1 && Array.isArray(r.daily) && r.daily.length > 0 &&
    r.totals.totalTokens > 0 && r.generator && r.generator.name === "ccrecap";
  if (!ok) { console.error("unexpected JSON:", JSON.stringify(r).slice(0, 300)); process.exit(1); }
' "$work/npx.json" || fail "npx printed the wrong JSON"
ok "npx -y ccrecap --demo daily --json from a cold cache: ${elapsed_ms} ms, JSON identical to the binary's"

# Only this platform's tarball (and the launcher's) may have been downloaded.
fetched=$(grep -o 'GET /-/[^ ]*\.tgz 200' "$work/registry.log" | sed 's|GET /-/||; s| 200||' | sort -u | tr '\n' ' ')
[ "$fetched" = "ccrecap-$version.tgz ccrecap-ccrecap-$platform-$version.tgz " ] ||
  fail "npx downloaded: $fetched"
ok "npx downloaded only: $fetched"

# Exit codes pass through (clap's usage error is 2) and stdout stays empty.
set +e
(cd "$run_dir" && npx -y --registry "$registry" ccrecap daily --no-such-flag) >"$work/usage.out" 2>"$work/usage.err"
code=$?
set -e
[ "$code" -eq 2 ] || fail "a usage error exited $code, not 2: $(cat "$work/usage.err")"
[ ! -s "$work/usage.out" ] || fail "a usage error wrote to stdout"
ok "exit code 2 passes through npx, stdout empty"

# 6. The launcher alone: npm left the platform package out (--omit=optional).
alone="$work/alone"
mkdir -p "$alone"
echo '{"name":"alone","private":true}' >"$alone/package.json"
(cd "$alone" && npm install --registry "$registry" --omit=optional --no-package-lock "$launcher_tgz" >/dev/null) ||
  fail "installing the launcher alone failed"
[ ! -e "$alone/node_modules/@ccrecap" ] || fail "--omit=optional still installed a platform package"
set +e
(cd "$alone" && ./node_modules/.bin/ccrecap --demo daily --json) >"$work/alone.out" 2>"$work/alone.err"
code=$?
set -e
[ "$code" -ne 0 ] || fail "the launcher without a binary exited 0"
[ ! -s "$work/alone.out" ] || fail "the launcher without a binary wrote to stdout: $(cat "$work/alone.out")"
{ grep -q "@ccrecap/ccrecap-$platform" "$work/alone.err" && grep -q 'cargo binstall ccrecap' "$work/alone.err"; } ||
  fail "unexpected message: $(cat "$work/alone.err")"
ok "launcher alone: exit $code, stdout empty, stderr: $(head -n1 "$work/alone.err")"

# CCRECAP_BINARY runs a binary of the user's choosing through the same launcher.
out=$(cd "$alone" && CCRECAP_BINARY="$bin" ./node_modules/.bin/ccrecap --version)
[ "$out" = "ccrecap $version" ] || fail "CCRECAP_BINARY: got '$out'"
ok "CCRECAP_BINARY honoured"

# 7. The launcher's unit tests.
node --test "$npm_dir/launcher.test.js" >"$work/unit.log" 2>&1 || { cat "$work/unit.log" >&2; fail "launcher unit tests"; }
ok "launcher unit tests: $(grep -E '^# (pass|fail)' "$work/unit.log" | tr '\n' ' ')"

echo "test-offline: $passed passed, 0 failed"
