// Container logs: lookup, the apiserver's query filters (sinceSeconds, sinceTime, tailLines,
// limitBytes, timestamps) and a streaming writer that respects backpressure, so a generator can
// serve hundreds of MB without holding them.
import type { ServerResponse } from 'node:http';
import type { LogEntry, LogMap, LogSource } from './types.js';

export interface LogQuery {
  /** Entries older than this are dropped (from sinceSeconds or sinceTime). */
  since?: Date;
  tailLines?: number;
  limitBytes?: number;
  timestamps?: boolean;
}

export class LogQueryError extends Error {}

/** Reads the log query parameters; throws LogQueryError with the apiserver's wording. */
export function parseLogQuery(query: Record<string, string>, now: Date): LogQuery {
  const out: LogQuery = {};
  const int = (name: string): number | undefined => {
    const raw = query[name];
    if (raw === undefined || raw === '') return undefined;
    if (!/^-?\d+$/.test(raw)) throw new LogQueryError(`invalid value for ${name}: ${raw}`);
    return Number(raw);
  };
  const sinceSeconds = int('sinceSeconds');
  const sinceTime = query.sinceTime;
  if (sinceSeconds !== undefined && sinceTime) throw new LogQueryError('at most one of sinceTime or sinceSeconds may be specified');
  if (sinceSeconds !== undefined) {
    if (sinceSeconds < 1) throw new LogQueryError('sinceSeconds: Invalid value: must be greater than 0');
    out.since = new Date(now.getTime() - sinceSeconds * 1000);
  } else if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) throw new LogQueryError(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
    out.since = new Date(t);
  }
  const tailLines = int('tailLines');
  if (tailLines !== undefined) {
    if (tailLines < 0) throw new LogQueryError('tailLines: Invalid value: must be greater than or equal to 0');
    out.tailLines = tailLines;
  }
  const limitBytes = int('limitBytes');
  if (limitBytes !== undefined) {
    if (limitBytes < 1) throw new LogQueryError('limitBytes: Invalid value: must be greater than 0');
    out.limitBytes = limitBytes;
  }
  out.timestamps = query.timestamps === 'true';
  return out;
}

/** Finds a container's log: `<ns>/<pod>/<container>` first, then `<pod>/<container>`. */
export function findLog(logs: LogMap, namespace: string, pod: string, container: string, previous: boolean): LogSource | undefined {
  const suffix = previous ? '/previous' : '';
  return logs[`${namespace}/${pod}/${container}${suffix}`] ?? logs[`${pod}/${container}${suffix}`];
}

/** Bytes collected before a write: large writes keep a multi-hundred-MB log fast. */
const CHUNK = 64 * 1024;

type Item = string | LogEntry;

const toEntry = (item: Item, defaultTime: Date): LogEntry => (typeof item === 'string' ? { time: defaultTime, line: item } : item);

async function* entries(source: LogSource, defaultTime: Date): AsyncGenerator<LogEntry> {
  const iterable = typeof source === 'function' ? source() : source;
  for await (const item of iterable as AsyncIterable<Item>) yield toEntry(item, defaultTime);
}

/** A synchronous view of the source when it has one: a per-line await costs more than the line. */
function syncItems(source: LogSource): Iterable<Item> | null {
  const iterable = typeof source === 'function' ? source() : source;
  return Symbol.iterator in (iterable as object) ? (iterable as Iterable<Item>) : null;
}

/** RFC 3339 with nanoseconds, the kubelet's `--timestamps` prefix. */
function nanoTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function render(entry: LogEntry, timestamps: boolean): string {
  const line = entry.line.endsWith('\n') ? entry.line : `${entry.line}\n`;
  return timestamps ? `${nanoTime(entry.time)} ${line}` : line;
}

/** Filtered lines in order; with tailLines only the last N are ever held. */
async function* filtered(source: LogSource, q: LogQuery, defaultTime: Date): AsyncGenerator<string> {
  const since = q.since?.getTime();
  const keep = (e: LogEntry): boolean => since === undefined || e.time.getTime() >= since;
  if (q.tailLines === undefined) {
    for await (const e of entries(source, defaultTime)) if (keep(e)) yield render(e, q.timestamps === true);
    return;
  }
  if (q.tailLines === 0) return;
  const ring: LogEntry[] = new Array<LogEntry>(q.tailLines);
  let count = 0;
  for await (const e of entries(source, defaultTime)) {
    if (!keep(e)) continue;
    ring[count % q.tailLines] = e;
    count += 1;
  }
  const n = Math.min(count, q.tailLines);
  for (let i = count - n; i < count; i += 1) {
    const e = ring[i % q.tailLines];
    if (e) yield render(e, q.timestamps === true);
  }
}

/**
 * The same, for a source that can be walked synchronously and again (an array, or a generator
 * function): a counting pass finds where the tail starts, so nothing is held however large the tail.
 */
function* filteredSync(source: LogSource, q: LogQuery, defaultTime: Date): Generator<string> {
  const since = q.since?.getTime();
  const keep = (e: LogEntry): boolean => since === undefined || e.time.getTime() >= since;
  let skip = 0;
  if (q.tailLines !== undefined) {
    let count = 0;
    for (const item of syncItems(source)!) if (keep(toEntry(item, defaultTime))) count += 1;
    skip = Math.max(0, count - q.tailLines);
  }
  for (const item of syncItems(source)!) {
    const e = toEntry(item, defaultTime);
    if (!keep(e)) continue;
    if (skip > 0) {
      skip -= 1;
      continue;
    }
    yield render(e, q.timestamps === true);
  }
}

export async function streamLog(res: ServerResponse, source: LogSource | undefined, q: LogQuery, defaultTime: Date): Promise<void> {
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  let pending = '';
  let budget = q.limitBytes ?? Number.POSITIVE_INFINITY;
  const flush = async (): Promise<void> => {
    if (pending.length === 0 || closed) return;
    const chunk = pending;
    pending = '';
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  };
  /** Adds one line within the byte budget; false once nothing more may be sent. */
  const take = (text: string): boolean => {
    let piece = text;
    if (budget !== Number.POSITIVE_INFINITY) {
      if (Buffer.byteLength(piece) > budget) piece = Buffer.from(piece).subarray(0, budget).toString();
      budget -= Buffer.byteLength(piece);
    }
    pending += piece;
    return budget > 0;
  };
  if (source !== undefined && syncItems(source)) {
    // Synchronous lines, awaiting only to write: a per-line await would cap the rate.
    for (const text of filteredSync(source, q, defaultTime)) {
      if (closed || !take(text)) break;
      if (pending.length >= CHUNK) await flush();
    }
  } else if (source !== undefined) {
    for await (const text of filtered(source, q, defaultTime)) {
      if (closed || !take(text)) break;
      if (pending.length >= CHUNK) await flush();
    }
  }
  await flush();
  if (!closed) res.end();
}
