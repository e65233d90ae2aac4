// One child process, held on a short leash. Every child starts in its own process group (a new
// session: no controlling terminal to prompt on), and on the run's deadline, Ctrl-C, SIGTERM or
// its own timeout the whole group is killed, so a credential plugin or a wrapper's grandchild
// goes with it. If something still holds the pipes after a short grace, they are let go and the
// run moves on. stdout and stderr are capped while they are read, never after.
import { closeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import type { ExecContext } from './context.js';
import { addGroup, killGroup, removeGroup } from './groups.js';
import { cancelCause, type Invocation, type InvocationFailure } from './invocation.js';
import { openLogPipe } from './log-pipe.js';
import { resolveTool } from './resolve-tool.js';

export interface ChildOptions {
  /** Bytes for stdin (key material goes here, never into argv or a file). */
  input?: Buffer;
  timeoutMs: number;
  /** How the command reads for a person; must not contain secrets. */
  display: string;
  env?: NodeJS.ProcessEnv;
  /** Each stdout chunk as it arrives; when absent, stdout is kept (up to the caps) and returned. */
  onStdout?: (chunk: Buffer) => void;
  /**
   * A log stream: with onStdout, stdout comes through a real pipe (exec/log-pipe.ts), and
   * `timeoutMs` bounds only the wait for its first output (connecting); once it flows, the run's
   * deadline bounds it, so a long log is never cut at the call's timeout.
   */
  logStream?: boolean;
}

export interface ChildResult {
  record: Invocation;
  /** The kept stdout (empty when onStdout took it). */
  stdout: Buffer;
}

/** kubectl's stderr worth quoting fits in far less; the rest is drained and dropped. */
export const STDERR_LIMIT = 64 * 1024;
/** One process's kept stdout: 50,000 secrets as JSON fit with room to spare. */
export const STDOUT_LIMIT = 256 * 1024 * 1024;
/** All kept stdout of one run at once. */
export const TOTAL_STDOUT_LIMIT = 512 * 1024 * 1024;
/** SIGTERM first, so kubectl can close its connections; SIGKILL after this. */
const KILL_AFTER_MS = 1000;
/** After the kill, how long a pipe held open by an escaped grandchild may keep us waiting. */
export const PIPE_GRACE_MS = 2000;

/** Keeps the first `limit` bytes of a stream and drains the rest. */
function capped(stream: Readable | null | undefined, limit: number): { bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  let kept = 0;
  stream?.on('data', (chunk: Buffer) => {
    if (kept >= limit) return;
    const piece = chunk.length > limit - kept ? chunk.subarray(0, limit - kept) : chunk;
    chunks.push(piece);
    kept += piece.length;
  });
  return { bytes: () => Buffer.concat(chunks) };
}

type Stop = InvocationFailure | undefined;

/** The tool's absolute path, looked up once per run (no shell ever resolves it for us). */
function toolPath(ctx: ExecContext, file: string, env: NodeJS.ProcessEnv | undefined): string | null {
  if (!ctx.resolved.has(file)) ctx.resolved.set(file, resolveTool(file, env ?? process.env));
  return ctx.resolved.get(file)!;
}

/** `step`, noted in `ctx.starting` until it settles: the process it leads to is spawned right after. */
function startingWith<T>(ctx: ExecContext, step: Promise<T>): Promise<T> {
  ctx.starting.add(step);
  const done = (): void => void ctx.starting.delete(step);
  step.then(done, done);
  return step;
}

/** Runs one child; with `ctx.slots` (many contexts at once) it waits for a slot first, its timer not yet started. */
export function runChild(ctx: ExecContext, file: string, args: readonly string[], options: ChildOptions): Promise<ChildResult> {
  const start = () => runChildNow(ctx, file, args, options);
  return ctx.slots ? ctx.slots.use(start) : start();
}

async function runChildNow(ctx: ExecContext, file: string, args: readonly string[], options: ChildOptions): Promise<ChildResult> {
  ctx.onStart?.(options.display);
  const started = performance.now();
  const path = toolPath(ctx, file, options.env);
  if (path === null) {
    const record: Invocation = { display: options.display, exitCode: null, stderr: '', ms: 0, failure: 'not-found' };
    ctx.invocations.push(record);
    return { record, stdout: Buffer.alloc(0) };
  }
  const pipe = options.onStdout && options.logStream ? await startingWith(ctx, openLogPipe(ctx)) : null;
  const subprocess = execa(path, args, {
    input: options.input,
    stdin: options.input ? 'pipe' : 'ignore',
    // execa hands any descriptor number to spawn as it is; its types list only 3 to 9.
    stdout: (pipe ? pipe.writeFd : 'pipe') as 'pipe',
    reject: false,
    buffer: false,
    encoding: 'buffer',
    env: options.env,
    // Windows has no process groups, and a detached child there gets a console window of its own.
    detached: process.platform !== 'win32',
    // Never through cmd.exe: the path is resolved above, so nothing needs a shell to find it.
    shell: false,
    // Our own kill takes the whole group; execa's would take the child alone.
    cleanup: false,
  });
  const pid = subprocess.pid;
  if (pid !== undefined) addGroup(pid);
  // The child holds its own copy of the write end: ours would keep the pipe from ever ending.
  if (pipe) closeSync(pipe.writeFd);
  const stdout = pipe ? pipe.reader : subprocess.stdout;
  pipe?.reader.on('error', () => undefined);
  const stdoutClosed = pipe ? new Promise<void>((resolve) => pipe.reader.once('close', () => resolve())) : Promise.resolve();

  let stop: Stop;
  let killTimer: NodeJS.Timeout | undefined;
  let releaseGrace: () => void = () => undefined;
  const grace = new Promise<void>((resolve) => (releaseGrace = resolve));
  const kill = (why: InvocationFailure): void => {
    if (stop !== undefined || pid === undefined) return;
    stop = why;
    killGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_AFTER_MS);
    setTimeout(releaseGrace, KILL_AFTER_MS + PIPE_GRACE_MS).unref();
  };
  const onAbort = (): void => kill('canceled');
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener('abort', onAbort, { once: true });
  const timeout = setTimeout(() => kill('timeout'), options.timeoutMs);

  const stderr = capped(subprocess.stderr, STDERR_LIMIT);
  const kept: Buffer[] = [];
  let keptBytes = 0;
  stdout?.on('data', (chunk: Buffer) => {
    if (options.logStream) clearTimeout(timeout);
    if (options.onStdout) return options.onStdout(chunk);
    if (stop !== undefined) return;
    keptBytes += chunk.length;
    ctx.buffered += chunk.length;
    if (keptBytes > STDOUT_LIMIT || ctx.buffered > TOTAL_STDOUT_LIMIT) return kill('output-limit');
    kept.push(chunk);
  });

  const result = await Promise.race([Promise.all([subprocess, stdoutClosed]).then(([r]) => r), grace.then(() => null)]);
  if (result === null) {
    // Killed, yet a process outside our reach still holds a pipe: stop listening and move on.
    stdout?.destroy();
    subprocess.stderr?.destroy();
  }
  clearTimeout(timeout);
  clearTimeout(killTimer);
  ctx.signal.removeEventListener('abort', onAbort);
  if (pid !== undefined) {
    // The child is gone; anything left in its group goes with it (Windows: no group to ask for).
    if (process.platform !== 'win32') killGroup(pid, 'SIGKILL');
    removeGroup(pid);
  }
  ctx.buffered -= keptBytes;

  const code = (result as { code?: string } | null)?.code;
  const failure: Stop = code === 'ENOENT' || code === 'EACCES' ? 'not-found' : (stop ?? (result?.exitCode === undefined ? 'spawn-error' : undefined));
  const record: Invocation = {
    display: options.display,
    exitCode: stop === undefined ? (result?.exitCode ?? null) : null,
    stderr: stderr.bytes().toString('utf8'),
    ms: Math.round(performance.now() - started),
  };
  if (failure) record.failure = failure;
  if (failure === 'canceled') record.canceledBy = cancelCause(ctx.signal);
  ctx.invocations.push(record);
  return { record, stdout: failure ? Buffer.alloc(0) : Buffer.concat(kept) };
}
