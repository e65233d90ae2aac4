#!/usr/bin/env node
// kubectl-apigee_tls: the CLI's bundle, compiled with a V8 code cache. V8 would otherwise compile the
// whole bundle on every run; the cache (in the user's cache folder, keyed by the bundle's hash, Node's
// version and the architecture) lets it skip that. The cache is never needed for correctness: when
// it is missing, stale, rejected or cannot be written, the bundle is simply compiled as usual.
'use strict';
const SOURCE = __BUNDLE_SOURCE__;
const HASH = __BUNDLE_HASH__;

function cacheFile() {
  const { join } = require('node:path');
  const env = process.env;
  if (env.APIGEE_TLS_NO_CODE_CACHE) return null;
  const home = env.HOME || env.USERPROFILE;
  const base = env.XDG_CACHE_HOME || (env.LOCALAPPDATA ? env.LOCALAPPDATA : home ? join(home, '.cache') : null);
  if (!base) return null;
  return join(base, 'kubectl-apigee_tls', `v8-${HASH}-${process.version}-${process.arch}.bin`);
}

function readCache(file) {
  try {
    return file ? require('node:fs').readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** Written once the run is done (so the functions it compiled are in it), atomically, private to the user. */
function writeCacheLater(file, script) {
  process.once('beforeExit', () => {
    try {
      const fs = require('node:fs');
      const { dirname } = require('node:path');
      fs.mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch {
      // Only time is lost.
    }
  });
}

const vm = require('node:vm');
const file = cacheFile();
const cachedData = readCache(file);
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${SOURCE}\n})`, { filename: __filename, cachedData });
if (file && (cachedData === undefined || script.cachedDataRejected)) writeCacheLater(file, script);
script.runInThisContext()(exports, require, module, __filename, __dirname);
