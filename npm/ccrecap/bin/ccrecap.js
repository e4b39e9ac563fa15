#!/usr/bin/env node
// The `ccrecap` npm launcher: finds the native binary that npm installed from the
// platform package (@ccrecap/ccrecap-<os>-<cpu>, an optional dependency) and runs it with
// the same arguments, stdio, signals and exit status. It has no dependencies, never
// downloads anything and never writes to stdout itself (stdout is the report's, so
// `npx ccrecap --json | jq` stays clean); its own messages go to stderr.
// CCRECAP_BINARY=/path/to/ccrecap runs that binary instead.
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');

/** `${process.platform}-${process.arch}` → the package holding that platform's binary. */
const PLATFORMS = {
  'linux-x64': '@ccrecap/ccrecap-linux-x64',
  'linux-arm64': '@ccrecap/ccrecap-linux-arm64',
  'darwin-x64': '@ccrecap/ccrecap-darwin-x64',
  'darwin-arm64': '@ccrecap/ccrecap-darwin-arm64',
  'win32-x64': '@ccrecap/ccrecap-win32-x64',
};

/** The platform package for a platform and architecture, or undefined. */
function packageFor(platform, arch) {
  return PLATFORMS[`${platform}-${arch}`];
}

/**
 * Where the binary is: { path, fromPackage } or { error } (a message for stderr).
 * `resolve` is require.resolve (injected for tests).
 */
function locate(env, platform, arch, resolve) {
  if (env.CCRECAP_BINARY) {
    return { path: env.CCRECAP_BINARY, fromPackage: false };
  }
  const pkg = packageFor(platform, arch);
  if (!pkg) {
    return {
      error: `ccrecap: no prebuilt binary for ${platform}-${arch} on npm (there are: ${Object.keys(PLATFORMS).join(', ')}).`,
    };
  }
  const exe = platform === 'win32' ? 'ccrecap.exe' : 'ccrecap';
  try {
    return { path: resolve(`${pkg}/bin/${exe}`), fromPackage: true };
  } catch (_) {
    return {
      error:
        `ccrecap: the native binary for ${platform}-${arch} is not installed: the optional package ${pkg} is missing\n` +
        'ccrecap: (npm leaves optional packages out with --omit=optional, or with a lockfile made on another platform).',
    };
  }
}

/** The advice printed after any failure to find or start the binary. */
const FALLBACK =
  'ccrecap: install the binary instead with `cargo binstall ccrecap` (or `cargo install ccrecap`),\n' +
  'ccrecap: or set CCRECAP_BINARY=/path/to/ccrecap.';

/** Restores the execute bit some extractors drop (not on Windows, not on CCRECAP_BINARY). */
function ensureExecutable(file, platform) {
  if (platform === 'win32') return;
  try {
    const mode = fs.statSync(file).mode;
    if ((mode & 0o111) === 0) fs.chmodSync(file, mode | 0o755);
  } catch (_) {
    // A read-only install: let spawn report the real error.
  }
}

/** The signals passed on to the child while it runs. */
function forwardedSignals(platform) {
  return platform === 'win32'
    ? ['SIGINT', 'SIGBREAK', 'SIGHUP']
    : ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
}

function fail(message) {
  process.stderr.write(`${message}\n${FALLBACK}\n`);
  process.exit(1);
}

function main() {
  const found = locate(process.env, process.platform, process.arch, require.resolve);
  if (found.error) fail(found.error);
  if (found.fromPackage) ensureExecutable(found.path, process.platform);

  // Handlers first: a signal that arrives while spawn() runs is dispatched by the event
  // loop afterwards, when `child` is set, instead of killing the launcher alone.
  let child = null;
  const handlers = forwardedSignals(process.platform).map((signal) => {
    const handler = () => {
      try {
        child.kill(signal);
      } catch (_) {
        // The child has already exited.
      }
    };
    process.on(signal, handler);
    return [signal, handler];
  });
  child = spawn(found.path, process.argv.slice(2), { stdio: 'inherit' });

  child.on('error', (err) => fail(`ccrecap: cannot run ${found.path}: ${err.message}`));
  child.on('exit', (code, signal) => {
    for (const [s, h] of handlers) process.removeListener(s, h);
    if (signal) {
      // Die the same way, so the shell sees the child's signal status.
      process.exitCode = 128 + (os.constants.signals[signal] || 1);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code === null ? 1 : code);
  });
}

if (require.main === module) {
  main();
}

module.exports = { PLATFORMS, packageFor, locate, ensureExecutable, forwardedSignals, FALLBACK };
