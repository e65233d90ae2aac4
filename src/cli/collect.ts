// `collect <envgroup> [--out FILE] [--host NAME] [--force] [--no-redact]`: the playbook's "gather
// diagnostic information" as one redacted .tar.gz, created 0600 and never over an existing file
// unless --force. Exit code: the diagnosis' (0/1/3) once the archive is written; 2 for usage.
import { constants } from 'node:fs';
import { access, lstat, open, stat, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { IncompleteError, UsageError } from '../errors.js';
import type { CollectRequest } from '../pipeline/collect.js';
import { listNamespace } from '../pipeline/wave.js';
import { exitCodeOf, supportBundle } from '../report/result.js';
import type { Args } from './commands.js';
import { outputRequest, stringFlag } from './common.js';
import { diagnoseRequest } from './diagnose.js';
import { commandExec, type CommandIO } from './io.js';

declare const __VERSION__: string;
declare const __COMMIT__: string;

const PROBE_TIMEOUT_MS = 10_000;

export const NO_REDACT_WARNING = [
  'WARNING: --no-redact: the archive KEEPS IP ADDRESSES (IPv4 and IPv6), BEARER TOKENS, AUTHORIZATION',
  'AND COOKIE HEADERS, AND TOKEN FIELDS in logs and objects exactly as the cluster printed them.',
  'Review every file before you share it. Private keys are still never included.',
].join('\n');

/** apigee-tls-<envgroup>-<UTC yyyymmddThhmmss>.tar.gz */
export function defaultArchiveName(envgroup: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '');
  return `apigee-tls-${envgroup}-${stamp}.tar.gz`;
}

/** The folder the archive's files sit in: the archive's name without .tar.gz. */
export function archiveRoot(out: string, envgroup: string): string {
  const name = basename(out)
    .replace(/\.(tar\.gz|tgz|tar)$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '');
  return name || `apigee-tls-${envgroup}`;
}

const errnoOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException)?.code;

/** Before anything runs: refuse an existing --out without --force, a directory, or a folder we cannot write. */
async function checkOut(out: string, force: boolean): Promise<void> {
  try {
    const st = await lstat(out);
    if (st.isDirectory()) throw new UsageError(`--out ${out} is a directory; give a file name`);
    if (!force) throw new UsageError(`${out} already exists; pass --force to replace it, or choose another --out`);
    // --force replaces an archive, never a device node, a pipe, a socket or a link (as root, /dev/null).
    if (!st.isFile()) throw new UsageError(`--out ${out} is not a regular file; --force replaces only a regular file`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (errnoOf(err) !== 'ENOENT') throw new UsageError(`cannot use --out ${out}: ${errnoOf(err) ?? 'unreadable'}`);
  }
  const dir = dirname(out);
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`cannot write ${out}: ${dir} is not a folder`);
    await access(dir, constants.W_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot write ${out}: ${errnoOf(err) === 'ENOENT' ? `folder ${dir} does not exist` : `folder ${dir} is not writable`}`);
  }
}

/** Created 0600 with O_EXCL: never over an existing file (--force removes it first, so the mode is always ours). */
async function writeArchive(out: string, bytes: Buffer, force: boolean): Promise<void> {
  if (force) {
    try {
      // Asked again just before: the path may have changed since checkOut.
      if (!(await lstat(out)).isFile()) throw new UsageError(`--out ${out} is not a regular file; --force replaces only a regular file`);
      await unlink(out);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      if (errnoOf(err) !== 'ENOENT') throw new IncompleteError(`cannot replace ${out}: ${errnoOf(err) ?? 'error'}`);
    }
  }
  let handle;
  try {
    handle = await open(out, 'wx', 0o600);
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') throw new UsageError(`${out} already exists; pass --force to replace it, or choose another --out`);
    throw new IncompleteError(`cannot create ${out}: ${errnoOf(err) ?? 'error'}`);
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(bytes);
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(out).catch(() => undefined);
    throw new IncompleteError(`cannot write ${out}: ${errnoOf(err) ?? 'error'}`);
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export async function runCollect(args: Args, io: CommandIO): Promise<number> {
  const output = outputRequest(args, io.env, io.isTTY, io.columns);
  const envgroup = stringFlag(args, 'envgroup');
  if (!envgroup) throw new UsageError(`which env group? give its name (${io.program} collect ENVGROUP)`);
  const diagnose = await diagnoseRequest({ ...args, all: false }, io);
  if (diagnose.envgroups.all) throw new UsageError('collect takes one env group');
  const redact = args.redact !== false;
  const force = args.force === true;
  const out = stringFlag(args, 'out') ?? defaultArchiveName(diagnose.envgroups.name, diagnose.now);
  await checkOut(out, force);

  if (!redact) io.stderr(`${NO_REDACT_WARNING}\n\n`);
  const exec = commandExec(io, output, diagnose.kubectl);
  const request: CollectRequest = {
    diagnose: { ...diagnose, envgroups: diagnose.envgroups },
    redact,
    program: io.program,
    plugin: {
      version: typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev',
      commit: typeof __COMMIT__ === 'string' ? __COMMIT__ : 'unknown',
      node: process.version,
    },
    probeTimeoutMs: Math.min(PROBE_TIMEOUT_MS, output.timeoutMs),
  };
  // The namespace listing starts before the pipeline, the checks and the archive writer load.
  const listing = listNamespace(exec, diagnose);
  listing.catch(() => undefined);
  const { collect } = await import('../pipeline/collect.js');
  const result = await collect(exec, request, listing);
  const { tarGz } = await import('../collect/tar.js');
  const root = archiveRoot(out, diagnose.envgroups.name);
  const entries = result.bundle.entries(root);
  const archive = tarGz(entries, diagnose.now);
  await writeArchive(out, archive, force);

  const files = entries.map((e) => e.path);
  const r = result.redactions;
  const lines = [`Wrote ${out} (mode 0600, ${plural(files.length, 'file')}, ${archive.length} bytes):`, ...files.map((f) => `  ${f}`)];
  if (redact) {
    lines.push(
      `Redacted: ${plural(r.addresses, 'IP address', 'IP addresses')} (${r.distinctAddresses} distinct) replaced, ${plural(r.tokens, 'token or header', 'tokens and headers')} removed.`,
    );
  } else {
    lines.push('', NO_REDACT_WARNING, '');
  }
  if (r.keys > 0) lines.push(`Removed ${plural(r.keys, 'private key block or base64 run', 'private key blocks and base64 runs')} found in logs or objects.`);
  if (result.gaps.length > 0) lines.push(`Not collected: ${plural(result.gaps.length, 'item')}; ${root}/README.txt lists them.`);
  lines.push(
    `Diagnosis: ${result.diagnosis.result}. Read ${root}/README.txt: support still needs your curl -v output, a packet capture and the network topology.`,
  );
  io.stderr(`${lines.join('\n')}\n`);

  const bundle = supportBundle(result.diagnosis.target, result.diagnosis, out, files);
  if (output.format === 'json') io.stdout((await import('../report/json.js')).renderJson(bundle));
  else if (output.format === 'yaml') io.stdout((await import('../report/yaml.js')).renderYaml(bundle));
  return exitCodeOf(result.diagnosis);
}
