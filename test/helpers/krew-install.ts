// Installs a release archive the way `kubectl krew install` does, without krew: unpack regular
// files only (krew aborts on links and other entry types), keep each file's mode (krew never
// chmods), apply the platform's `files` rules, then link the plugin's `bin` into KREW_ROOT/bin as
// kubectl-<name with dashes as underscores> (a symlink, as krew makes it).
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readArchive } from '../../scripts/package/archive-read.js';
import { installedFiles } from '../../scripts/package/validate-krew-manifest.js';

export interface KrewInstall {
  /** KREW_ROOT/bin: what the user puts on PATH. */
  binDir: string;
  /** KREW_ROOT/store/<name>/<version>: the unpacked archive. */
  storeDir: string;
  /** The symlink in binDir. */
  link: string;
}

export function krewInstall(
  archive: Buffer,
  platform: { bin: string; files?: unknown },
  plugin: { name: string; version: string },
  krewRoot: string,
): KrewInstall {
  const { entries } = readArchive(archive);
  for (const e of entries) {
    if (e.kind !== 'file' && e.kind !== 'dir') throw new Error(`unable to handle file type of "${e.name}" (${e.kind})`);
  }
  const storeDir = join(krewRoot, 'store', plugin.name, plugin.version);
  for (const [path, entry] of installedFiles(entries, platform.files)) {
    const target = join(storeDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.data);
    chmodSync(target, entry.mode);
  }
  const binDir = join(krewRoot, 'bin');
  mkdirSync(binDir, { recursive: true });
  const windows = platform.bin.toLowerCase().endsWith('.exe');
  const link = join(binDir, `kubectl-${plugin.name.replace(/-/g, '_')}${windows ? '.exe' : ''}`);
  symlinkSync(join(storeDir, platform.bin), link);
  return { binDir, storeDir, link };
}
