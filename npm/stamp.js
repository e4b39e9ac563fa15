#!/usr/bin/env node
// Stamps one version into every npm package under a directory (default: this npm/
// directory): the launcher's and each platform package's `version`, and the launcher's
// `optionalDependencies`, each pinned to exactly that version, so the launcher only ever
// runs the binary built with it. The version is the argument, or Cargo.toml's.
// Usage: node npm/stamp.js [VERSION] [DIR]   (prints the version it stamped)
'use strict';

const fs = require('fs');
const path = require('path');

function cargoVersion() {
  const toml = fs.readFileSync(path.join(__dirname, '..', 'Cargo.toml'), 'utf8');
  const pkg = toml.split(/^\[/m).find((s) => s.startsWith('package]'));
  const m = pkg && pkg.match(/^version\s*=\s*"([^"]+)"/m);
  if (!m) throw new Error('no [package] version in Cargo.toml');
  return m[1];
}

function packageFiles(dir) {
  const files = [path.join(dir, 'ccrecap', 'package.json')];
  const platforms = path.join(dir, 'platforms');
  for (const name of fs.readdirSync(platforms).sort()) {
    files.push(path.join(platforms, name, 'package.json'));
  }
  return files;
}

function stamp(version, dir) {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new Error(`not a semver version: ${version}`);
  }
  const files = packageFiles(dir);
  const platformNames = new Set();
  for (const file of files.slice(1)) {
    platformNames.add(JSON.parse(fs.readFileSync(file, 'utf8')).name);
  }
  for (const file of files) {
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    pkg.version = version;
    if (pkg.optionalDependencies) {
      const listed = Object.keys(pkg.optionalDependencies);
      const missing = [...platformNames].filter((n) => !listed.includes(n));
      const extra = listed.filter((n) => !platformNames.has(n));
      if (missing.length || extra.length) {
        throw new Error(`${file}: optionalDependencies do not match platforms/ (missing ${missing}, extra ${extra})`);
      }
      for (const name of listed) pkg.optionalDependencies[name] = version;
    }
    fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
}

if (require.main === module) {
  const version = process.argv[2] || cargoVersion();
  stamp(version, path.resolve(process.argv[3] || __dirname));
  process.stdout.write(`${version}\n`);
}

module.exports = { cargoVersion, stamp };
