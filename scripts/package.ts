// `npm run package`: the native executables, their release archives and krew-manifest.yaml.
//
//   bundle (scripts/build.mjs) → SEA blob (made by Node 22.23.2 itself; with a V8 code cache, by
//   each target's own Node where it runs here: sea.ts) → for each target:
//   official Node 22.23.2 binary (npm pack, cached in .cache/) → strip / unsign → postject →
//   ad-hoc sign (darwin) → dist/release/kubectl-apigee_tls_<os>_<arch>.{tar.gz,zip} + .sha256
//   → krew-manifest.yaml (when all five archives exist), validated like krew-index does.
//
// Usage: npm run package [-- --target linux-x64 [--target darwin-arm64 …]] [--no-manifest] [--no-build]
//   --target ID    build only these (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win-x64;
//                  linux-amd64 style names work too); default: all five
//   --no-manifest  leave krew-manifest.yaml alone
//   --no-build     use dist/kubectl-apigee_tls.cjs as it is (the tests: other test files run it)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stage, sha256File, writeArchive } from './package/archive.js';
import { writeBuildInfo } from './package/build-info.js';
import { fetchNode } from './package/fetch-node.js';
import { buildExecutable } from './package/inject.js';
import { inspectBinary } from './package/inspect-binary.js';
import { writeManifest } from './package/krew-manifest.js';
import { makeSeaBlobs, type SeaBlob } from './package/sea.js';
import { PATHS, REPO_ROOT, TARGETS, archivePath, executableName, stagingDir, targetById, type Target } from './package/targets.js';
import { validateManifestFile } from './package/validate-krew-manifest.js';

const started = Date.now();
const log = (line: string) => process.stdout.write(`[package ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
const mb = (file: string) => `${(statSync(file).size / 1e6).toFixed(1)} MB`;

function parseArgs(argv: string[]): { targets: Target[]; manifest: boolean; build: boolean } {
  const ids: string[] = [];
  let manifest = true;
  let build = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--target') ids.push(...(argv[++i] ?? '').split(','));
    else if (a.startsWith('--target=')) ids.push(...a.slice('--target='.length).split(','));
    else if (a === '--no-manifest') manifest = false;
    else if (a === '--no-build') build = false;
    else throw new Error(`unknown argument "${a}"`);
  }
  return { targets: ids.length === 0 ? [...TARGETS] : ids.filter(Boolean).map(targetById), manifest, build };
}

/** What the build must have produced, or it stops here rather than ship it. */
function checkExecutable(t: Target, file: string, blob: Buffer): void {
  const info = inspectBinary(readFileSync(file));
  const machine = t.arch === 'amd64' ? 'x86-64' : t.os === 'linux' ? 'aarch64' : 'arm64';
  if (info.machine !== machine) throw new Error(`${file}: machine ${info.machine}, expected ${machine}`);
  if (!info.seaBlob?.equals(blob)) throw new Error(`${file}: the SEA blob is not where Node looks for it`);
  if (info.fuse.count !== 1 || info.fuse.value !== '1') throw new Error(`${file}: the SEA fuse is not set`);
}

async function buildTarget(t: Target, blob: SeaBlob): Promise<void> {
  const base = fetchNode(t, log);
  rmSync(stagingDir(t), { recursive: true, force: true });
  const exe = join(stagingDir(t), executableName(t));
  log(`${t.id}: injecting into ${t.npmPackage}${t.strip.length ? ' (stripped)' : ''}${t.os === 'darwin' ? ', then ad-hoc signing' : ''}`);
  await buildExecutable(t, base, blob.path, exe);
  checkExecutable(t, exe, readFileSync(blob.path));
  stage(t);
  const sha = writeArchive(t);
  writeBuildInfo(t, blob.bundleSha256, sha);
  log(`${t.id}: ${executableName(t)} ${mb(exe)} → ${archivePath(t).slice(REPO_ROOT.length + 1)} ${mb(archivePath(t))} sha256 ${sha}`);
}

function updateManifest(): void {
  const missing = TARGETS.filter((t) => !existsSync(archivePath(t)));
  if (missing.length > 0) {
    log(`krew-manifest.yaml left as is: no archive yet for ${missing.map((t) => t.id).join(', ')}`);
    return;
  }
  const sums = Object.fromEntries(TARGETS.map((t) => [`${t.os}_${t.arch}`, sha256File(archivePath(t))]));
  const file = writeManifest(sums);
  const { errors, warnings } = validateManifestFile(file, { archives: PATHS.release });
  for (const w of warnings) log(`warning: ${w}`);
  if (errors.length > 0) throw new Error(`krew-manifest.yaml does not validate:\n  ${errors.join('\n  ')}`);
  log('krew-manifest.yaml written and validated against the archives');
}

async function main(): Promise<void> {
  const { targets, manifest, build } = parseArgs(process.argv.slice(2));
  if (build) {
    log('bundling (scripts/build.mjs)');
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  } else if (!existsSync(PATHS.bundle)) {
    throw new Error(`${PATHS.bundle} is missing: run npm run build`);
  }
  // Fetch every base first: a network failure then stops the build before any slow step.
  for (const t of targets) fetchNode(t, log);
  const blobs = makeSeaBlobs(targets, PATHS.bundle, log);
  for (const t of targets) await buildTarget(t, blobs.get(t.id)!);
  if (manifest) updateManifest();
  log('done');
}

main().catch((err: unknown) => {
  process.stderr.write(`package: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
