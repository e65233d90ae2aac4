// A private TMPDIR for one CLI run: the child gets it as TMPDIR (so os.tmpdir() in the product
// points here), the directory is snapshotted before and after, and it is polled while the run
// goes on, so that a file written and removed again is still seen and read.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TmpReport<T> {
  value: T;
  /** Relative paths present before the run (always empty: the directory is new). */
  before: string[];
  /** Relative paths of files seen at any time during the run, sorted. */
  seen: string[];
  /** Relative paths still present after the run, sorted. */
  remaining: string[];
  /** `path: finding` for every file whose content `inspect` flagged, at any time it was read. */
  flagged: string[];
}

/** Every file and folder under `dir`, relative, sorted. */
export function listTree(dir: string): string[] {
  try {
    return (readdirSync(dir, { recursive: true }) as string[]).map(String).sort();
  } catch {
    return [];
  }
}

const MAX_READ_BYTES = 16 * 1024 * 1024;

/**
 * Runs `fn(tmp)` with a fresh directory, polling it every few milliseconds; each file is read
 * whenever its size or mtime changed, and `inspect(content)` names anything wrong in it.
 * The directory is removed afterwards.
 */
export async function withPrivateTmp<T>(fn: (tmp: string) => Promise<T>, inspect: (content: string) => string[]): Promise<TmpReport<T>> {
  const dir = mkdtempSync(join(tmpdir(), 'apigee-tls-leak-tmp-'));
  const seen = new Set<string>();
  const flagged = new Set<string>();
  const versions = new Map<string, string>();
  const scan = (): void => {
    for (const rel of listTree(dir)) {
      const full = join(dir, rel);
      let info;
      try {
        info = statSync(full);
      } catch {
        continue; // removed between readdir and stat
      }
      if (!info.isFile()) continue;
      seen.add(rel);
      const version = `${info.size}:${info.mtimeMs}`;
      if (versions.get(rel) === version || info.size > MAX_READ_BYTES) continue;
      versions.set(rel, version);
      try {
        for (const finding of inspect(readFileSync(full).toString('latin1'))) flagged.add(`${rel}: ${finding}`);
      } catch {
        // removed while reading
      }
    }
  };
  const before = listTree(dir);
  const timer = setInterval(scan, 5);
  try {
    const value = await fn(dir);
    scan();
    return { value, before, seen: [...seen].sort(), remaining: listTree(dir), flagged: [...flagged].sort() };
  } finally {
    clearInterval(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}
