// apigee-watcher materialises the env group's ApigeeRoutes; while it cannot update them (e.g. the
// admission webhook's serving certificate expired), a corrected secret never reaches the gateway
// (reference/apigee.md §12.1).
import { causeEntry } from '../causes/catalog.js';
import type { ClusterEvidence } from '../evidence/cluster.js';
import { splitByWrite, type IngressLogEvidence, type WatcherError } from '../evidence/ingress.js';
import { quoteLine } from '../evidence/log-line.js';
import { matchLine } from '../signatures/index.js';
import { defineCheck, type Verdict } from './check.js';

export const watcherUpdates = defineCheck({
  id: 'watcher-updates',
  description: "apigee-watcher logged no error updating the env group's ApigeeRoutes since the secret was last written",
  causes: ['watcher-update-failed'],
  needs: ['cluster', 'ingressLogs'],
  run: ({ cluster, ingressLogs }) => watcherUpdatesVerdict(cluster, ingressLogs),
});

const isUpdateError = (e: WatcherError): boolean => matchLine(e.error).some((m) => m.kind === 'route-update-failed' || m.kind === 'webhook-failed');

/** The secret the watcher cannot get is watcher-logs' finding: not repeated here. */
const isSecretNotFound = (e: WatcherError): boolean => /failed to get secret/.test(e.error);

/** The watcher's other errors about the env group since the last write: not this cause, but worth reading. */
function otherErrors(errors: readonly WatcherError[], writtenAt: string | undefined): string[] {
  const others = splitByWrite(
    errors.filter((e) => !isUpdateError(e) && !isSecretNotFound(e)),
    (x) => x.line.time,
    writtenAt,
  ).current;
  return others.length ? ['apigee-watcher also reported, about this env group:', ...others.slice(-5).map((x) => `  ${quote(x)}`)] : [];
}

const quote = (e: WatcherError): string => `${quoteLine({ ...e.line, text: e.error })}`;

/** What the error names decides the fix: the webhook's serving certificate, or the route itself. */
function fixFor(error: string): string {
  const webhook = /failed calling webhook \\?"([^"\\]{1,253})\\?"/.exec(error);
  const x509 = /x509: ([^,\n]{1,200})/.exec(error);
  if (webhook)
    return `the admission webhook "${webhook[1]}" is refused${x509 ? ` (x509: ${x509[1]})` : ''}: renew its serving certificate (the Apigee controller's webhook certificate), then let apigee-watcher update the routes; the corrected secret reaches the gateway only then`;
  return causeEntry('watcher-update-failed').fix;
}

function watcherUpdatesVerdict(e: ClusterEvidence, logs: IngressLogEvidence): Verdict {
  const w = logs.watcher;
  if (w.state !== 'ok' || !w.value.readable)
    return { status: 'skip', cause: null, summary: 'the apigee-watcher logs could not be read (see watcher-logs)', evidence: [], commands: [] };
  if (w.value.noPods) return { status: 'skip', cause: null, summary: `no apigee-watcher pod in namespace "${e.namespace}"`, evidence: [], commands: [] };
  const errors = w.value.errors.filter(isUpdateError);
  const { current, history } = splitByWrite(errors, (x) => x.line.time, logs.secretWrittenAt);
  const older = history.length ? [`before the secret was last written at ${logs.secretWrittenAt}:`, ...history.slice(-5).map((x) => `  ${quote(x)}`)] : [];
  if (current.length > 0) {
    const last = current[current.length - 1]!;
    return {
      status: 'fail',
      cause: 'watcher-update-failed',
      summary: `apigee-watcher cannot update the ApigeeRoutes of env group ${e.resolution.envgroup}: ${last.error.slice(0, 300)}`,
      evidence: [...current.slice(-5).map(quote), ...older],
      commands: [w.value.command],
      remediation: fixFor(last.error),
    };
  }
  return {
    status: 'pass',
    cause: null,
    summary: `read the apigee-watcher logs of the last ${logs.since}: no error updating the env group's routes${history.length ? ' since the secret was last written' : ''}`,
    evidence: [...older, ...otherErrors(w.value.errors, logs.secretWrittenAt)],
    commands: [w.value.command],
  };
}
