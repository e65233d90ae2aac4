// What each target's archive was built from, written next to its staging folder, so that a test
// (or a rerun) can tell whether the archive is current for the bundle in dist/.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { sha256File } from './archive.js';
import { NODE_VERSION, PATHS, archivePath, buildInfoPath, type Target } from './targets.js';

export interface BuildInfo {
  target: Target['id'];
  node: string;
  bundleSha256: string;
  archiveSha256: string;
}

export function writeBuildInfo(t: Target, bundleSha256: string, archiveSha256: string): void {
  const info: BuildInfo = { target: t.id, node: NODE_VERSION, bundleSha256, archiveSha256 };
  writeFileSync(buildInfoPath(t), `${JSON.stringify(info, null, 2)}\n`);
}

/** True when `t`'s archive exists and was built from the current bundle with this Node version. */
export function isCurrent(t: Target): boolean {
  if (!existsSync(buildInfoPath(t)) || !existsSync(archivePath(t)) || !existsSync(PATHS.bundle)) return false;
  const info = JSON.parse(readFileSync(buildInfoPath(t), 'utf8')) as BuildInfo;
  return info.node === NODE_VERSION && info.bundleSha256 === sha256File(PATHS.bundle) && info.archiveSha256 === sha256File(archivePath(t));
}
