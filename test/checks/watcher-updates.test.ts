// watcher-updates: apigee-watcher's errors updating the env group's ApigeeRoutes after the secret's
// last write are watcher-update-failed (reference/apigee.md §12.1); older ones are history, and its
// other errors about the env group are shown on the pass. The evidence is built as diagnose builds
// it: the namespace's watcher log, kept for the env group by ingressLogsFor.
import test from 'ava';
import { watcherUpdates } from '../../src/checks/watcher-updates.js';
import type { KubectlFailure } from '../../src/evidence/kubectl-failure.js';
import type { LogLine, ScannedSource } from '../../src/evidence/log-line.js';
import type { SourceRead } from '../../src/gather/scan-source.js';
import {
  generatedRouteName,
  route,
  routeConfig,
  watcherPodName,
  watcherSecretNotFoundLine,
  watcherWebhookX509Line,
  zapWatchError,
} from '../../src/sim/scenario.js';
import type { K8sObject } from '../../src/sim/types.js';
import { clusterOf, diagnoseCtx, snapshotOf, sourceRead, ENVGROUP, judge, NS, ORG, pem, pki, SECRET, secretOf } from './helpers.js';
import { ago, stampAgo, withNamespaceLogs, writtenAt } from './helpers.js';

// ---- local builders ---------------------------------------------------------------------------

const POD = watcherPodName(ORG);
const COMMAND = "kubectl -n apigee logs -l app=apigee-watcher --all-containers --since=1h --tail=10000 --timestamps | grep 'failed to update ApigeeRoute'";

/** This env group's route config and its generated route; another env group's route beside it. */
const ARC = routeConfig({ org: ORG, envgroup: ENVGROUP, namespace: NS });
const ROUTE = generatedRouteName(ARC.metadata.name);
const OTHER_ARC = routeConfig({ org: ORG, envgroup: 'test', namespace: NS });
const OTHER_ROUTE = generatedRouteName(OTHER_ARC.metadata.name);
const ROUTES = [route({ routeConfig: ARC, hostnames: ['api.example.com'] }), route({ routeConfig: OTHER_ARC, hostnames: ['test.example.com'] })];

const writtenSecret = (): K8sObject => writtenAt(secretOf({ cert: pki().leaf, key: pem(pki().leafKey) }));

/** One watcher line (zap JSON), with the kubelet's stamp `minutesAgo` before NOW. */
const watcherLine = (text: string, minutesAgo: number): LogLine => ({ pod: POD, container: 'apigee-watcher', time: stampAgo(minutesAgo), text });
const x509Line = (routes: string[], minutesAgo: number): LogLine => watcherLine(watcherWebhookX509Line(routes, NS, ago(minutesAgo)), minutesAgo);

/** The one error of the webhook x509 line about `routeName`, as the watcher's zap `error` holds it. */
const x509Error = (routeName: string, minutesAgo: number): string =>
  `INTERNAL: INTERNAL: failed to update ApigeeRoute ${routeName}, namespace apigee: Internal error occurred: failed calling webhook "mapigeeroute.apigee.cloud.google.com": x509: certificate has expired or is not yet valid: current time ${ago(
    minutesAgo,
  )
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')} is after 2025-01-01T00:00:00Z`;
const quoted = (error: string, minutesAgo: number): string => `${POD}/apigee-watcher at ${stampAgo(minutesAgo)}: ${error}`;

const read = (lines: LogLine[], over: Partial<ScannedSource> = {}): SourceRead => sourceRead([`${POD}/apigee-watcher`], lines, over);
const SNAPSHOT = snapshotOf({ routeConfigs: [ARC, OTHER_ARC], routes: ROUTES });

function run(watcher: SourceRead) {
  const cluster = clusterOf({ secret: writtenSecret(), routeConfig: ARC });
  return judge(watcherUpdates, withNamespaceLogs(cluster, { watcher }, SNAPSHOT), diagnoseCtx(cluster));
}

const PASS = "read the apigee-watcher logs of the last 1h: no error updating the env group's routes";

// ---- the verdicts -----------------------------------------------------------------------------

