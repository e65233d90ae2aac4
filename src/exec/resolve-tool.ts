// A tool is found before it is started, the way a shell would find it (PATH, and on Windows the
// .exe/.com extensions), and then started by its absolute path. On Windows this is what keeps
// cmd.exe out: cross-spawn (under execa) runs a command it cannot resolve to an .exe through
// `cmd.exe /d /s /c`, so a missing tool became cmd's exit 9009 instead of "not found". Batch files
// (.cmd, .bat) are not run for the same reason: they need cmd.exe.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

const WINDOWS_EXTENSIONS = ['.exe', '.com'];

function runnable(path: string, windows: boolean): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (!windows) accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path itself, or on Windows with .exe/.com added when it has no such extension. */
function candidates(path: string, windows: boolean): string[] {
  if (!windows) return [path];
  const lower = path.toLowerCase();
  return WINDOWS_EXTENSIONS.some((ext) => lower.endsWith(ext)) ? [path] : WINDOWS_EXTENSIONS.map((ext) => `${path}${ext}`);
}

/**
 * The absolute path of `file` (a bare name looked up on PATH, or a path as given), or null when
 * nothing runnable is there.
 */
export function resolveTool(file: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const windows = platform === 'win32';
  const hasDir = windows ? /[\\/]/.test(file) : file.includes('/');
  if (hasDir || isAbsolute(file)) return candidates(resolve(file), windows).find((p) => runnable(p, windows)) ?? null;
  const path = (windows ? (env.Path ?? env.PATH) : env.PATH) ?? '';
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const found = candidates(join(dir, file), windows).find((p) => runnable(p, windows));
    if (found) return resolve(found);
  }
  return null;
}
