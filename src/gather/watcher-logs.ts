// apigee-watcher's logs through the one pod-log reader: only the lines that report a secret it
// could not get are kept.
import { podsOf, WATCHER_LOGS } from '../apigee/log-sources.js';
import type { KubeObject } from '../apigee/resources.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import type { Listing } from './listing.js';
import { markerScanner, tee, type ChunkSink, type ScannedLines } from './log-scan.js';
import { readPods, readSourceLogs, type LogWindow, type PodLogStream } from './pod-logs.js';

export interface WatcherLogs {
  /** Streams read, as pod/container. */
  sources: string[];
  /** Lines that mention a secret the watcher failed to get, verbatim. */
  lines: string[];
  failures: KubectlFailure[];
  /** No watcher pod was found (by label, nor by name). */
  noPods: boolean;
}

const MARKERS = ['failed to get secret'];

/**
 * Where collect wants the watcher's streams too: each container, whole, into its own sink. With a
 * tap the pods (already listed) are read one by one, and each stream feeds the scan and the tap.
 */
export interface LogTap {
  pods: readonly KubeObject[];
  sink(s: PodLogStream): ChunkSink;
  failed(s: PodLogStream, failure: KubectlFailure): void;
}

type Read = { state: 'ok'; value: WatcherLogs } | { state: 'error'; failure: KubectlFailure };

export async function readWatcherLogs(
  exec: ExecContext,
  target: KubectlTarget,
  window: LogWindow,
  listPods: () => Promise<Listing>,
  tap?: LogTap,
): Promise<Read> {
  if (tap) {
    const result: ScannedLines = { sources: [], lines: [] };
    const pods = podsOf(WATCHER_LOGS, tap.pods);
    const r = await readPods(exec, target, WATCHER_LOGS, pods, window, (s) => tee(markerScanner(result, MARKERS, false), tap.sink(s)), tap.failed);
    return { state: 'ok', value: { sources: r.sources, lines: result.lines, failures: r.failures, noPods: r.noPods } };
  }
  const read = await readSourceLogs(
    exec,
    target,
    WATCHER_LOGS,
    window,
    () => {
      const result: ScannedLines = { sources: [], lines: [] };
      return { result, byLabel: () => markerScanner(result, MARKERS, true), perStream: () => markerScanner(result, MARKERS, false) };
    },
    listPods,
  );
  if ('listingFailed' in read) return { state: 'error', failure: read.listingFailed };
  const { result, read: r } = read;
  return { state: 'ok', value: { sources: [...new Set([...r.sources, ...result.sources])], lines: result.lines, failures: r.failures, noPods: r.noPods } };
}
