// Makes the SEA preparation blob from the bundle. The blob must come from exactly the Node version
// of the binaries it is injected into (a Node 20 blob in a Node 22 binary segfaults), so it is made
// by the fetched official binary of the build host's own platform, not by the Node running this.
// The code cache and the snapshot are platform-specific, so both are off: one blob serves all five.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fetchNode } from './fetch-node.js';
import { NODE_VERSION, PATHS, REPO_ROOT, TARGETS, type Target } from './targets.js';

const HOST_OS: Record<string, Target['os']> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const HOST_ARCH: Record<string, Target['arch']> = { x64: 'amd64', arm64: 'arm64' };

/** The target whose binary runs on this machine, to make the blob with. */
export function hostTarget(): Target {
  const t = TARGETS.find((x) => x.os === HOST_OS[process.platform] && x.arch === HOST_ARCH[process.arch]);
  if (!t) throw new Error(`no Node ${NODE_VERSION} binary runs on ${process.platform}-${process.arch}`);
  return t;
}

export interface SeaBlob {
  path: string;
  /** sha256 of the bundle inside it. */
  bundleSha256: string;
}

export function makeSeaBlob(bundle: string = PATHS.bundle, log: (line: string) => void = () => {}): SeaBlob {
  const node = fetchNode(hostTarget(), log);
  const version = execFileSync(node, ['--version']).toString().trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`${node} is ${version}, not v${NODE_VERSION}`);
  mkdirSync(PATHS.work, { recursive: true });
  // A copy, so that a rebuild of dist/ meanwhile cannot mix two bundles into one release. The blob
  // records the main script's path: relative to the repo, the executables do not depend on where
  // the repo is checked out.
  const source = readFileSync(bundle);
  const main = join(PATHS.work, 'kubectl-apigee_tls.cjs');
  writeFileSync(main, source);
  const config = join(PATHS.work, 'sea-config.json');
  const blob = join(PATHS.work, 'sea-prep.blob');
  const seaConfig = {
    main: relative(REPO_ROOT, main),
    output: relative(REPO_ROOT, blob),
    disableExperimentalSEAWarning: true,
    useCodeCache: false,
    useSnapshot: false,
  };
  writeFileSync(config, `${JSON.stringify(seaConfig, null, 2)}\n`);
  log(`making the SEA blob with Node ${version}`);
  execFileSync(node, ['--experimental-sea-config', relative(REPO_ROOT, config)], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return { path: blob, bundleSha256: createHash('sha256').update(source).digest('hex') };
}
