// apigee-issues: Apigee's own signal, ApigeeIssues that name the env group's route config or secret.
import test from 'ava';
import { apigeeIssues } from '../../src/checks/apigee-issues.js';
import { evidence } from '../../src/checks/inputs.js';
import { apigeeIssue } from '../../src/sim/scenario.js';
import { clusterOf, diagnoseCtx, forbidden, judge, SECRET } from './helpers.js';

const run = (o: Parameters<typeof clusterOf>[0] = {}) => {
  const cluster = clusterOf(o);
  return judge(apigeeIssues, evidence({ cluster }), diagnoseCtx(cluster));
};
const expiry = (severity: 'ERROR' | 'WARNING', name = 'my-org-cert-expiry') =>
  apigeeIssue({ name, reason: 'AIS_INGRESS_CERT_EXPIREY', severity, routeConfig: 'my-org-prod', secret: SECRET });

test("pass: no ApigeeIssue names this env group (another env group's does not count)", (t) => {
  const other = apigeeIssue({ name: 'other', reason: 'AIS_INGRESS_CERT_EXPIREY', severity: 'ERROR', routeConfig: 'my-org-test', secret: 'my-org-test' });
  const f = run({ issues: [other] });
  t.is(f.status, 'pass');
  t.is(f.summary, 'no ApigeeIssue names this env group');
  t.deepEqual(f.commands, ['kubectl -n apigee get apigeeissues']);
});

test("apigee-issue-reported: an ERROR fails, with the issue's line and Apigee's playbook", (t) => {
  const f = run({ issues: [expiry('ERROR')] });
  t.is(f.status, 'fail');
  t.is(f.cause, 'apigee-issue-reported');
  t.is(f.summary, 'Apigee reports AIS_INGRESS_CERT_EXPIREY (ERROR) for this env group');
  t.deepEqual(f.evidence, [
    'my-org-cert-expiry  ERROR  AIS_INGRESS_CERT_EXPIREY: The ingress certificate stored in the Kubernetes secret "my-org-prod" referenced by ApigeeRouteConfig "my-org-prod" has expired',
  ]);
  t.deepEqual(f.commands, ['kubectl -n apigee get apigeeissues', 'kubectl -n apigee describe apigeeissue my-org-cert-expiry']);
  t.is(
    f.remediation,
    "follow Apigee's playbook for AIS_INGRESS_CERT_EXPIREY (https://cloud.google.com/apigee/docs/hybrid/troubleshooting/AIS_INGRESS_CERT_EXPIREY); after the fix: apigeectl apply -f overrides/overrides.yaml --settings virtualhosts",
  );
});

test('apigee-issue-reported: WARNINGs only warn, and several are counted', (t) => {
  const f = run({ issues: [expiry('WARNING', 'a'), expiry('WARNING', 'b')] });
  t.is(f.status, 'warn');
  t.is(f.cause, 'apigee-issue-reported');
  t.is(f.summary, 'Apigee reports 2 issues for this env group');
  t.is(f.evidence.length, 2);
});

test('skip (its own): the ApigeeIssue type is not on this cluster', (t) => {
  const f = run({ issuesObserved: { state: 'absent', why: 'not on this cluster: the server doesn\'t have a resource type "apigeeissues"' } });
  t.deepEqual(f, {
    check: 'apigee-issues',
    status: 'skip',
    cause: null,
    summary: 'not on this cluster: the server doesn\'t have a resource type "apigeeissues"',
    evidence: [],
    commands: [],
  });
});

test('error: the ApigeeIssues could not be listed', (t) => {
  const failure = forbidden('apigeeissues', 'kubectl -n apigee get apigeeissues -o json');
  const f = run({ issuesObserved: { state: 'error', failure } });
  t.is(f.status, 'error');
  t.is(f.summary, `could not read ApigeeIssues: ${failure.message}`);
});

test('skip: no cluster evidence', (t) => {
  t.is(judge(apigeeIssues, evidence({})).summary, 'not checked: no cluster');
});
