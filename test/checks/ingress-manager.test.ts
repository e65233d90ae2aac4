// ingress-manager: istiod's SDS lines naming the env group's secret (`kubernetes://<secret>`, or its
// `-cacert`) after the secret's last write are ingress-rejected-secret (reference/apigee.md §12.5);
// older ones are history on the pass. The evidence is built as diagnose builds it: the namespace's
// manager log, kept for the env group by ingressLogsFor.
import test from 'ava';
import { ingressManager } from '../../src/checks/ingress-manager.js';
import type { KubectlFailure } from '../../src/evidence/kubectl-failure.js';
import type { LogLine, ScannedSource } from '../../src/evidence/log-line.js';
import type { SourceRead } from '../../src/gather/scan-source.js';
import { ingressManager as managerObjects, istiodLine, type IstiodProblem } from '../../src/sim/scenario.js';
import type { K8sObject } from '../../src/sim/types.js';
import { clusterOf, diagnoseCtx, sourceRead, forbidden, judge, NS, pem, pki, SECRET, secretOf } from './helpers.js';
import { ago, stampAgo, withNamespaceLogs, writtenAt } from './helpers.js';

// ---- local builders ---------------------------------------------------------------------------

const MANAGER_POD = managerObjects()
  .filter((o) => o.kind === 'Pod')
  .map((o) => o.metadata.name)[0]!;
const COMMAND = `kubectl -n apigee logs -l app=apigee-ingressgateway-manager -c discovery --since=1h --tail=10000 --timestamps | grep kubernetes://my-org-prod`;

/** The env group's secret (the good pair), last written at WRITTEN; created a day earlier. */
const writtenSecret = (): K8sObject => writtenAt(secretOf({ cert: pki().leaf, key: pem(pki().leafKey), creationTimestamp: '2026-11-29T00:00:00Z' }));

/** One line of istiod's `discovery` container, with the kubelet's stamp `minutesAgo` before NOW. */
const managerLine = (problem: IstiodProblem, minutesAgo: number, secret = SECRET): LogLine => ({
  pod: MANAGER_POD,
  container: 'discovery',
  time: stampAgo(minutesAgo),
  text: istiodLine(problem, secret, NS, ago(minutesAgo)),
});

const read = (lines: LogLine[], over: Partial<ScannedSource> = {}): SourceRead => sourceRead([`${MANAGER_POD}/discovery`], lines, over);

/** ingress-manager's finding for the manager log `manager` (as scanned for the namespace). */
function run(manager: SourceRead, secret: K8sObject | null = writtenSecret()) {
  const cluster = clusterOf({ secret });
  return judge(ingressManager, withNamespaceLogs(cluster, { manager }), diagnoseCtx(cluster));
}

const REMEDIATION = 'fix what the line names in the secret, then apply it; the gateway reloads it by itself';

// ---- the verdicts -----------------------------------------------------------------------------

test('ingress-rejected-secret: a line newer than the last write, quoted with its pod, container and time', (t) => {
  const line = managerLine('pem', 5);
  const f = run(read([line]));
  t.is(f.check, 'ingress-manager');
  t.is(f.status, 'fail');
  t.is(f.cause, 'ingress-rejected-secret');
  t.is(f.summary, 'the ingress manager cannot load secret "my-org-prod": invalid certificates: "kubernetes://my-org-prod": pem decode failed');
  t.deepEqual(f.evidence, [
    `${MANAGER_POD}/discovery at 2026-11-30T23:55:00.000000000Z: 2026-11-30T23:55:00.000000Z\twarn\tads\tinvalid certificates: "kubernetes://my-org-prod": pem decode failed`,
    `read ${MANAGER_POD}/discovery`,
  ]);
  t.deepEqual(f.commands, [COMMAND]);
  t.is(f.remediation, REMEDIATION);
});

test('ingress-rejected-secret: the newest current line is the summary; older lines are history beneath', (t) => {
  const f = run(read([managerLine('expired', 90), managerLine('not-found', 10), managerLine('pem', 5)]));
  t.is(f.status, 'fail');
  t.is(f.summary, 'the ingress manager cannot load secret "my-org-prod": invalid certificates: "kubernetes://my-org-prod": pem decode failed');
  t.deepEqual(f.evidence, [
    `${MANAGER_POD}/discovery at 2026-11-30T23:50:00.000000000Z: 2026-11-30T23:50:00.000000Z\twarn\tads\tfailed to fetch key and certificate for kubernetes://my-org-prod: secret apigee/my-org-prod not found`,
    `${MANAGER_POD}/discovery at 2026-11-30T23:55:00.000000000Z: 2026-11-30T23:55:00.000000Z\twarn\tads\tinvalid certificates: "kubernetes://my-org-prod": pem decode failed`,
    'rejected before the secret was last written at 2026-11-30T23:30:00Z:',
    `  ${MANAGER_POD}/discovery at 2026-11-30T22:30:00.000000000Z: 2026-11-30T22:30:00.000000Z\twarn\tads\tinvalid certificates: "kubernetes://my-org-prod": x509: certificate is expired or not yet valid`,
    `read ${MANAGER_POD}/discovery`,
  ]);
});

test('pass: only lines older than the last write, shown as history', (t) => {
  const f = run(read([managerLine('wrong-keys', 45)]));
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, 'read the apigee-ingressgateway-manager logs of the last 1h: none reports secret "my-org-prod" unusable since it was last written');
  t.deepEqual(f.evidence, [
    'rejected before the secret was last written at 2026-11-30T23:30:00Z:',
    `  ${MANAGER_POD}/discovery at 2026-11-30T23:15:00.000000000Z: 2026-11-30T23:15:00.000000Z\twarn\tads\tfailed to fetch key and certificate for kubernetes://my-org-prod: found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: ca.crt`,
    `read ${MANAGER_POD}/discovery`,
  ]);
  t.deepEqual(f.commands, [COMMAND]);
  t.is(f.remediation, undefined);
});

