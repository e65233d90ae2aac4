// Makes the SEA preparation blobs from the bundle. A blob must come from exactly the Node version
// of the binaries it is injected into (a Node 20 blob in a Node 22 binary segfaults), so each is made
// by a fetched official Node binary, not by the Node running this.
//
// With a V8 code cache in the blob (`useCodeCache`), the binary skips compiling the bundle from the
// first run on. V8 accepts a code cache only from its own build for its own platform, so such a blob
// is made per target by that target's own Node binary: natively for this host's platform, under
// qemu-user for linux/arm64 and under wine for windows/amd64 where those are installed. darwin's Node
// cannot run here: its binaries get a blob without a code cache whose main is the bundle as built
// (dist/kubectl-apigee_tls.cjs, whose loader keeps its own code cache in the user's cache folder
// after the first run), and so does any target whose Node cannot be run where the build runs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { fetchNode } from './fetch-node.js';
import { NODE_VERSION, PATHS, REPO_ROOT, TARGETS, type Target } from './targets.js';

const HOST_OS: Record<string, Target['os']> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const HOST_ARCH: Record<string, Target['arch']> = { x64: 'amd64', arm64: 'arm64' };

/** The target whose binary runs on this machine. */
export function hostTarget(): Target {
  const t = TARGETS.find((x) => x.os === HOST_OS[process.platform] && x.arch === HOST_ARCH[process.arch]);
  if (!t) throw new Error(`no Node ${NODE_VERSION} binary runs on ${process.platform}-${process.arch}`);
  return t;
}

export interface SeaBlob {
  path: string;
  /** sha256 of the bundle the release is built from (dist/kubectl-apigee_tls.cjs). */
  bundleSha256: string;
  /** The blob holds a V8 code cache made by the target's own Node. */
  codeCache: boolean;
  /** The script the blob runs: the bare bundle (with a code cache) or the bundle with its loader. */
  main: string;
}

const onPath = (tool: string): string | null =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((folder) => join(folder, tool))
    .find((p) => existsSync(p)) ?? null;

/** How to run a target's Node here; `prepare` (wine's prefix) once before the first use. */
type Runner = { file: string; prefix: string[]; env: NodeJS.ProcessEnv; prepare?: () => void };

export const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';

/** How to run the target's own Node here, or null: its code cache cannot be made on this host. */
export function nodeRunner(t: Target): Runner | null {
  const host = hostTarget();
  if (t.id === host.id) return { file: fetchNode(t), prefix: [], env: process.env };
  if (host.os !== 'linux' || host.arch !== 'amd64') return null;
  const qemu = onPath('qemu-aarch64-static');
  if (t.id === 'linux-arm64' && qemu && existsSync(join(ARM64_SYSROOT, 'lib')))
    return { file: qemu, prefix: ['-L', ARM64_SYSROOT, fetchNode(t)], env: process.env };
  const wine = onPath('wine');
  if (t.os === 'windows' && wine) {
    // A prefix of its own, made on first use; Node refuses wine's Windows version without the flag.
    const prefix = join(PATHS.work, 'wine-prefix');
    const env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', NODE_SKIP_PLATFORM_CHECK: '1' };
    const prepare = () => {
      if (!existsSync(prefix)) execFileSync('wineboot', ['-i'], { env, stdio: 'ignore', timeout: 300_000 });
    };
    return { file: wine, prefix: [fetchNode(t)], env, prepare };
  }
  return null;
}

/**
 * The bare bundle, read back out of the built file: its loader carries it as one JSON string
 * literal (scripts/build/code-cache-loader.cjs), so the release and dist/ are the same build.
 */
export function bareBundle(built: string): string {
  const m = /\nconst SOURCE = (".*");\nconst HASH = /s.exec(built);
  if (!m) throw new Error(`${PATHS.bundle}: no bundle source inside its loader`);
  return JSON.parse(m[1]!) as string;
}

function writeBlob(runner: Runner, name: string, main: string, codeCache: boolean): string {
  const config = join(PATHS.work, `sea-config-${name}.json`);
  const blob = join(PATHS.work, `sea-prep-${name}.blob`);
  // Relative to the repo, so the executables do not depend on where the repo is checked out.
  const seaConfig = {
    main: relative(REPO_ROOT, main),
    output: relative(REPO_ROOT, blob),
    disableExperimentalSEAWarning: true,
    useCodeCache: codeCache,
    useSnapshot: false,
  };
  writeFileSync(config, `${JSON.stringify(seaConfig, null, 2)}\n`);
  // wine cannot hand a Unix pipe to Node: its messages go to a file.
  const log = join(PATHS.work, `sea-config-${name}.log`);
  const fd = openSync(log, 'w');
  try {
    execFileSync(runner.file, [...runner.prefix, '--experimental-sea-config', relative(REPO_ROOT, config)], {
      cwd: REPO_ROOT,
      env: runner.env,
      stdio: ['ignore', fd, fd],
      timeout: 600_000,
    });
  } catch (err) {
    throw new Error(`making ${blob}: ${(err as Error).message}\n${readFileSync(log, 'utf8')}`);
  } finally {
    closeSync(fd);
  }
  return blob;
}

function checkVersion(runner: Runner, what: string): void {
  runner.prepare?.();
  const version = execFileSync(runner.file, [...runner.prefix, '--version'], { env: runner.env, stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`${what} is ${version}, not v${NODE_VERSION}`);
}

/** One blob per target: with a code cache where the target's Node runs here, else the shared one without. */
export function makeSeaBlobs(targets: readonly Target[], bundle: string = PATHS.bundle, log: (line: string) => void = () => {}): Map<Target['id'], SeaBlob> {
  mkdirSync(PATHS.work, { recursive: true });
  // Copies, so that a rebuild of dist/ meanwhile cannot mix two bundles into one release.
  const source = readFileSync(bundle);
  const bundleSha256 = createHash('sha256').update(source).digest('hex');
  const withLoader = join(PATHS.work, 'kubectl-apigee_tls.cjs');
  writeFileSync(withLoader, source);
  const bare = join(PATHS.work, 'kubectl-apigee_tls.bare.cjs');
  writeFileSync(bare, bareBundle(source.toString('utf8')));
  const runners = new Map(targets.map((t) => [t.id, nodeRunner(t)]));
  const blobs = new Map<Target['id'], SeaBlob>();
  let shared: SeaBlob | undefined;
  for (const t of targets) {
    const runner = runners.get(t.id);
    if (runner) {
      checkVersion(runner, `${t.id}'s Node`);
      log(`${t.id}: making its SEA blob with a code cache, by its own Node ${NODE_VERSION}${runner.prefix.length ? ` (${runner.file})` : ''}`);
      blobs.set(t.id, { path: writeBlob(runner, `${t.os}_${t.arch}`, bare, true), bundleSha256, codeCache: true, main: bare });
      continue;
    }
    if (!shared) {
      const host = nodeRunner(hostTarget())!;
      checkVersion(host, 'the host Node');
      log(
        `making the SEA blob without a code cache (for ${targets
          .filter((x) => !runners.get(x.id))
          .map((x) => x.id)
          .join(', ')}) with Node ${NODE_VERSION}`,
      );
      shared = { path: writeBlob(host, 'shared', withLoader, false), bundleSha256, codeCache: false, main: withLoader };
    }
    blobs.set(t.id, shared);
  }
  return blobs;
}
