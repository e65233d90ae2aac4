// route-config: the env group's ApigeeRouteConfig reports no errors in its status.
import test from 'ava';
import { evidence } from '../../src/checks/inputs.js';
import { routeConfig } from '../../src/checks/route-config.js';
import { routeConfig as routeConfigObject } from '../../src/sim/scenario.js';
import { clusterOf, diagnoseCtx, ENVGROUP, forbidden, judge, NS, ORG } from './helpers.js';

const run = (o: Parameters<typeof clusterOf>[0] = {}) => {
  const cluster = clusterOf(o);
  return judge(routeConfig, evidence({ cluster }), diagnoseCtx(cluster));
};

test('pass: no errors in its status', (t) => {
  const f = run();
  t.is(f.status, 'pass');
  t.is(f.summary, 'ApigeeRouteConfig my-org-prod reports no errors');
  t.deepEqual(f.commands, ["kubectl -n apigee get apigeerouteconfig my-org-prod -o jsonpath='{.status}'"]);
});

test('route-config-error: the errors of its status, verbatim', (t) => {
  const errors = ['secret "my-org-prod" not found', 'failed to create ApigeeRoute: invalid hostname'];
  const f = run({ routeConfig: routeConfigObject({ org: ORG, envgroup: ENVGROUP, namespace: NS, errors }) });
  t.is(f.status, 'fail');
  t.is(f.cause, 'route-config-error');
  t.is(f.summary, 'ApigeeRouteConfig my-org-prod reports 2 errors');
  t.deepEqual(f.evidence, errors);
  t.is(f.remediation, 'fix what the errors name, then: apigeectl apply -f overrides/overrides.yaml --settings virtualhosts');
});

test('skip (its own): no route config for the env group', (t) => {
  const f = run({ routeConfig: null });
  t.is(f.status, 'skip');
  t.is(f.summary, 'no ApigeeRouteConfig my-org-prod in namespace "apigee" (the secret name and hostnames come from the naming convention <org>-<envgroup>)');
  t.deepEqual(f.commands, ['kubectl -n apigee get apigeerouteconfigs']);
});

test('skip (its own): the type is not on this cluster', (t) => {
  const f = run({ routeConfigObserved: { state: 'absent', why: 'not on this cluster (are the Apigee CRDs installed?)' } });
  t.deepEqual(f, {
    check: 'route-config',
    status: 'skip',
    cause: null,
    summary: 'not on this cluster (are the Apigee CRDs installed?)',
    evidence: [],
    commands: [],
  });
});

test('error: the route configs could not be listed', (t) => {
  const failure = forbidden('apigeerouteconfigs', 'kubectl -n apigee get apigeerouteconfigs -o json');
  const f = run({ routeConfigObserved: { state: 'error', failure } });
  t.is(f.status, 'error');
  t.is(f.summary, `could not read ApigeeRouteConfigs: ${failure.message}`);
  t.deepEqual(f.commands, [failure.command]);
});

test('skip: no cluster evidence', (t) => {
  t.is(judge(routeConfig, evidence({})).summary, 'not checked: no cluster');
});
