// What the ingress itself logged about one env group: the ingress manager (istiod), the gateways
// that serve it (Envoy), and the watcher's errors updating its routes (reference/apigee.md §12).
import type { Observed } from './cluster.js';
import type { LogLine, ScannedSource } from './log-line.js';

export interface IngressSourceEvidence extends ScannedSource {
  /** The command a person runs to see the same lines. */
  command: string;
  /** Gateways only: the pods that serve the env group (its selector), whose lines count. */
  serving?: string[];
}

export interface WatcherError {
  line: LogLine;
  /** The one error, of those the line joins, about this env group. */
  error: string;
}

export interface IngressLogEvidence {
  /** How far back the logs were read (--since). */
  since: string;
  /** When the secret was last written (managedFields, else creationTimestamp): older lines are history. */
  secretWrittenAt?: string;
  /** The manager's lines naming the secret or its -cacert. */
  manager: Observed<IngressSourceEvidence>;
  /** The serving gateways' rejection lines. */
  gateways: Observed<IngressSourceEvidence>;
  /** The watcher's errors naming the secret, the route config or its routes. */
  watcher: Observed<{
    errors: WatcherError[];
    command: string;
    noPods: boolean;
    /** Some stream was read (else watcher-logs says why not). */ readable: boolean;
  }>;
}

/** Lines newer than the secret's last write are the present; the rest (and all, without a time) split so. */
export function splitByWrite<T>(items: readonly T[], timeOf: (t: T) => string | undefined, writtenAt: string | undefined): { current: T[]; history: T[] } {
  const written = writtenAt ? Date.parse(writtenAt) : NaN;
  const current: T[] = [];
  const history: T[] = [];
  for (const item of items) {
    const time = timeOf(item);
    const at = time ? Date.parse(time) : NaN;
    (Number.isNaN(written) || Number.isNaN(at) || at > written ? current : history).push(item);
  }
  return { current, history };
}
