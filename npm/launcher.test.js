// Unit tests of the npm launcher (ccrecap/bin/ccrecap.js), run by test-offline.sh with
// `node --test`: platform mapping, the CCRECAP_BINARY override, the missing-package
// message, the execute bit, and — through real child processes with fake binaries — exit
// codes, signal forwarding, death by signal, and a stdout that only the binary writes to.
'use strict';

const assert = require('assert');
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const test = require('node:test');
const launcher = require('./ccrecap/bin/ccrecap.js');

const LAUNCHER = path.join(__dirname, 'ccrecap', 'bin', 'ccrecap.js');
const unix = process.platform !== 'win32';

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ccrecap-launcher-'));
}

/** A fake binary: a shell script with the given body. */
function fakeBinary(body) {
  const file = path.join(tmpdir(), 'ccrecap');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** Runs the launcher with CCRECAP_BINARY (or none) and the given args. */
function run(binary, args = [], extraEnv = {}) {
  const env = { ...process.env, ...extraEnv };
  delete env.CCRECAP_BINARY;
  if (binary) env.CCRECAP_BINARY = binary;
  return spawnSync(process.execPath, [LAUNCHER, ...args], { env, encoding: 'utf8' });
}

test('every supported platform maps to its package', () => {
  assert.strictEqual(launcher.packageFor('linux', 'x64'), '@ccrecap/ccrecap-linux-x64');
  assert.strictEqual(launcher.packageFor('darwin', 'arm64'), '@ccrecap/ccrecap-darwin-arm64');
  assert.strictEqual(launcher.packageFor('win32', 'x64'), '@ccrecap/ccrecap-win32-x64');
  assert.strictEqual(launcher.packageFor('freebsd', 'x64'), undefined);
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, 'ccrecap', 'package.json'), 'utf8'));
  assert.deepStrictEqual(
    Object.values(launcher.PLATFORMS).sort(),
    Object.keys(pkg.optionalDependencies).sort(),
  );
});

test('locate resolves the platform binary, .exe on Windows', () => {
  const seen = [];
  const resolve = (id) => (seen.push(id), `/x/${id}`);
  assert.deepStrictEqual(launcher.locate({}, 'linux', 'arm64', resolve), {
    path: '/x/@ccrecap/ccrecap-linux-arm64/bin/ccrecap',
    fromPackage: true,
  });
  launcher.locate({}, 'win32', 'x64', resolve);
  assert.deepStrictEqual(seen[1], '@ccrecap/ccrecap-win32-x64/bin/ccrecap.exe');
});

test('CCRECAP_BINARY wins over the package', () => {
  const found = launcher.locate({ CCRECAP_BINARY: '/opt/ccrecap' }, 'linux', 'x64', () => {
    throw new Error('must not resolve');
  });
  assert.deepStrictEqual(found, { path: '/opt/ccrecap', fromPackage: false });
});

test('a missing package or platform explains itself', () => {
  const missing = launcher.locate({}, 'linux', 'x64', () => {
    throw new Error('MODULE_NOT_FOUND');
  });
  assert.match(missing.error, /@ccrecap\/ccrecap-linux-x64/);
  assert.match(missing.error, /--omit=optional/);
  assert.match(launcher.locate({}, 'aix', 'ppc64', () => '').error, /no prebuilt binary for aix-ppc64/);
  assert.match(launcher.FALLBACK, /cargo binstall ccrecap/);
});

test('the execute bit is restored', { skip: !unix }, () => {
  const file = path.join(tmpdir(), 'ccrecap');
  fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  launcher.ensureExecutable(file, 'linux');
  assert.strictEqual(fs.statSync(file).mode & 0o777, 0o755);
});

test('arguments, stdout and the exit code pass through', { skip: !unix }, () => {
  const bin = fakeBinary('printf "%s|" "$@"; echo; echo err >&2; exit 7');
  const r = run(bin, ['daily', '--json', 'two words']);
  assert.strictEqual(r.status, 7);
  assert.strictEqual(r.stdout, 'daily|--json|two words|\n');
  assert.strictEqual(r.stderr, 'err\n');
});

test('without a binary: a message on stderr, nothing on stdout, exit 1', () => {
  // The launcher's own directory has no platform package installed next to it.
  const r = run(null, ['--json']);
  assert.strictEqual(r.status, 1);
  assert.strictEqual(r.stdout, '');
  assert.match(r.stderr, /cargo binstall ccrecap/);
});

test('a binary that cannot start is reported, exit 1', () => {
  const r = run(path.join(tmpdir(), 'no-such-binary'));
  assert.strictEqual(r.status, 1);
  assert.strictEqual(r.stdout, '');
  assert.match(r.stderr, /cannot run .*no-such-binary/);
});

test('a child killed by a signal kills the launcher the same way', { skip: !unix }, () => {
  const r = run(fakeBinary('kill -TERM $$; sleep 5'));
  assert.strictEqual(r.signal, 'SIGTERM');
});

test('signals sent to the launcher reach the child', { skip: !unix }, async () => {
  // The fake binary gives up after ~10 s and records its pid, so a failure never leaves
  // it running (it would hold the pipes open and hang the test runner).
  const dir = tmpdir();
  const pidFile = path.join(dir, 'pid');
  const bin = fakeBinary(
    `echo $$ > '${pidFile}'; trap 'echo got-term; exit 42' TERM; echo ready; ` +
      'i=0; while [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; exit 9',
  );
  const env = { ...process.env, CCRECAP_BINARY: bin };
  const child = spawn(process.execPath, [LAUNCHER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve) =>
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ready')) resolve();
    }),
  );
  try {
    await ready;
    child.kill('SIGTERM'); // the launcher only, not its process group
    const result = await done;
    assert.deepStrictEqual(result, { code: 42, signal: null });
    assert.match(out, /got-term/);
  } finally {
    child.kill('SIGKILL');
    try {
      process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch (_) {
      // Already gone.
    }
  }
});
