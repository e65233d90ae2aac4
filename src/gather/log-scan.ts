// What a log stream is read into: chunk sinks that never hold a whole log. The marker scanner keeps
// only the lines holding one of its markers (one indexOf per chunk and marker: hundreds of MB pass
// at the speed of the pipe), each with its pod, container and `--timestamps` time, and notes the
// pod/container streams `kubectl logs --prefix` names.
import type { LogLine } from '../evidence/log-line.js';

export interface ChunkSink {
  push(text: string): void;
  end(): void;
}

export interface ScannedLines {
  /** Streams read, as pod/container (from --prefix, when the read was by label). */
  sources: string[];
  /** The kept lines, verbatim (without the --prefix and the timestamp), with their stream and time. */
  lines: LogLine[];
}

const KEEP_AT_MOST = 2000;
const TRIM_EVERY = 256;
// A log line of megabytes is still kept whole enough to quote and to parse as a JSON record.
const LINE_LIMIT = 64 * 1024;
// A line without end beyond a few MB is scanned as it is, so it cannot pile up.
const MAX_CARRY = 8 * 1024 * 1024;

/** `kubectl logs --prefix` starts each line `[pod/NAME/CONTAINER] `. */
const PREFIX = /\[pod\/([^/\]\n]+)\/([^\]\n]+)\] /y;
const PREFIX_AT_START = /^\[pod\/([^/\]\n]+)\/([^\]\n]+)\] /;
/** The kubelet's `--timestamps` stamp, RFC 3339 with nanoseconds. */
const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) /;

/** A raw line of `kubectl logs [--prefix] --timestamps` as a LogLine; `stream` when not prefixed. */
export function parseLogLine(raw: string, stream?: { pod: string; container: string }): LogLine {
  let rest = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  let pod = stream?.pod ?? '';
  let container = stream?.container ?? '';
  const prefix = stream ? null : PREFIX_AT_START.exec(rest);
  if (prefix) {
    pod = prefix[1]!;
    container = prefix[2]!;
    rest = rest.slice(prefix[0].length);
  }
  const stamp = STAMP.exec(rest);
  const line: LogLine = { pod, container, text: stamp ? rest.slice(stamp[0].length) : rest };
  if (stamp) line.time = stamp[1]!;
  return line;
}

/** Calls `scan` with whole lines only (a last line without end is held until more comes). */
function wholeLines(scan: (text: string) => void, atEnd: () => void): ChunkSink {
  let carry = '';
  return {
    push(text: string) {
      const buffer = carry + text;
      // Only the new text is searched: a line without end must not be re-read on every chunk.
      const nl = text.lastIndexOf('\n');
      const cut = nl === -1 ? 0 : carry.length + nl + 1;
      if (cut === 0 && buffer.length < MAX_CARRY) {
        carry = buffer;
        return;
      }
      carry = cut === 0 ? '' : buffer.slice(cut);
      scan(cut === 0 ? buffer : buffer.slice(0, cut));
    },
    end() {
      if (carry) scan(carry);
      carry = '';
      atEnd();
    },
  };
}

/** `stream`: the pod/container read one by one; without it, lines carry `--prefix`. */
export function markerScanner(result: ScannedLines, markers: readonly string[], stream?: { pod: string; container: string }): ChunkSink {
  const prefixed = stream === undefined;
  let prefix = '';
  const seen = new Set<string>();
  const notePrefixes = (text: string) => {
    for (let at = 0; at < text.length; at = text.indexOf('\n', at) + 1 || text.length) {
      if (prefix && text.startsWith(prefix, at)) continue;
      PREFIX.lastIndex = at;
      const m = PREFIX.exec(text);
      if (!m) continue;
      prefix = m[0];
      seen.add(`${m[1]}/${m[2]}`);
    }
  };
  // The newest lines are kept (logs are oldest first, and the present is what the checks judge):
  // a little past the bound the oldest go, in one splice per TRIM_EVERY lines, not a shift per line.
  const keep = (line: string) => {
    result.lines.push(parseLogLine(line.slice(0, LINE_LIMIT), stream));
    if (result.lines.length >= KEEP_AT_MOST + TRIM_EVERY) result.lines.splice(0, result.lines.length - KEEP_AT_MOST);
  };
  const keepMarkerLines = (text: string) => {
    const starts = new Set<number>();
    for (const marker of markers) {
      for (let hit = text.indexOf(marker); hit !== -1;) {
        const start = text.lastIndexOf('\n', hit) + 1;
        const end = text.indexOf('\n', hit);
        starts.add(start);
        hit = end === -1 ? -1 : text.indexOf(marker, end);
      }
    }
    // In log order, each line once even when it holds several markers.
    for (const start of [...starts].sort((a, b) => a - b)) {
      const end = text.indexOf('\n', start);
      keep(text.slice(start, end === -1 ? text.length : end));
    }
  };
  return wholeLines(
    (text) => {
      if (prefixed) notePrefixes(text);
      keepMarkerLines(text);
    },
    () => {
      result.sources = [...new Set([...result.sources, ...seen])];
    },
  );
}

/** Every line, one call each (for the support bundle, which redacts line by line). */
export function lineSink(onLine: (line: string) => void, onEnd: () => void = () => {}): ChunkSink {
  return wholeLines((text) => {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }, onEnd);
}

/** One stream read into two sinks (the diagnosis's scanner and the bundle's file). */
export const tee = (a: ChunkSink, b: ChunkSink): ChunkSink => ({
  push(text) {
    a.push(text);
    b.push(text);
  },
  end() {
    a.end();
    b.end();
  },
});