test("watcher-update-failed: the webhook's x509 error on this env group's route after the last write, the webhook named in the fix", (t) => {
  const f = run(read([x509Line([OTHER_ROUTE, ROUTE], 5)]));
  t.is(f.check, 'watcher-updates');
  t.is(f.status, 'fail');
  t.is(f.cause, 'watcher-update-failed');
  t.is(f.summary, `apigee-watcher cannot update the ApigeeRoutes of env group prod: ${x509Error(ROUTE, 5)}`);
  t.deepEqual(f.evidence, [quoted(x509Error(ROUTE, 5), 5)]);
  t.deepEqual(f.commands, [COMMAND]);
  t.is(
    f.remediation,
    'the admission webhook "mapigeeroute.apigee.cloud.google.com" is refused (x509: certificate has expired or is not yet valid: current time 2026-11-30T23:55:00Z is after 2025-01-01T00:00:00Z): renew its serving certificate (the Apigee controller\'s webhook certificate), then let apigee-watcher update the routes; the corrected secret reaches the gateway only then',
  );
});

test('watcher-update-failed: older errors are listed beneath the current ones', (t) => {
  const f = run(read([x509Line([ROUTE], 50), x509Line([ROUTE], 5)]));
  t.is(f.status, 'fail');
  t.deepEqual(f.evidence, [
    quoted(x509Error(ROUTE, 5), 5),
    'before the secret was last written at 2026-11-30T23:30:00Z:',
    `  ${quoted(x509Error(ROUTE, 50), 50)}`,
  ]);
});

test("pass: the same error naming only another env group's route", (t) => {
  const f = run(read([x509Line([OTHER_ROUTE], 5)]));
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, PASS);
  t.deepEqual(f.evidence, []);
  t.deepEqual(f.commands, [COMMAND]);
  t.is(f.remediation, undefined);
});

test('pass: errors before the last write are history, shown', (t) => {
  const f = run(read([x509Line([ROUTE], 50)]));
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, `${PASS} since the secret was last written`);
  t.deepEqual(f.evidence, ['before the secret was last written at 2026-11-30T23:30:00Z:', `  ${quoted(x509Error(ROUTE, 50), 50)}`]);
});

test('pass: another zap error about this env group is shown; the secret it cannot get is not repeated (watcher-logs says it)', (t) => {
  // A stand-in text in the watcher's gRPC-coded form: any error naming the route config that is not an update error.
  const other = `UNAVAILABLE: failed to get ApigeeRouteConfig ${ARC.metadata.name}, namespace apigee: connection refused`;
  const f = run(
    read([
      watcherLine(zapWatchError(other, ago(5)), 5),
      watcherLine(watcherSecretNotFoundLine(SECRET, NS, { zap: true, time: ago(4) }), 4),
      watcherLine(zapWatchError(`UNAVAILABLE: failed to get ApigeeRouteConfig ${OTHER_ARC.metadata.name}, namespace apigee: connection refused`, ago(3)), 3),
    ]),
  );
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, PASS);
  t.deepEqual(f.evidence, ['apigee-watcher also reported, about this env group:', `  ${quoted(other, 5)}`]);
});

test('pass: another error about this env group from before the last write is not shown', (t) => {
  const other = `UNAVAILABLE: failed to get ApigeeRouteConfig ${ARC.metadata.name}, namespace apigee: connection refused`;
  const f = run(read([watcherLine(zapWatchError(other, ago(50)), 50)]));
  t.is(f.status, 'pass');
  t.deepEqual(f.evidence, []);
});

test('skip: the watcher logs could not be read (every stream failed)', (t) => {
  const failure: KubectlFailure = {
    kind: 'other',
    message: 'error: container apigee-watcher is not valid',
    command: 'kubectl -n apigee logs -l app=apigee-watcher',
  };
  const f = run(read([], { sources: [], failures: [failure] }));
  t.deepEqual(f, {
    check: 'watcher-updates',
    status: 'skip',
    cause: null,
    summary: 'the apigee-watcher logs could not be read (see watcher-logs)',
    evidence: [],
    commands: [],
  });
});

test('skip: the pods could not be listed, or no watcher pod runs', (t) => {
  const failure: KubectlFailure = {
    kind: 'forbidden',
    message: 'Error from server (Forbidden): pods is forbidden',
    command: 'kubectl -n apigee get pods -o json',
  };
  t.is(run({ state: 'error', failure }).summary, 'the apigee-watcher logs could not be read (see watcher-logs)');
  const none = run({ state: 'ok', value: { sources: [], lines: [], failures: [], noPods: true } });
  t.is(none.status, 'skip');
  t.is(none.summary, 'no apigee-watcher pod in namespace "apigee"');
});
