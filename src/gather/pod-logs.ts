// The one pod-log reader: any declared log source (apigee/log-sources.ts), streamed within --since
// and --tail into chunk sinks, never held whole. By label first: one kubectl process reads every pod
// and container (`--prefix` attributes the lines). Pod by pod when no pod carries a label (the
// name prefix), when a container cannot be read (`logs -l` stops at the first), or when the caller
// wants each stream on its own (collect's one file per container).
import { containersToRead, podsOf, type LogSource } from '../apigee/log-sources.js';
import { apiNameProblem } from '../apigee/names.js';
import type { KubeObject } from '../apigee/resources.js';
import { nameOf } from '../apigee/resources.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import type { ExecContext } from '../exec/context.js';
import { kubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlDisplay, kubectlStreamText, type KubectlTarget } from '../exec/kubectl.js';
import type { Listing } from './listing.js';
import type { ChunkSink } from './log-scan.js';

export interface LogWindow {
  /** kubectl's form, e.g. "1h". */
  since: string;
  /** Lines per container; -1 for all. */
  tail: number;
}

export interface PodLogStream {
  pod: string;
  container: string;
}

export interface PodLogRead {
  /** Streams read whole, as pod/container (by label, the sink's --prefix parse adds its own). */
  sources: string[];
  failures: KubectlFailure[];
  /** No pod of the source exists (by label, nor by name). */
  noPods: boolean;
}

// --timestamps: a line counts only when newer than the secret's last write (reference/apigee.md §12.5).
const windowArgs = (w: LogWindow): string[] => [`--since=${w.since}`, `--tail=${w.tail}`, '--timestamps'];

/**
 * Why a pod or container name from the API server must not be read (null when it may): names
 * become kubectl arguments and archive paths, and a hostile server could send `--cache-dir`.
 */
export const podLogProblem = (s: PodLogStream): string | null => apiNameProblem('pod', s.pod) ?? apiNameProblem('container', s.container);

export const podLogArgs = (s: PodLogStream, w: LogWindow): string[] => ['logs', s.pod, '-c', s.container, ...windowArgs(w)];

/** The command a person runs to read one container's log. */
export const podLogCommand = (target: KubectlTarget, s: PodLogStream, w: LogWindow): string => kubectlDisplay(target, podLogArgs(s, w));

/** `logs -l` can name one container or all of them; other choices are read pod by pod. */
function labelContainerArgs(source: LogSource): string[] | null {
  if (source.containers === 'all') return ['--all-containers'];
  return source.containers.length === 1 ? ['-c', source.containers[0]!] : null;
}

/** The command a person runs to read the source's logs (by its first label). */
export function sourceLogCommand(target: KubectlTarget, source: LogSource, w: LogWindow): string {
  return kubectlDisplay(target, ['logs', '-l', source.labels[0]!, ...(labelContainerArgs(source) ?? ['--all-containers']), ...windowArgs(w)]);
}

/** By each label in turn until one selects pods; `sink` gets --prefix'ed text. noPods: no label selected any. */
export async function readByLabel(exec: ExecContext, target: KubectlTarget, source: LogSource, w: LogWindow, sink: () => ChunkSink): Promise<PodLogRead> {
  const containers = labelContainerArgs(source);
  if (!containers) return { sources: [], failures: [], noPods: true };
  for (const label of source.labels) {
    const record = await kubectlStreamText(exec, target, ['logs', '-l', label, ...containers, '--prefix', ...windowArgs(w)], sink());
    const failure = kubectlFailure(record);
    if (failure) return { sources: [], failures: [failure], noPods: false };
    if (!/No resources found/.test(record.stderr)) return { sources: [], failures: [], noPods: false };
  }
  return { sources: [], failures: [], noPods: true };
}

/** One stream per container of the given pods, all at once. */
export async function readPods(
  exec: ExecContext,
  target: KubectlTarget,
  source: LogSource,
  pods: readonly KubeObject[],
  w: LogWindow,
  sinkFor: (s: PodLogStream) => ChunkSink,
  onFailure: (s: PodLogStream, failure: KubectlFailure) => void = () => {},
): Promise<PodLogRead> {
  const result: PodLogRead = { sources: [], failures: [], noPods: pods.length === 0 };
  const streams = pods.flatMap((pod) => containersToRead(source, pod).map((container) => ({ pod: nameOf(pod), container })));
  await Promise.all(
    streams.map(async (s) => {
      const invalid = podLogProblem(s);
      const record = invalid ? null : await kubectlStreamText(exec, target, podLogArgs(s, w), sinkFor(s));
      const failure = record ? kubectlFailure(record) : { kind: 'other' as const, message: invalid!, command: '' };
      if (failure) {
        result.failures.push(failure);
        onFailure(s, failure);
      } else result.sources.push(`${s.pod}/${s.container}`);
    }),
  );
  return result;
}

/** Where one attempt's text goes: a fresh accumulator per attempt, so a retry pod by pod never doubles lines. */
export interface LogReader<R> {
  result: R;
  byLabel(): ChunkSink;
  perStream(s: PodLogStream): ChunkSink;
}

export type SourceLogs<R> = { read: PodLogRead; result: R } | { listingFailed: KubectlFailure };

/**
 * By label, in parallel with whatever else runs; pod by pod (listing the pods only then) when the
 * label finds none or a container could not be read.
 */
export async function readSourceLogs<R>(
  exec: ExecContext,
  target: KubectlTarget,
  source: LogSource,
  w: LogWindow,
  reader: () => LogReader<R>,
  listPods: () => Promise<Listing>,
): Promise<SourceLogs<R>> {
  const labelled = reader();
  const byLabel = await readByLabel(exec, target, source, w, () => labelled.byLabel());
  if (!byLabel.noPods && byLabel.failures.length === 0) return { read: byLabel, result: labelled.result };
  const pods = await listPods();
  if (pods.state !== 'ok') return byLabel.noPods && pods.state === 'error' ? { listingFailed: pods.failure } : { read: byLabel, result: labelled.result };
  const each = reader();
  const perPod = await readPods(exec, target, source, podsOf(source, pods.items), w, (s) => each.perStream(s));
  // Nothing more could be read pod by pod: the first failure, as kubectl logs -l reported it, says it best.
  return perPod.sources.length === 0 && !byLabel.noPods ? { read: byLabel, result: labelled.result } : { read: perPod, result: each.result };
}