test('pass: no line at all', (t) => {
  const f = run(read([]));
  t.is(f.status, 'pass');
  t.is(f.summary, 'read the apigee-ingressgateway-manager logs of the last 1h: none reports secret "my-org-prod" unusable');
  t.deepEqual(f.evidence, [`read ${MANAGER_POD}/discovery`]);
});

test('a line about another secret whose name starts with this one (my-org-prod-2) is not counted', (t) => {
  const f = run(read([managerLine('not-found', 5, `${SECRET}-2`), managerLine('pem', 5, `${SECRET}-2`)]));
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.deepEqual(f.evidence, [`read ${MANAGER_POD}/discovery`]);
});

test("ingress-rejected-secret: the secret's -cacert credential (an mTLS CA istiod cannot fetch) counts", (t) => {
  const f = run(read([managerLine('ca-missing', 5)]));
  t.is(f.status, 'fail');
  t.is(f.cause, 'ingress-rejected-secret');
  t.is(
    f.summary,
    'the ingress manager cannot load secret "my-org-prod": failed to fetch ca certificate for kubernetes://my-org-prod-cacert: secret apigee/my-org-prod-cacert not found',
  );
});

test('ingress-rejected-secret: with the secret missing there is no last write, so every line counts', (t) => {
  const f = run(read([managerLine('not-found', 50)]), null);
  t.is(f.status, 'fail');
  t.is(f.cause, 'ingress-rejected-secret');
  t.is(
    f.summary,
    'the ingress manager cannot load secret "my-org-prod": failed to fetch key and certificate for kubernetes://my-org-prod: secret apigee/my-org-prod not found',
  );
  t.deepEqual(f.evidence, [
    `${MANAGER_POD}/discovery at 2026-11-30T23:10:00.000000000Z: 2026-11-30T23:10:00.000000Z\twarn\tads\tfailed to fetch key and certificate for kubernetes://my-org-prod: secret apigee/my-org-prod not found`,
    `read ${MANAGER_POD}/discovery`,
  ]);
});

test('skip: no ingress manager pod in the namespace', (t) => {
  const f = run({ state: 'ok', value: { sources: [], lines: [], failures: [], noPods: true } });
  t.deepEqual(f, {
    check: 'ingress-manager',
    status: 'skip',
    cause: null,
    summary:
      'no apigee-ingressgateway-manager pod in namespace "apigee" (label app=apigee-ingressgateway-manager or app=apigee-istiod, or a name starting apigee-ingressgateway-manager-)',
    evidence: [],
    commands: [],
  });
});

test('error: the pods could not be listed (Forbidden), with the Role that grants enough', (t) => {
  const failure = forbidden('pods', 'kubectl -n apigee get pods -o json');
  const f = run({ state: 'error', failure });
  t.is(f.status, 'error');
  t.is(f.cause, null);
  t.is(f.summary, `could not read pods in namespace "apigee": ${failure.message}`);
  t.deepEqual(f.evidence, []);
  t.deepEqual(f.commands, ['kubectl -n apigee get pods -o json']);
  t.regex(
    f.remediation ?? '',
    /^ask a cluster admin for read access in namespace "apigee"; the plugin needs no more than this Role \(bind it to your user\):\n[\s\S]*kind: Role/,
  );
});

test('error: every stream of the manager failed and none was read', (t) => {
  const failure: KubectlFailure = {
    kind: 'forbidden',
    message: `Error from server (Forbidden): pods "${MANAGER_POD}" is forbidden: User "dev" cannot get resource "pods/log" in API group "" in the namespace "apigee"`,
    command: `kubectl -n apigee logs ${MANAGER_POD} -c discovery --since=1h --tail=10000 --timestamps`,
  };
  const f = run(read([], { sources: [], failures: [failure] }));
  t.is(f.status, 'error');
  t.is(f.cause, null);
  t.is(f.summary, `could not read the apigee-ingressgateway-manager logs: ${failure.message}`);
  t.deepEqual(f.commands, [failure.command]);
  t.regex(f.remediation ?? '', /kind: Role/);
});

test('pass: a stream that failed beside one that was read is named, not an error', (t) => {
  const failure: KubectlFailure = { kind: 'other', message: 'container "discovery" is waiting to start', command: 'kubectl -n apigee logs x -c discovery' };
  const f = run(read([], { failures: [failure] }));
  t.is(f.status, 'pass');
  t.deepEqual(f.evidence, [`read ${MANAGER_POD}/discovery`, 'could not read: container "discovery" is waiting to start']);
});

test('skip: the ingress logs were not gathered, with the reason', (t) => {
  const cluster = clusterOf();
  const absent = judge(ingressManager, { inputs: { cluster }, absent: { ingressLogs: 'not read: --since 0s' } }, diagnoseCtx(cluster));
  t.is(absent.status, 'skip');
  t.is(absent.summary, 'not read: --since 0s');
});

test("pass: istiod's ordinary lines naming the credential after the last write (its SDS pushes) are not failures", (t) => {
  // A stand-in for an informational push line: it names the credential and is none of istiod's documented failures.
  const push: LogLine = {
    pod: MANAGER_POD,
    container: 'discovery',
    time: stampAgo(5),
    text: `${ago(5).toISOString()}\tinfo\tads\tSDS: PUSH for node:apigee-ingressgateway resources:1 resource:kubernetes://${SECRET}`,
  };
  const f = run(read([push]));
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, 'read the apigee-ingressgateway-manager logs of the last 1h: none reports secret "my-org-prod" unusable');
});
