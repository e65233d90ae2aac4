// apigee-watcher logs, streamed line by line within --since and --tail, never held whole: only
// the lines that report a secret it could not get are kept.
import type { KubeObject } from '../apigee/resources.js';
import { nameOf } from '../apigee/resources.js';
import type { ExecContext } from '../exec/context.js';
import { kubectlFailure, type KubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlStream, type KubectlTarget } from '../exec/kubectl.js';

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

/** `kubectl logs -l app=apigee-watcher --prefix`: one process, no pod list first. */
const PREFIX = /^\[pod\/([^/\]]+)\/([^\]]+)\] /;

/** noPods here means no pod carries the label: the caller falls back to the name prefix. */
export async function readWatcherLogsByLabel(exec: ExecContext, target: KubectlTarget, window: LogWindow): Promise<WatcherLogs> {
  const result: WatcherLogs = { sources: [], lines: [], failures: [], noPods: false };
  const seen = new Set<string>();
  let lastPrefix = '\u0000';
  const args = ['-n', target.namespace, 'logs', '-l', WATCHER_LABEL, '--all-containers', '--prefix', `--since=${window.since}`, `--tail=${window.tail}`];
  const record = await kubectlStream(exec, target, args, (line) => {
    if (!line.startsWith(lastPrefix)) {
      const m = PREFIX.exec(line);
      lastPrefix = m ? m[0] : '\u0000';
      if (m) seen.add(`${m[1]}/${m[2]}`);
    }
    keep(result, lastPrefix !== '\u0000' && line.startsWith(lastPrefix) ? line.slice(lastPrefix.length) : line);
  });
  const failure = kubectlFailure(record);
  if (failure) result.failures.push(failure);
  result.sources = [...seen];
  result.noPods = !failure && /No resources found/.test(record.stderr);
  return result;
}

/** One stream per container of the given pods (the fallback when no pod carries the label). */
export async function readWatcherLogs(exec: ExecContext, target: KubectlTarget, pods: readonly KubeObject[], window: LogWindow): Promise<WatcherLogs> {
  const result: WatcherLogs = { sources: [], lines: [], failures: [], noPods: pods.length === 0 };
  const streams = pods.flatMap((pod) => containersOf(pod).map((container) => ({ pod: nameOf(pod), container })));
  await Promise.all(
    streams.map(async ({ pod, container }) => {
      const args = ['-n', target.namespace, 'logs', pod, '-c', container, `--since=${window.since}`, `--tail=${window.tail}`];
      const record = await kubectlStream(exec, target, args, (line) => keep(result, line));
      const failure = kubectlFailure(record);
      if (failure) result.failures.push(failure);
      else result.sources.push(`${pod}/${container}`);
    }),
  );
  return result;
}
