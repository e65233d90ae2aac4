// kubectl, run the way the playbook runs it: read-only verbs, -o json (parse, don't grep),
// --request-timeout on every call but log streams, stdin closed. Judged by exit code first: on errors kubectl still prints an
// empty List.
import type { ExecContext } from './context.js';
import { kubectlCommand, kubectlWords, type KubectlScope } from '../cmdline/kubectl.js';
import type { Invocation } from './invocation.js';
import { run } from './run.js';
import { runLines, runText } from './stream.js';

/** The run's cluster (cmdline/kubectl.ts builds every command for it) and how long each call may take. */
export interface KubectlTarget extends KubectlScope {
  /** kubectl's own form, e.g. "20s". */
  requestTimeout: string;
  requestTimeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/** The argv of a call: the scope the display shows, with --request-timeout (`args` never carry -n). */
export const kubectlArgv = (target: KubectlTarget, args: readonly string[]): string[] =>
  kubectlWords(target, [`--request-timeout=${target.requestTimeout}`, ...args]);

export const kubectlDisplay = (target: KubectlTarget, args: readonly string[]): string => kubectlCommand(target, args);

/** A cold cache retries discovery 5 times, each bounded by --request-timeout; the run's deadline caps it all. */
const processTimeout = (target: KubectlTarget): number => target.requestTimeoutMs * 7 + 5_000;

export interface KubectlJsonResult {
  record: Invocation;
  /** Parsed stdout, only when kubectl exited 0 and printed JSON. */
  json: unknown;
}

export async function kubectlJson(ctx: ExecContext, target: KubectlTarget, args: readonly string[]): Promise<KubectlJsonResult> {
  const { record, stdout } = await run(ctx, ctx.kubectl, kubectlArgv(target, args), {
    timeoutMs: processTimeout(target),
    display: kubectlDisplay(target, args),
    env: target.env,
  });
  if (record.exitCode !== 0 || record.failure) return { record, json: undefined };
  try {
    return { record, json: JSON.parse(stdout) };
  } catch {
    return { record, json: undefined };
  }
}

/**
 * A log stream (`kubectl logs …`): --request-timeout would bound the whole response, cutting a
 * long log short, so it is left off; the call's timeout bounds only the wait for the first output
 * (connecting, discovery), and the run's deadline (--timeout) the rest. Read through a real pipe.
 */
const logStreamCall = (target: KubectlTarget, args: readonly string[]) => ({
  argv: kubectlWords(target, args),
  options: { timeoutMs: processTimeout(target), display: kubectlDisplay(target, args), env: target.env, logStream: true },
});

/** A log's stdout as decoded text chunks, for scanners that look for a needle without cutting lines. */
export function kubectlStreamText(
  ctx: ExecContext,
  target: KubectlTarget,
  args: readonly string[],
  sink: { push(text: string): void; end(): void },
): Promise<Invocation> {
  const call = logStreamCall(target, args);
  return runText(ctx, ctx.kubectl, call.argv, sink, call.options);
}

/** A log, line by line. */
export function kubectlStream(ctx: ExecContext, target: KubectlTarget, args: readonly string[], onLine: (line: string) => void): Promise<Invocation> {
  const call = logStreamCall(target, args);
  return runLines(ctx, ctx.kubectl, call.argv, onLine, call.options);
}

export async function kubectlClientVersion(ctx: ExecContext): Promise<string | null> {
  const { record, stdout } = await run(ctx, ctx.kubectl, ['version', '--client', '-o', 'json'], {
    timeoutMs: 10_000,
    display: 'kubectl version --client -o json',
  });
  if (record.exitCode !== 0) return null;
  try {
    return String((JSON.parse(stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? 'unknown');
  } catch {
    return null;
  }
}
