// The only place that starts processes (through child.ts). Argument arrays, never a shell; secrets
// only on stdin; a timeout on every call; stdin closed when there is no input, so nothing can ever
// prompt; every child in a process group of its own with no controlling terminal.
import { runChild } from './child.js';
import type { ExecContext } from './context.js';
import type { RunResult } from './invocation.js';

export interface RunOptions {
  /** Bytes for stdin (key material goes here, never into argv or a file). */
  input?: Buffer;
  timeoutMs: number;
  /** How the command reads for a person; must not contain secrets. */
  display: string;
  env?: NodeJS.ProcessEnv;
}

export async function run(ctx: ExecContext, file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { record, stdout } = await runChild(ctx, file, args, options);
  return { record, stdout: stdout.toString('utf8') };
}
