// What went wrong with a kubectl call, read from its stderr the way a person reads it: klog lines
// dropped, then the `Error from server (<Reason>): …` / `error: …` / connection line.
import type { KubectlFailure, KubectlFailureKind } from '../evidence/kubectl-failure.js';
import type { Invocation } from './invocation.js';

const DISCOVERY_FAILURE = /couldn't get resource list for ([\w.-]+\/\w+): ([^"\n]+)/;

const KLOG_LINE = /^[IEWF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s/;

export function meaningfulStderr(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0 && !KLOG_LINE.test(l));
}

function kindOfLine(line: string): KubectlFailureKind {
  if (/^Error from server \(Forbidden\)/.test(line)) return 'forbidden';
  if (/^Error from server \(NotFound\)|^error: error from server \(NotFound\)/.test(line)) return 'not-found';
  if (/Unauthorized|You must be logged in/.test(line)) return 'unauthorized';
  if (/the server doesn't have a resource type/.test(line)) return 'no-resource-type';
  if (/^Unable to connect to the server: .*(deadline exceeded|Timeout|timed out)/i.test(line)) return 'timeout';
  if (/^Unable to connect to the server|^The connection to the server .* was refused/.test(line)) return 'unreachable';
  // --request-timeout cutting a body kubectl was reading (a log stream): what was read is not all.
  if (/^error: .*(context deadline exceeded|Client\.Timeout)/.test(line)) return 'timeout';
  if (/^Error from server \((InternalError|ServiceUnavailable|Timeout|TooManyRequests|BadRequest)\)/.test(line)) return 'server-error';
  return 'other';
}

/** null when the call succeeded. */
export function kubectlFailure(record: Invocation): KubectlFailure | null {
  const command = record.display;
  if (record.failure === 'not-found') return { kind: 'kubectl-missing', message: 'kubectl was not found (install it, or pass --kubectl PATH)', command };
  if (record.failure === 'timeout') return { kind: 'timeout', message: 'kubectl did not finish in time', command };
  if (record.failure === 'canceled') {
    const why = record.canceledBy === 'interrupt' ? 'stopped: interrupted' : "stopped: the run's deadline passed (--timeout)";
    return { kind: 'canceled', message: why, command };
  }
  if (record.failure === 'output-limit') return { kind: 'other', message: 'kubectl printed more than the plugin keeps (256 MiB per call): stopped', command };
  if (record.exitCode === 0 && !record.failure) return null;
  const lines = meaningfulStderr(record.stderr);
  const decisive =
    [...lines].reverse().find((l) => kindOfLine(l) !== 'other') ?? lines[lines.length - 1] ?? `kubectl exited ${record.exitCode ?? 'abnormally'}`;
  const kind = kindOfLine(decisive);
  // "doesn't have a resource type" also follows a failed discovery of the group; the cause is only
  // in kubectl's klog lines, and it is not "not installed".
  const discovery = kind === 'no-resource-type' ? DISCOVERY_FAILURE.exec(record.stderr) : null;
  if (discovery)
    return { kind: 'server-error', message: `discovery of ${discovery[1]} failed: ${discovery[2]} (${decisive.replace(/^error: /, '')})`, command };
  return { kind, message: decisive, command };
}
