// Reads the local files `check` is pointed at. A missing or unreadable file is a usage error that
// names the path; nothing is ever written.
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { candidatePaths, overridesNameProblem, parseOverrides, type Overrides } from '../apigee/overrides.js';
import { UsageError } from '../errors.js';

const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export async function readInputFile(path: string, what: string): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${what} ${path} is not a file`);
    size = info.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable'}`);
  }
  if (size > MAX_INPUT_BYTES) throw new UsageError(`${what} ${path} is larger than 64 MiB; not a certificate or key`);
  try {
    return await readFile(path);
  } catch {
    throw new UsageError(`cannot read ${what} ${path}: not readable`);
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

/** The first candidate location of a path from overrides.yaml that exists, and its bytes. */
export async function readOverridesPath(overridesPath: string, path: string, what: string): Promise<{ path: string; bytes: Buffer }> {
  const candidates = candidatePaths(dirname(overridesPath), path);
  for (const candidate of candidates) {
    const exists = await stat(candidate).then(
      (s) => s.isFile(),
      () => false,
    );
    if (exists) return { path: candidate, bytes: await readInputFile(candidate, what) };
  }
  throw new UsageError(`cannot read ${what} ${path} named in ${overridesPath}: looked in ${candidates.join(' and ')}`);
}

/** All of stdin (for `--from-curl-log -`), bounded like a file. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_INPUT_BYTES) throw new UsageError('stdin is larger than 64 MiB; not a curl transcript');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
