#!/usr/bin/env bash
# Packs one release binary the way `[package.metadata.binstall]` in Cargo.toml expects:
# a directory ccrecap-<target>-v<version>/ holding the binary (ccrecap, or ccrecap.exe
# for Windows), README.md, CHANGELOG.md and LICENSE, archived as ccrecap-<target>-v<version>.tgz
# (.zip for Windows), plus <archive>.sha256. Prints the archive's path.
# Usage: package.sh TARGET VERSION BINARY OUTDIR
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 TARGET VERSION BINARY OUTDIR" >&2; exit 2; }
target=$1 version=$2 binary=$3 out=$4
root=$(cd "$(dirname "$0")/../.." && pwd)
name="ccrecap-$target-v$version"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$out"
out=$(cd "$out" && pwd)
case "$target" in
  *windows*) cp "$binary" "$stage/$name/ccrecap.exe" ;;
  *) cp "$binary" "$stage/$name/ccrecap" && chmod 0755 "$stage/$name/ccrecap" ;;
esac
cp "$root/README.md" "$root/CHANGELOG.md" "$root/LICENSE" "$stage/$name/"

case "$target" in
  *windows*)
    archive="$name.zip"
    (cd "$stage" && 7z a -tzip "$out/$archive" "$name" >/dev/null)
    ;;
  *)
    archive="$name.tgz"
    tar -C "$stage" -czf "$out/$archive" "$name"
    ;;
esac
if command -v sha256sum >/dev/null; then
  (cd "$out" && sha256sum "$archive" >"$archive.sha256")
else
  (cd "$out" && shasum -a 256 "$archive" >"$archive.sha256")
fi
echo "$out/$archive"
