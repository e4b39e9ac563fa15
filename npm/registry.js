#!/usr/bin/env node
// A minimal read-only npm registry for the offline test (npm/test-offline.sh): serves
// the packuments and tarballs of the `npm pack`ed .tgz files in one directory, on
// 127.0.0.1 and a free port only. It prints `http://127.0.0.1:PORT/` on stdout once it
// listens, and logs each request (`GET /path STATUS`) on stderr.
// Routes: GET /<name>, /@scope%2fname and /@scope/name → the packument (versions,
// dist-tags.latest, dist.tarball, dist.shasum, dist.integrity); GET /-/<file>.tgz → the
// tarball; anything else → 404. No dependencies: http, zlib and crypto only.
// Usage: node npm/registry.js DIR
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const zlib = require('zlib');

/** `package/package.json` out of an npm tarball (gzip'd ustar, maybe with pax headers). */
function manifestOf(tgz) {
  const tar = zlib.gunzipSync(tgz);
  let longName = null;
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, len) => header.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const body = tar.subarray(off + 512, off + 512 + size);
    let name = longName || (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = null;
    if (type === 'x') {
      const m = body.toString('utf8').match(/\d+ path=([^\n]*)\n/);
      if (m) longName = m[1];
    } else if (name.replace(/^[^/]+\//, '') === 'package.json' && name.split('/').length === 2) {
      return JSON.parse(body.toString('utf8'));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('no package/package.json in the tarball');
}

/** name → { versions: { v: { manifest, file, bytes } } } for every .tgz in dir. */
function load(dir) {
  const packages = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort()) {
    const bytes = fs.readFileSync(path.join(dir, file));
    const manifest = manifestOf(bytes);
    if (!packages.has(manifest.name)) packages.set(manifest.name, new Map());
    packages.get(manifest.name).set(manifest.version, { manifest, file, bytes });
  }
  return packages;
}

function packument(name, versions, base) {
  const doc = { name, 'dist-tags': {}, versions: {} };
  let latest = null;
  for (const [version, { manifest, file, bytes }] of versions) {
    doc.versions[version] = {
      ...manifest,
      _id: `${name}@${version}`,
      dist: {
        tarball: `${base}-/${file}`,
        shasum: crypto.createHash('sha1').update(bytes).digest('hex'),
        integrity: `sha512-${crypto.createHash('sha512').update(bytes).digest('base64')}`,
      },
    };
    latest = version;
  }
  doc['dist-tags'].latest = latest;
  return doc;
}

function serve(dir) {
  const packages = load(dir);
  const files = new Map();
  for (const versions of packages.values()) {
    for (const { file, bytes } of versions.values()) files.set(file, bytes);
  }
  let base = null;
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0]);
    let status = 404;
    let body = '{"error":"not found"}';
    let type = 'application/json';
    if (req.method === 'GET' && url.startsWith('/-/') && files.has(url.slice(3))) {
      status = 200;
      body = files.get(url.slice(3));
      type = 'application/octet-stream';
    } else if (req.method === 'GET' && packages.has(url.slice(1))) {
      status = 200;
      body = JSON.stringify(packument(url.slice(1), packages.get(url.slice(1)), base));
    }
    process.stderr.write(`${req.method} ${req.url} ${status}\n`);
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    base = `http://127.0.0.1:${server.address().port}/`;
    process.stdout.write(`${base}\n`);
  });
  return server;
}

if (require.main === module) {
  if (!process.argv[2]) {
    process.stderr.write('usage: node registry.js DIR\n');
    process.exit(2);
  }
  serve(process.argv[2]);
}

module.exports = { manifestOf, load, packument };
