// apigee-watcher logs, streamed line by line within --since and --tail, never held whole: only
// the lines that report a secret it could not get are kept.
import type { KubeObject } from '../apigee/resources.js';
import { nameOf } from '../apigee/resources.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import { kubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlStreamText, type KubectlTarget } from '../exec/kubectl.js';

export interface WatcherLogs {
  /** Streams read, as pod/container. */
  sources: string[];
  /** Lines that mention a secret the watcher failed to get, verbatim. */
  lines: string[];
  failures: KubectlFailure[];
  /** No watcher pod was found (by label, nor by name). */
  noPods: boolean;
}

export interface LogWindow {
  since: string;
  tail: number;
}

const KEEP_AT_MOST = 2000;
const MARKER = 'failed to get secret';
// A log line of megabytes is still kept whole enough to quote and to parse as a JSON record.
const LINE_LIMIT = 64 * 1024;
export const WATCHER_LABEL = 'app=apigee-watcher';

/** Pods labelled app=apigee-watcher; failing that, pods whose name starts apigee-watcher-. */
export function watcherPods(pods: readonly KubeObject[]): KubeObject[] {
  const labelled = pods.filter((p) => p.metadata?.labels?.app === 'apigee-watcher');
  return labelled.length > 0 ? labelled : pods.filter((p) => nameOf(p).startsWith('apigee-watcher-'));
}

function containersOf(pod: KubeObject): string[] {
  const containers = (pod.spec as { containers?: Array<{ name?: unknown }> } | undefined)?.containers;
  return Array.isArray(containers) ? containers.map((c) => c?.name).filter((n): n is string => typeof n === 'string') : [];
}

const keep = (result: WatcherLogs, line: string) => {
  if (result.lines.length < KEEP_AT_MOST && line.includes(MARKER)) result.lines.push(line.slice(0, LINE_LIMIT));
};

/** `kubectl logs --prefix` starts each line `[pod/NAME/CONTAINER] `. */
const PREFIX = /\[pod\/([^/\]\n]+)\/([^\]\n]+)\] /y;

/**
 * Scans log text chunk by chunk without cutting it into lines: the marker is found with one
 * indexOf per chunk, and line starts are only compared with the current prefix. Hundreds of MB
 * pass at the speed of the pipe; only marker lines become strings of their own.
 */
export function watcherScanner(result: WatcherLogs, prefixed: boolean) {
  let carry = '';
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
  const keepMarkerLines = (text: string) => {
    for (let hit = text.indexOf(MARKER); hit !== -1;) {
      const start = text.lastIndexOf('\n', hit) + 1;
      const end = text.indexOf('\n', hit);
      let line = text.slice(start, end === -1 ? text.length : end);
      if (prefixed) line = line.replace(PREFIX_AT_START, '');
      keep(result, line.endsWith('\r') ? line.slice(0, -1) : line);
      hit = end === -1 ? -1 : text.indexOf(MARKER, end);
    }
  };
  const scan = (text: string) => {
    if (prefixed) notePrefixes(text);
    keepMarkerLines(text);
  };
  return {
    push(text: string) {
      const buffer = carry + text;
      const cut = buffer.lastIndexOf('\n') + 1;
      // A line without end beyond a few MB is scanned as it is, so it cannot pile up.
      if (cut === 0 && buffer.length < MAX_CARRY) {
        carry = buffer;
        return;
      }
      const whole = cut === 0 ? buffer : buffer.slice(0, cut);
      carry = cut === 0 ? '' : buffer.slice(cut);
      scan(whole);
    },
    end() {
      if (carry) scan(carry);
      carry = '';
      result.sources = [...new Set([...result.sources, ...seen])];
    },
  };
}

const PREFIX_AT_START = /^\[pod\/[^/\]\n]+\/[^\]\n]+\] /;
const MAX_CARRY = 8 * 1024 * 1024;

/** noPods here means no pod carries the label: the caller falls back to the name prefix. */
export async function readWatcherLogsByLabel(exec: ExecContext, target: KubectlTarget, window: LogWindow): Promise<WatcherLogs> {
  const result: WatcherLogs = { sources: [], lines: [], failures: [], noPods: false };
  const args = ['logs', '-l', WATCHER_LABEL, '--all-containers', '--prefix', `--since=${window.since}`, `--tail=${window.tail}`];
  const record = await kubectlStreamText(exec, target, args, watcherScanner(result, true));
  const failure = kubectlFailure(record);
  if (failure) result.failures.push(failure);
  result.noPods = !failure && /No resources found/.test(record.stderr);
  return result;
}

/** One stream per container of the given pods (the fallback when no pod carries the label). */
export async function readWatcherLogs(exec: ExecContext, target: KubectlTarget, pods: readonly KubeObject[], window: LogWindow): Promise<WatcherLogs> {
  const result: WatcherLogs = { sources: [], lines: [], failures: [], noPods: pods.length === 0 };
  const streams = pods.flatMap((pod) => containersOf(pod).map((container) => ({ pod: nameOf(pod), container })));
  await Promise.all(
    streams.map(async ({ pod, container }) => {
      const args = ['logs', pod, '-c', container, `--since=${window.since}`, `--tail=${window.tail}`];
      const record = await kubectlStreamText(exec, target, args, watcherScanner(result, false));
      const failure = kubectlFailure(record);
      if (failure) result.failures.push(failure);
      else result.sources.push(`${pod}/${container}`);
    }),
  );
  return result;
}
