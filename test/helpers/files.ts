// Per-test temp directories for input files (certificates, keys, overrides.yaml) that the CLI
// reads. Test-time only: every directory is removed when its test ends, and nothing is committed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempDir {
  /** Absolute path of the directory (no spaces: mkdtemp under os.tmpdir()). */
  path: string;
  /** Writes `content` to `name` (a relative path; parent folders are created) and returns its absolute path. */
  write(name: string, content: string | Buffer): string;
  /** The absolute path `name` would have, without writing anything. */
  file(name: string): string;
}

/** A fresh temp directory, removed by ava's t.teardown when the test ends. */
export function tempDir(t: { teardown(fn: () => void): void }, prefix = 'apigee-tls-check-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(path, { recursive: true, force: true }));
  const file = (name: string) => join(path, name);
  return {
    path,
    file,
    write(name, content) {
      const target = file(name);
      mkdirSync(dirname(target), { recursive: true });
      // Keys are written owner-only, like a careful user would keep them.
      writeFileSync(target, content, { mode: 0o600 });
      return target;
    },
  };
}
