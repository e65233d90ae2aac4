// ingress-gateway: a running gateway pod matches the route config's selector (reference/apigee.md §12.6).
import test from 'ava';
import { ingressGateway } from '../../src/checks/ingress-gateway.js';
import { evidence } from '../../src/checks/inputs.js';
import type { PodView } from '../../src/evidence/cluster.js';
import { clusterOf, diagnoseCtx, forbidden, judge } from './helpers.js';

const gateway = (name: string, ingress: string, phase = 'Running'): PodView => ({
  name,
  labels: { app: 'apigee-ingressgateway', ingress_name: ingress },
  phase,
});
const PODS = [gateway('gw-a', 'apigee-ingress'), gateway('gw-b', 'internal'), { name: 'watcher', labels: { app: 'apigee-watcher' }, phase: 'Running' }];
const run = (selector: Record<string, string> | undefined, pods: PodView[] = PODS) => {
  const cluster = clusterOf({ gateways: { state: 'ok', value: selector ? { selector, pods } : undefined } });
  return judge(ingressGateway, evidence({ cluster }), diagnoseCtx(cluster));
};

test('pass: the running gateways the selector matches', (t) => {
  const f = run({ app: 'apigee-ingressgateway', ingress_name: 'internal' });
  t.is(f.status, 'pass');
  t.is(f.summary, '1 running gateway pod matches the selector app=apigee-ingressgateway,ingress_name=internal');
  t.deepEqual(f.evidence, ['gateway gw-b (ingress_name=internal, Running)']);
  t.deepEqual(f.commands, ['kubectl -n apigee get pods -l app=apigee-ingressgateway,ingress_name=internal --show-labels']);
});

test('no-ingress-gateway: an ingress_name no gateway has, with the gateways that exist', (t) => {
  const f = run({ app: 'apigee-ingressgateway', ingress_name: 'renamed' });
  t.is(f.status, 'fail');
  t.is(f.cause, 'no-ingress-gateway');
  t.is(
    f.summary,
    "no running ingress gateway pod matches the route config's selector app=apigee-ingressgateway,ingress_name=renamed: nothing serves the env group's hostnames",
  );
  t.deepEqual(f.evidence, [
    'selector: app=apigee-ingressgateway,ingress_name=renamed',
    'gateway gw-a (ingress_name=apigee-ingress, Running)',
    'gateway gw-b (ingress_name=internal, Running)',
  ]);
  t.regex(f.remediation ?? '', /^select an ingress that exists \(an ingressGateways\[\]\.name of the org's overrides\)/);
});

test('no-ingress-gateway: the only matching gateway is not running', (t) => {
  const f = run({ app: 'apigee-ingressgateway', ingress_name: 'internal' }, [gateway('gw-b', 'internal', 'Pending')]);
  t.is(f.cause, 'no-ingress-gateway');
  t.deepEqual(f.evidence, ['selector: app=apigee-ingressgateway,ingress_name=internal', 'gateway gw-b (ingress_name=internal, Pending)']);
});

test('skip: no gateway pod in the namespace at all, or no route config', (t) => {
  const none = run({ app: 'apigee-ingressgateway' }, [{ name: 'watcher', labels: { app: 'apigee-watcher' }, phase: 'Running' }]);
  t.is(none.status, 'skip');
  t.is(
    none.summary,
    'no pod labelled app=apigee-ingressgateway in namespace "apigee" to match the selector app=apigee-ingressgateway against (an ASM-era gateway runs in istio-system)',
  );
  t.is(run(undefined).summary, 'no ApigeeRouteConfig: no selector to match');
});

test('error: the pods could not be listed', (t) => {
  const failure = forbidden('pods', 'kubectl -n apigee get pods -o json');
  const cluster = clusterOf({ gateways: { state: 'error', failure } });
  const f = judge(ingressGateway, evidence({ cluster }), diagnoseCtx(cluster));
  t.is(f.status, 'error');
  t.is(f.cause, null);
  t.regex(f.summary, /^could not read pods in namespace "apigee": /);
});
