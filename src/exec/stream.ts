// Runs a process whose stdout is read line by line and never held whole (watcher logs can be
// hundreds of megabytes); the caller keeps only the lines it wants. Lines are cut from raw chunks
// with indexOf, and only the new chunk is searched: a line without end costs one pass, not one per
// chunk.
import { StringDecoder } from 'node:string_decoder';
import { runChild } from './child.js';
import type { ExecContext } from './context.js';
import type { Invocation } from './invocation.js';

export interface StreamOptions {
  timeoutMs: number;
  display: string;
  env?: NodeJS.ProcessEnv;
  /** A log stream: through a real pipe, `timeoutMs` bounding only the wait for its first output (child.ts). */
  logStream?: boolean;
}

/** A line longer than this is delivered in pieces, so one endless line cannot exhaust memory. */
const MAX_LINE = 8 * 1024 * 1024;

const withoutCr = (line: string): string => (line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);

/** Feeds text in, calls onLine for each complete line; flush() delivers the last partial line. */
export function lineSplitter(onLine: (line: string) => void): { push(text: string): void; flush(): void } {
  let carry: string[] = [];
  let carried = 0;
  const flush = (): void => {
    if (carried > 0) onLine(carry.join(''));
    carry = [];
    carried = 0;
  };
  return {
    push(text: string) {
      let nl = text.indexOf('\n');
      if (nl === -1) {
        carry.push(text);
        carried += text.length;
        if (carried > MAX_LINE) flush();
        return;
      }
      carry.push(text.slice(0, nl));
      onLine(withoutCr(carry.join('')));
      let start = nl + 1;
      for (nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        onLine(withoutCr(text.slice(start, nl)));
        start = nl + 1;
      }
      const rest = text.slice(start);
      carry = rest ? [rest] : [];
      carried = rest.length;
      if (carried > MAX_LINE) flush();
    },
    flush,
  };
}

export function runLines(ctx: ExecContext, file: string, args: readonly string[], onLine: (line: string) => void, options: StreamOptions): Promise<Invocation> {
  const lines = lineSplitter(onLine);
  return runText(ctx, file, args, { push: (text) => lines.push(text), end: () => lines.flush() }, options);
}

/** Decoded stdout in chunks as they arrive (UTF-8 sequences never split): for scanners that need no lines. */
export async function runText(
  ctx: ExecContext,
  file: string,
  args: readonly string[],
  sink: { push(text: string): void; end(): void },
  options: StreamOptions,
): Promise<Invocation> {
  const decoder = new StringDecoder('utf8');
  // Raw bytes, decoded here: execa's own decoding stage halves a log stream's rate.
  const { record } = await runChild(ctx, file, args, { ...options, onStdout: (chunk) => sink.push(decoder.write(chunk)) });
  sink.push(decoder.end());
  sink.end();
  return record;
}
