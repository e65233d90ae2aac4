// The three log sources of a namespace, read once for every env group and in parallel with the
// listing (the watcher, the ingress manager, the gateways), and what each env group takes from them.
import { namesAny, namesCredential, routeConfigSelector, lastWriteOf, selects, watcherErrors } from '../apigee/ingress-lines.js';
import { INGRESS_GATEWAY_LOGS, INGRESS_MANAGER_LOGS, WATCHER_LOGS } from '../apigee/log-sources.js';
import type { Resolution } from '../apigee/resolve.js';
import { nameOf, routesFor } from '../apigee/resources.js';
import { kubectlCommand } from '../cmdline/kubectl.js';
import { shellQuote } from '../cmdline/quote.js';
import type { Observed, SecretLookup } from '../evidence/cluster.js';
import type { IngressLogEvidence, IngressSourceEvidence, WatcherError } from '../evidence/ingress.js';
import type { ScannedSource } from '../evidence/log-line.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import { itemsOrEmpty, type Listing } from '../gather/listing.js';
import { sourceLogCommand, type LogWindow } from '../gather/pod-logs.js';
import { scanSource, type LogTap, type SourceRead } from '../gather/scan-source.js';
import type { NamespaceSnapshot } from '../gather/snapshot.js';

export interface NamespaceLogs {
  watcher: SourceRead;
  manager: SourceRead;
  gateways: SourceRead;
}

/** collect's taps: each source's streams, whole, into the bundle as the diagnosis scans them. */
export interface LogTaps {
  watcher?: LogTap;
  manager?: LogTap;
  gateways?: LogTap;
}

/** All three at once; a source whose label finds no pod falls back to the pods listed (once, shared). */
export async function readNamespaceLogs(
  exec: ExecContext,
  target: KubectlTarget,
  window: LogWindow,
  listPods: () => Promise<Listing>,
  taps: LogTaps = {},
): Promise<NamespaceLogs> {
  let pods: Promise<Listing> | undefined;
  const once = () => (pods ??= listPods());
  const [watcher, manager, gateways] = await Promise.all([
    scanSource(exec, target, WATCHER_LOGS, window, once, taps.watcher),
    scanSource(exec, target, INGRESS_MANAGER_LOGS, window, once, taps.manager),
    scanSource(exec, target, INGRESS_GATEWAY_LOGS, window, once, taps.gateways),
  ]);
  return { watcher, manager, gateways };
}

const withLines = (o: SourceRead, keep: (s: ScannedSource) => Partial<IngressSourceEvidence> & { lines: ScannedSource['lines'] }, command: string) =>
  o.state === 'ok' ? { state: 'ok' as const, value: { ...o.value, ...keep(o.value), command } } : o;

function managerFor(logs: NamespaceLogs, secret: string, scope: KubectlTarget, window: LogWindow): Observed<IngressSourceEvidence> {
  const command = `${sourceLogCommand(scope, INGRESS_MANAGER_LOGS, window)} | grep ${shellQuote(`kubernetes://${secret}`)}`;
  return withLines(logs.manager, (s) => ({ lines: s.lines.filter((l) => namesCredential(l.text, secret)) }), command);
}

function gatewaysFor(
  logs: NamespaceLogs,
  r: Resolution,
  snapshot: NamespaceSnapshot,
  scope: KubectlTarget,
  window: LogWindow,
): Observed<IngressSourceEvidence> {
  if (logs.gateways.state === 'ok' && snapshot.pods.state !== 'ok')
    return snapshot.pods.state === 'error' ? { state: 'error', failure: snapshot.pods.failure } : { state: 'absent', why: 'the pods could not be listed' };
  const selector = routeConfigSelector(r.routeConfig);
  const serving = itemsOrEmpty(snapshot.pods)
    .filter((p) => selects(selector, p))
    .map(nameOf);
  const label = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const read = kubectlCommand(scope, [
    'logs',
    '-l',
    label || INGRESS_GATEWAY_LOGS.labels[0]!,
    '--all-containers',
    `--since=${window.since}`,
    `--tail=${window.tail}`,
    '--timestamps',
  ]);
  const command = `${read} | grep -E ${shellQuote(INGRESS_GATEWAY_LOGS.markers.join('|'))}`;
  const ofServing = (stream: string) => serving.includes(stream.split('/')[0]!);
  return withLines(logs.gateways, (s) => ({ lines: s.lines.filter((l) => serving.includes(l.pod)), sources: s.sources.filter(ofServing), serving }), command);
}

function watcherFor(logs: NamespaceLogs, r: Resolution, snapshot: NamespaceSnapshot, scope: KubectlTarget, window: LogWindow): IngressLogEvidence['watcher'] {
  if (logs.watcher.state !== 'ok') return logs.watcher;
  const arc = r.routeConfig ? nameOf(r.routeConfig) : undefined;
  const routes = r.routeConfig ? routesFor(r.routeConfig, itemsOrEmpty(snapshot.routes)).map(nameOf) : [];
  const names = [r.secret.name, ...(arc ? [arc] : []), ...routes];
  const errors: WatcherError[] = logs.watcher.value.lines.flatMap((line) =>
    watcherErrors(line.text).flatMap((error) => (namesAny(error, names) ? [{ line, error }] : [])),
  );
  const command = `${sourceLogCommand(scope, WATCHER_LOGS, window)} | grep ${shellQuote('failed to update ApigeeRoute')}`;
  const { noPods, sources, failures } = logs.watcher.value;
  return { state: 'ok', value: { errors, command, noPods, readable: sources.length > 0 || failures.length === 0 } };
}

/** What one env group takes from the namespace's logs, judged against the secret's last write. */
export function ingressLogsFor(
  logs: NamespaceLogs,
  r: Resolution,
  snapshot: NamespaceSnapshot,
  secret: SecretLookup,
  scope: KubectlTarget,
  window: LogWindow,
): IngressLogEvidence {
  const writtenAt = secret.state === 'found' ? lastWriteOf(secret.secret) : undefined;
  return {
    since: window.since,
    ...(writtenAt ? { secretWrittenAt: writtenAt } : {}),
    manager: managerFor(logs, r.secret.name, scope, window),
    gateways: gatewaysFor(logs, r, snapshot, scope, window),
    watcher: watcherFor(logs, r, snapshot, scope, window),
  };
}
