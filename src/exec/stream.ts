// Runs a process whose stdout is read line by line and never held whole (watcher logs can be
// hundreds of megabytes); the caller keeps only the lines it wants.
import { execa } from 'execa';
import type { ExecContext } from './context.js';
import { failureOf, type Invocation } from './invocation.js';

export interface StreamOptions {
  timeoutMs: number;
  display: string;
  env?: NodeJS.ProcessEnv;
}

export async function runLines(
  ctx: ExecContext,
  file: string,
  args: readonly string[],
  onLine: (line: string) => void,
  options: StreamOptions,
): Promise<Invocation> {
  ctx.onStart?.(options.display);
  const started = performance.now();
  const subprocess = execa(file, args, {
    stdin: 'ignore',
    timeout: options.timeoutMs,
    cancelSignal: ctx.signal,
    forceKillAfterDelay: 1000,
    reject: false,
    buffer: { stdout: false, stderr: true },
    env: options.env,
  });
  try {
    for await (const line of subprocess.iterable({ from: 'stdout' })) onLine(String(line));
  } catch {
    // The process failed or was killed mid-stream; its result below says how.
  }
  const result = await subprocess;
  const record: Invocation = {
    display: options.display,
    exitCode: result.exitCode ?? null,
    stderr: String(result.stderr ?? '').slice(0, 64 * 1024),
    ms: Math.round(performance.now() - started),
  };
  const failure = failureOf(result as never);
  if (failure) record.failure = failure;
  ctx.invocations.push(record);
  return record;
}
