// apigee-watcher logs, streamed line by line within --since and --tail, never held whole: only
// the lines that report a secret it could not get are kept.
import type { KubeObject } from '../apigee/resources.js';
import { nameOf } from '../apigee/resources.js';
import type { ExecContext } from '../exec/context.js';
import { kubectlFailure, type KubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlStream, type KubectlTarget } from '../exec/kubectl.js';

export interface WatcherLogs {
  /** Pods read, as pod/container. */
  sources: string[];
  /** Lines that mention a secret the watcher failed to get, verbatim. */
  lines: string[];
  failures: KubectlFailure[];
}

const KEEP_AT_MOST = 2000;
const MARKER = 'failed to get secret';
// A log line of megabytes is still kept whole enough to quote and to parse as a JSON record.
const LINE_LIMIT = 64 * 1024;

/** Pods labelled app=apigee-watcher; failing that, pods whose name starts apigee-watcher-. */
export function watcherPods(pods: readonly KubeObject[]): KubeObject[] {
  const labelled = pods.filter((p) => p.metadata?.labels?.app === 'apigee-watcher');
  return labelled.length > 0 ? labelled : pods.filter((p) => nameOf(p).startsWith('apigee-watcher-'));
}

function containersOf(pod: KubeObject): string[] {
  const containers = (pod.spec as { containers?: Array<{ name?: unknown }> } | undefined)?.containers;
  return Array.isArray(containers) ? containers.map((c) => c?.name).filter((n): n is string => typeof n === 'string') : [];
}

export async function readWatcherLogs(
  exec: ExecContext,
  target: KubectlTarget,
  pods: readonly KubeObject[],
  window: { since: string; tail: number },
): Promise<WatcherLogs> {
  const result: WatcherLogs = { sources: [], lines: [], failures: [] };
  const streams = pods.flatMap((pod) => containersOf(pod).map((container) => ({ pod: nameOf(pod), container })));
  await Promise.all(
    streams.map(async ({ pod, container }) => {
      const args = ['-n', target.namespace, 'logs', pod, '-c', container, `--since=${window.since}`, `--tail=${window.tail}`];
      const record = await kubectlStream(exec, target, args, (line) => {
        if (result.lines.length < KEEP_AT_MOST && line.includes(MARKER)) result.lines.push(line.slice(0, LINE_LIMIT));
      });
      const failure = kubectlFailure(record);
      if (failure) result.failures.push(failure);
      else result.sources.push(`${pod}/${container}`);
    }),
  );
  return result;
}
