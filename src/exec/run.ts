// The only place that starts processes. Argument arrays, never a shell; secrets only on stdin;
// a timeout on every call; stdin closed when there is no input, so nothing can ever prompt.
import { execa } from 'execa';
import type { ExecContext } from './context.js';
import { cancelCause, failureOf, type Invocation, type RunResult } from './invocation.js';

export interface RunOptions {
  /** Bytes for stdin (key material goes here, never into argv or a file). */
  input?: Buffer;
  timeoutMs: number;
  /** How the command reads for a person; must not contain secrets. */
  display: string;
  env?: NodeJS.ProcessEnv;
  /** Start in a new session (setsid), with no controlling terminal to prompt on. */
  detached?: boolean;
}

const STDERR_LIMIT = 64 * 1024;

export function run(ctx: ExecContext, file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const start = () => runNow(ctx, file, args, options);
  return ctx.slots ? ctx.slots.use(start) : start();
}

async function runNow(ctx: ExecContext, file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  ctx.onStart?.(options.display);
  const started = performance.now();
  const result = await execa(file, args, {
    input: options.input,
    stdin: options.input ? 'pipe' : 'ignore',
    timeout: options.timeoutMs,
    cancelSignal: ctx.signal,
    forceKillAfterDelay: 1000,
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    env: options.env,
    detached: options.detached ?? false,
    maxBuffer: 256 * 1024 * 1024,
  });
  const record: Invocation = {
    display: options.display,
    exitCode: result.exitCode ?? null,
    stderr: String(result.stderr ?? '').slice(0, STDERR_LIMIT),
    ms: Math.round(performance.now() - started),
  };
  const failure = failureOf(result as never);
  if (failure) record.failure = failure;
  if (failure === 'canceled') record.canceledBy = cancelCause(ctx.signal);
  ctx.invocations.push(record);
  return { record, stdout: String(result.stdout ?? '') };
}
