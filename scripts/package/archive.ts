// Packs a target's staging folder into its release archive, reproducibly, and writes the
// archive's `.sha256` beside it. The archive holds regular files only (krew aborts on links), with
// their modes (krew copies modes and never chmods, so the exec bit must be inside the archive):
//   kubectl-apigee_tls[.exe]            the executable
//   LICENSE                              krew-index requires a license file in every archive
//   kubectl_complete-apigee_tls[.cmd]    shell completion for kubectl ≥ 1.26
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeZip } from './zip.js';
import { PATHS, archivePath, completionName, executableName, stagingDir, type Target } from './targets.js';

/** kubectl runs `kubectl_complete-<plugin>` from PATH to complete `kubectl <plugin> …`. */
const COMPLETION_SH = '#!/bin/sh\nexec kubectl apigee-tls __complete "$@"\n';
const COMPLETION_CMD = '@echo off\r\nkubectl apigee-tls __complete %*\r\n';

/** The archive's members, sorted by name, with their modes. */
export function archiveMembers(t: Target): Array<{ name: string; mode: number }> {
  return [
    { name: 'LICENSE', mode: 0o644 },
    { name: executableName(t), mode: 0o755 },
    { name: completionName(t), mode: 0o755 },
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Puts LICENSE and the completion helper beside the executable in the staging folder. */
export function stage(t: Target): string {
  const dir = stagingDir(t);
  mkdirSync(dir, { recursive: true });
  copyFileSync(PATHS.license, join(dir, 'LICENSE'));
  writeFileSync(join(dir, completionName(t)), t.os === 'windows' ? COMPLETION_CMD : COMPLETION_SH);
  for (const m of archiveMembers(t)) chmodSync(join(dir, m.name), m.mode);
  return dir;
}

export const sha256File = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Writes the archive (by default into dist/release) and its .sha256; returns the lowercase hex sha256. */
export function writeArchive(t: Target, out = archivePath(t)): string {
  const dir = stagingDir(t);
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  const members = archiveMembers(t);
  if (t.archive === 'zip') {
    writeFileSync(out, writeZip(members.map((m) => ({ name: m.name, mode: m.mode, data: readFileSync(join(dir, m.name)) }))));
  } else {
    const tar = `${out}.tar`;
    execFileSync('tar', [
      '--format=ustar',
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '-cf',
      tar,
      '-C',
      dir,
      ...members.map((m) => m.name),
    ]);
    // -n: no name or timestamp in the gzip header. -9 would take 3x as long for 0.4 % less.
    writeFileSync(out, execFileSync('gzip', ['-n', '-c', tar], { maxBuffer: 1 << 30 }));
    rmSync(tar);
  }
  const sha = sha256File(out);
  writeFileSync(`${out}.sha256`, `${sha}  ${basename(out)}\n`);
  return sha;
}
