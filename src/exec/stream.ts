// Runs a process whose stdout is read line by line and never held whole (watcher logs can be
// hundreds of megabytes); the caller keeps only the lines it wants. Lines are cut from raw chunks
// with indexOf: a per-line stream transform costs more than the scan itself.
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';
import type { ExecContext } from './context.js';
import { cancelCause, failureOf, type Invocation } from './invocation.js';

export interface StreamOptions {
  timeoutMs: number;
  display: string;
  env?: NodeJS.ProcessEnv;
}

/** A line longer than this is delivered in pieces, so one endless line cannot exhaust memory. */
const MAX_LINE = 8 * 1024 * 1024;

/** Feeds text in, calls onLine for each complete line; flush() delivers the last partial line. */
export function lineSplitter(onLine: (line: string) => void): { push(text: string): void; flush(): void } {
  let carry = '';
  return {
    push(text: string) {
      let buffer = carry + text;
      let start = 0;
      let nl = buffer.indexOf('\n', start);
      while (nl !== -1) {
        onLine(buffer.charCodeAt(nl - 1) === 13 ? buffer.slice(start, nl - 1) : buffer.slice(start, nl));
        start = nl + 1;
        nl = buffer.indexOf('\n', start);
      }
      buffer = buffer.slice(start);
      if (buffer.length > MAX_LINE) {
        onLine(buffer);
        buffer = '';
      }
      carry = buffer;
    },
    flush() {
      if (carry.length > 0) onLine(carry);
      carry = '';
    },
  };
}

export function runLines(ctx: ExecContext, file: string, args: readonly string[], onLine: (line: string) => void, options: StreamOptions): Promise<Invocation> {
  const lines = lineSplitter(onLine);
  return runText(ctx, file, args, { push: (text) => lines.push(text), end: () => lines.flush() }, options);
}

type TextSink = { push(text: string): void; end(): void };

/** Decoded stdout in chunks as they arrive (UTF-8 sequences never split): for scanners that need no lines. */
export function runText(ctx: ExecContext, file: string, args: readonly string[], sink: TextSink, options: StreamOptions): Promise<Invocation> {
  const start = () => streamText(ctx, file, args, sink, options);
  return ctx.slots ? ctx.slots.use(start) : start();
}

async function streamText(ctx: ExecContext, file: string, args: readonly string[], sink: TextSink, options: StreamOptions): Promise<Invocation> {
  ctx.onStart?.(options.display);
  const started = performance.now();
  const subprocess = execa(file, args, {
    stdin: 'ignore',
    timeout: options.timeoutMs,
    cancelSignal: ctx.signal,
    forceKillAfterDelay: 1000,
    reject: false,
    buffer: { stdout: false, stderr: true },
    // Raw bytes: execa's own decoding stage halves a log stream's rate; StringDecoder below does it.
    encoding: 'buffer',
    env: options.env,
  });
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of subprocess.stdout!) sink.push(decoder.write(chunk as Buffer));
    sink.push(decoder.end());
    sink.end();
  } catch {
    // The process failed or was killed mid-stream; its result below says how.
  }
  const result = await subprocess;
  const record: Invocation = {
    display: options.display,
    exitCode: result.exitCode ?? null,
    stderr: Buffer.from(result.stderr ?? '')
      .toString('utf8')
      .slice(0, 64 * 1024),
    ms: Math.round(performance.now() - started),
  };
  const failure = failureOf(result as never);
  if (failure) record.failure = failure;
  if (failure === 'canceled') record.canceledBy = cancelCause(ctx.signal);
  ctx.invocations.push(record);
  return record;
}
