// Reads the local files `check` is pointed at. A missing or unreadable file is a usage error that
// names the path; nothing is ever written.
import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { shownPath } from '../apigee/names.js';
import { candidatePaths, overridesNameProblem, parseOverrides, type Overrides } from '../apigee/overrides.js';
import { UsageError } from '../errors.js';

const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export async function readInputFile(path: string, what: string): Promise<Buffer> {
  let size: number;
  // A key pasted where a path belongs must not come back in the error.
  const shown = shownPath(path);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${what} ${shown} is not a file`);
    size = info.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${what} ${shown}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable'}`);
  }
  if (size > MAX_INPUT_BYTES) throw new UsageError(`${what} ${shown} is larger than 64 MiB; not a certificate or key`);
  try {
    return await readFile(path);
  } catch {
    throw new UsageError(`cannot read ${what} ${shown}: not readable`);
  }
}

/**
 * --kubeconfig must be a regular file (a symlink to one is fine): a process substitution would be
 * read empty by kubectl after we read it, and /dev/zero makes every kubectl grow without end. A
 * path that does not exist is kubectl's to report, as it would without the plugin.
 */
export function checkKubeconfigFile(path: string): void {
  let info;
  try {
    info = statSync(path);
  } catch {
    return;
  }
  if (!info.isFile()) {
    throw new UsageError(`--kubeconfig ${shownPath(path)} is not a regular file (a pipe, a device or a folder cannot be passed on to kubectl)`);
  }
}

export async function readOverrides(path: string): Promise<Overrides> {
  const text = (await readInputFile(path, 'overrides file')).toString('utf8');
  const parsed = parseOverrides(text);
  if (!parsed.ok) throw new UsageError(`overrides file ${path} ${parsed.error}`);
  const problem = overridesNameProblem(parsed.overrides);
  if (problem) throw new UsageError(problem.replace(/^(invalid [^"(]*(?:"[^"]*"|\([^)]*\)))/, `$1 in ${path}`));
  return parsed.overrides;
}

/** The first candidate location of a path from overrides.yaml that exists, its bytes and the rule that found it. */
export async function readOverridesPath(overridesPath: string, path: string, what: string): Promise<{ path: string; bytes: Buffer; rule: string }> {
  const candidates = candidatePaths(process.cwd(), dirname(overridesPath), path);
  for (const candidate of candidates) {
    const exists = await stat(candidate.path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (exists) return { path: candidate.path, bytes: await readInputFile(candidate.path, what), rule: candidate.rule };
  }
  throw new UsageError(`cannot read ${what} ${path} named in ${overridesPath}: looked in ${candidates.map((c) => c.path).join(', ')}`);
}

/** All of stdin (for `--from-curl-log -`), bounded like a file; null when `signal` stopped the read. */
export function readStdin(signal: AbortSignal, stdin: NodeJS.ReadableStream & { destroy(): void } = process.stdin): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_INPUT_BYTES) {
        done();
        stdin.destroy();
        reject(new UsageError('stdin is larger than 64 MiB; not a curl transcript'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => (done(), resolve(Buffer.concat(chunks)));
    const onError = (): void => (done(), reject(new UsageError('cannot read stdin')));
    // A writer that never finishes must not hold the run past its deadline or a Ctrl-C.
    const onAbort = (): void => (done(), stdin.destroy(), resolve(null));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.on('error', onError);
  });
}
