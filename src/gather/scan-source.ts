// A declared log source (apigee/log-sources.ts) read through the one pod-log reader into its
// marker scanner: only the lines its filter names are kept, each with pod, container and time.
import { podsOf, type LogSource } from '../apigee/log-sources.js';
import type { KubeObject } from '../apigee/resources.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import type { ScannedSource } from '../evidence/log-line.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import type { Listing } from './listing.js';
import { markerScanner, tee, type ChunkSink, type ScannedLines } from './log-scan.js';
import { readPods, readSourceLogs, type LogWindow, type PodLogStream } from './pod-logs.js';

/**
 * Where collect wants a source's streams too: each container, whole, into its own sink. With a
 * tap the pods (already listed) are read one by one, and each stream feeds the scan and the tap.
 */
export interface LogTap {
  pods: readonly KubeObject[];
  sink(s: PodLogStream): ChunkSink;
  failed(s: PodLogStream, failure: KubectlFailure): void;
}

export type SourceRead = { state: 'ok'; value: ScannedSource } | { state: 'error'; failure: KubectlFailure };

export async function scanSource(
  exec: ExecContext,
  target: KubectlTarget,
  source: LogSource,
  window: LogWindow,
  listPods: () => Promise<Listing>,
  tap?: LogTap,
): Promise<SourceRead> {
  if (tap) {
    const result: ScannedLines = { sources: [], lines: [] };
    const pods = podsOf(source, tap.pods);
    const r = await readPods(exec, target, source, pods, window, (s) => tee(markerScanner(result, source.markers, s), tap.sink(s)), tap.failed);
    return { state: 'ok', value: { sources: r.sources, lines: result.lines, failures: r.failures, noPods: r.noPods } };
  }
  const read = await readSourceLogs(
    exec,
    target,
    source,
    window,
    () => {
      const result: ScannedLines = { sources: [], lines: [] };
      return { result, byLabel: () => markerScanner(result, source.markers), perStream: (s) => markerScanner(result, source.markers, s) };
    },
    listPods,
  );
  if ('listingFailed' in read) return { state: 'error', failure: read.listingFailed };
  const { result, read: r } = read;
  return { state: 'ok', value: { sources: [...new Set([...r.sources, ...result.sources])], lines: result.lines, failures: r.failures, noPods: r.noPods } };
}
