// ingress-secret: the playbook's cause 1, the env group's TLS secret exists in the namespace.
import test from 'ava';
import { ingressSecret } from '../../src/checks/ingress-secret.js';
import { evidence } from '../../src/checks/inputs.js';
import { watcherSecretNotFoundLine } from '../../src/sim/scenario.js';
import { clusterOf, diagnoseCtx, forbidden, judge, SECRET } from './helpers.js';

const run = (cluster = clusterOf()) => judge(ingressSecret, evidence({ cluster }), diagnoseCtx(cluster));
const GREP = 'kubectl -n apigee get secrets | grep my-org-prod';
const APIGEECTL = 'install: apigeectl, because no Helm annotations on ApigeeRouteConfig my-org-prod';
const WATCHER = `kubectl -n apigee logs -l app=apigee-watcher --all-containers --since=1h --tail=10000 | grep 'failed to get secret "my-org-prod"'`;

test('pass: the secret exists, and where its name came from', (t) => {
  const f = run();
  t.is(f.status, 'pass');
  t.is(f.summary, 'Secret "my-org-prod" exists in namespace "apigee" (type Opaque)');
  t.deepEqual(f.evidence, ['secret name from spec.tls.secretNameRef of ApigeeRouteConfig my-org-prod', `${APIGEECTL} or secret "my-org-prod"`]);
  t.deepEqual(f.commands, [WATCHER, GREP]);
});

test('pass: it exists now, though the watcher reported it missing earlier', (t) => {
  const line = watcherSecretNotFoundLine(SECRET);
  const f = run(clusterOf({ watcherLines: [line] }));
  t.is(f.status, 'pass');
  t.deepEqual(f.evidence.slice(2), ['apigee-watcher reported it missing earlier (it exists now):', line]);
});

test("missing-ingress-secret: not in the listing, the watcher's line quoted, the fix from overrides", (t) => {
  const line = watcherSecretNotFoundLine(SECRET);
  const cluster = clusterOf({ secret: null, watcherLines: [line] });
  const f = run(cluster);
  t.is(f.status, 'fail');
  t.is(f.cause, 'missing-ingress-secret');
  t.is(f.summary, 'Secret "my-org-prod" does not exist in namespace "apigee"');
  t.deepEqual(f.evidence, [
    line,
    `${GREP}  → no output: the secret is not there`,
    'secret name from spec.tls.secretNameRef of ApigeeRouteConfig my-org-prod',
    APIGEECTL,
  ]);
  t.is(f.remediation, 'recreate it from the cert and key files in overrides.yaml: apigeectl apply -f overrides/overrides.yaml --settings virtualhosts');
});

test("missing-ingress-secret: a secret named by sslSecret is recreated with kubectl, in the run's cluster", (t) => {
  const cluster = clusterOf({
    secret: null,
    routeConfig: null,
    overrides: { virtualhosts: [{ name: 'prod', sslSecret: 'prod-tls' }] },
    scope: { context: 'prod-cluster', kubeconfig: '/home/me/.kube/prod' },
  });
  const f = run(cluster);
  t.is(f.cause, 'missing-ingress-secret');
  t.is(f.summary, 'Secret "prod-tls" does not exist in namespace "apigee"');
  t.is(
    f.remediation,
    'recreate it by hand (Helm and apigeectl cannot: they did not make it): kubectl --kubeconfig=/home/me/.kube/prod --context=prod-cluster -n apigee create secret generic prod-tls --from-file=cert=CERT_FILE --from-file=key=KEY_FILE (or, for a kubernetes.io/tls secret: kubectl --kubeconfig=/home/me/.kube/prod --context=prod-cluster -n apigee create secret tls prod-tls --cert=CERT_FILE --key=KEY_FILE)',
  );
  t.true(
    f.commands.every((c) => c.startsWith('kubectl --kubeconfig=/home/me/.kube/prod --context=prod-cluster -n apigee ')),
    f.commands.join('\n'),
  );
});

test('missing-ingress-secret: the listing failed, but the watcher says it is missing', (t) => {
  const failure = forbidden('secrets', 'kubectl -n apigee get secrets -o json');
  const line = watcherSecretNotFoundLine(SECRET);
  const f = run(clusterOf({ lookup: { state: 'error', failure }, watcherLines: [line] }));
  t.is(f.cause, 'missing-ingress-secret');
  t.deepEqual(f.evidence, [line, 'secret name from spec.tls.secretNameRef of ApigeeRouteConfig my-org-prod', APIGEECTL]);
});

test('error: the secrets could not be listed and nothing says it is missing', (t) => {
  const failure = forbidden('secrets', 'kubectl -n apigee get secrets -o json');
  const f = run(clusterOf({ lookup: { state: 'error', failure } }));
  t.is(f.status, 'error');
  t.is(f.cause, null);
  t.is(f.summary, `could not read secrets in namespace "apigee": ${failure.message}`);
  t.regex(f.remediation!, /^ask a cluster admin for read access in namespace "apigee"/);
});

test('skip: no cluster evidence', (t) => {
  t.is(judge(ingressSecret, evidence({})).summary, 'not checked: no cluster');
});

test('missing-ingress-secret: found in istio-system, the finding says so and how to move it', (t) => {
  const command = 'kubectl -n istio-system get secret my-org-prod -o name';
  const f = run(clusterOf({ secret: null, foundIn: { namespace: 'istio-system', command } }));
  t.is(f.cause, 'missing-ingress-secret');
  t.is(f.summary, 'Secret "my-org-prod" does not exist in namespace "apigee" (it is in namespace "istio-system")');
  t.is(f.evidence[1], `${command}  → found in namespace "istio-system": hybrid 1.8 and later no longer read ingress secrets there`);
  t.deepEqual(f.commands, [WATCHER, GREP, command]);
  t.is(
    f.remediation,
    "move it to namespace \"apigee\", where hybrid 1.8 and later read ingress secrets: kubectl -n istio-system get secret my-org-prod -o yaml | sed -e '/^  namespace: /d' -e '/^  uid: /d' -e '/^  resourceVersion: /d' -e '/^  creationTimestamp: /d' | kubectl -n apigee apply -f -",
  );
});
