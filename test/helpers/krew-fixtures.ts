// Small krew manifests and archives for the validator's negative cases: a valid one-platform
// manifest and archive, and ways to break each. Archives are made with the system tar, like the
// release ones, so that symlinks and modes are what a real tarball carries.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Member {
  name: string;
  content?: string;
  mode?: number;
  /** Makes the member a symlink to this target instead of a file. */
  symlinkTo?: string;
}

/** A reproducible .tar.gz of `members`, in the order given. */
export function tarGz(members: readonly Member[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'krew-fixture-'));
  try {
    for (const m of members) {
      const path = join(dir, m.name);
      if (m.symlinkTo !== undefined) symlinkSync(m.symlinkTo, path);
      else {
        writeFileSync(path, m.content ?? '');
        chmodSync(path, m.mode ?? 0o644);
      }
    }
    const tar = execFileSync('tar', [
      '--format=ustar',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '-cf',
      '-',
      '-C',
      dir,
      ...members.map((m) => m.name),
    ]);
    return execFileSync('gzip', ['-n', '-c'], { input: tar });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** What a good archive holds. */
export const GOOD_MEMBERS: readonly Member[] = [
  { name: 'LICENSE', content: 'Apache License 2.0\n', mode: 0o644 },
  { name: 'kubectl-apigee_tls', content: '#!/bin/sh\necho ok\n', mode: 0o755 },
];

/** A valid one-platform (linux/amd64) manifest for an archive with sha256 `sum`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are broken on purpose in ways no type describes
export function manifestFor(sum: string): Record<string, any> {
  return {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'apigee-tls' },
    spec: {
      version: 'v0.1.0',
      homepage: 'https://github.com/apigee-tls/kubectl-apigee_tls',
      shortDescription: 'Diagnose Apigee hybrid ingress TLS failures',
      description: 'Checks Apigee hybrid ingress TLS.\n',
      platforms: [
        {
          selector: { matchLabels: { os: 'linux', arch: 'amd64' } },
          uri: 'https://github.com/apigee-tls/kubectl-apigee_tls/releases/download/v0.1.0/kubectl-apigee_tls_linux_amd64.tar.gz',
          sha256: sum,
          bin: 'kubectl-apigee_tls',
        },
      ],
    },
  };
}

/** A folder holding `manifest` as `fileName` and `archive` under the uri's name; removed at teardown. */
export function releaseDir(t: { teardown(fn: () => void): void }, files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'krew-release-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
