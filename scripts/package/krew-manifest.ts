// Renders krew-manifest.yaml from krew-manifest.template.yaml: the version from package.json, the
// release URLs from package.json's repository.url, and each archive's sha256. Placeholders:
// version (v + package.json version), homepage, uri OS_ARCH, sha256 OS_ARCH (e.g. linux_amd64).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PATHS, REPO_ROOT, TARGETS, archiveName } from './targets.js';

export const TEMPLATE = join(REPO_ROOT, 'scripts', 'package', 'krew-manifest.template.yaml');

export interface PackageInfo {
  version: string;
  repository?: { url?: string } | string;
}

/** `https://github.com/o/r.git` (also `git+https://…`, `github:o/r`) → `https://github.com/o/r`. */
export function homepageOf(pkg: PackageInfo): string {
  const raw = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!raw) throw new Error('package.json has no repository.url');
  const url = raw
    .replace(/^git\+/, '')
    .replace(/^github:/, 'https://github.com/')
    .replace(/^git@github\.com:/, 'https://github.com/')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  if (!/^https:\/\/[^/]+\/[^/]+\/[^/]+$/.test(url)) throw new Error(`cannot make a release URL from repository "${raw}"`);
  return url;
}

/** Where `npm run package`'s archive for `os_arch` is published for `version`. */
export function releaseUri(pkg: PackageInfo, archive: string): string {
  return `${homepageOf(pkg)}/releases/download/v${pkg.version}/${archive}`;
}

/** The manifest text for `pkg`, given the lowercase sha256 of each archive keyed `os_arch`. */
export function renderManifest(pkg: PackageInfo, sha256: Record<string, string>, template = readFileSync(TEMPLATE, 'utf8')): string {
  const archives = new Map(TARGETS.map((t) => [`${t.os}_${t.arch}`, archiveName(t)]));
  return template.replace(/\{\{([^}]*)\}\}/g, (whole, expr: string) => {
    const [fn, arg] = expr.trim().split(/\s+/);
    if (fn === 'version' && arg === undefined) return `v${pkg.version}`;
    if (fn === 'homepage' && arg === undefined) return homepageOf(pkg);
    const archive = arg === undefined ? undefined : archives.get(arg);
    if (fn === 'uri' && archive) return releaseUri(pkg, archive);
    if (fn === 'sha256' && arg !== undefined && archive) {
      const sum = sha256[arg];
      if (!sum || !/^[a-f0-9]{64}$/.test(sum)) throw new Error(`no lowercase sha256 for ${arg}`);
      return sum;
    }
    throw new Error(`unknown template placeholder ${whole}`);
  });
}

export const readPackageJson = (): PackageInfo => JSON.parse(readFileSync(PATHS.packageJson, 'utf8')) as PackageInfo;

export function writeManifest(sha256: Record<string, string>, out = PATHS.manifest): string {
  const text = renderManifest(readPackageJson(), sha256);
  writeFileSync(out, text);
  return out;
}
