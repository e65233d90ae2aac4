// One kept log line, with where and when it was written: the report quotes it so, and a line
// older than the secret's last write is history, not the present (reference/apigee.md §12.5).
import type { KubectlFailure } from './kubectl-failure.js';

export interface LogLine {
  pod: string;
  container: string;
  /** The kubelet's `--timestamps` stamp (RFC 3339), when there was one. */
  time?: string;
  /** The line as the container wrote it. */
  text: string;
}

/** What one log source gave: the streams read, the lines its filter kept, what could not be read. */
export interface ScannedSource {
  /** Streams read, as pod/container. */
  sources: string[];
  lines: LogLine[];
  failures: KubectlFailure[];
  /** No pod of the source exists (by label, nor by name). */
  noPods: boolean;
}

/** `pod/container at time: text`, for evidence. */
export function quoteLine(l: LogLine, max = 2000): string {
  const text = l.text.length > max ? `${l.text.slice(0, max)}…` : l.text;
  return `${l.pod}/${l.container}${l.time ? ` at ${l.time}` : ''}: ${text}`;
}
