// route-secret: the routes of additionalGateways (the non-SNI wildcard route) have their credential
// secret, and it is sound (reference/apigee.md §5.4, §12.6).
import test from 'ava';
import type { CauseId } from '../../src/causes/catalog.js';
import { evidence } from '../../src/checks/inputs.js';
import { routeSecret } from '../../src/checks/route-secret.js';
import type { AdditionalRoute } from '../../src/evidence/cluster.js';
import { clusterOf, diagnoseCtx, forbidden, judge, leafOf, NOW, pem, pki, secretOf } from './helpers.js';

const DAY = 86_400_000;
const run = (routes: AdditionalRoute[]) => {
  const cluster = clusterOf({ additionalRoutes: { state: 'ok', value: routes } });
  return judge(routeSecret, evidence({ cluster }), diagnoseCtx(cluster));
};
const withSecret = (o: Parameters<typeof secretOf>[0]): AdditionalRoute => ({
  name: 'non-sni',
  found: true,
  credentials: [{ name: 'shared', secret: { state: 'found', secret: secretOf({ name: 'shared', ...o }) } }],
});

test('skip: the route config names no additionalGateways', (t) => {
  t.is(run([]).summary, 'the route config names no additionalGateways');
});

test('route-secret-missing: the credentialName names no secret', (t) => {
  const f = run([
    { name: 'non-sni', found: true, credentials: [{ name: 'shared', secret: { state: 'missing', command: 'kubectl -n apigee get secrets -o json' } }] },
  ]);
  t.is(f.status, 'fail');
  t.is(f.cause, 'route-secret-missing');
  t.deepEqual(f.evidence, ['ApigeeRoute non-sni ports[].tls.credentialName shared: secret "shared" does not exist in namespace "apigee"']);
  t.deepEqual(f.commands, [
    "kubectl -n apigee get apigeeroute non-sni -o jsonpath='{.spec.hostnames} {.spec.ports[*].tls.credentialName}'",
    'kubectl -n apigee get secret shared',
  ]);
});

test('pass: the secret exists and its pair is sound', (t) => {
  const f = run([withSecret({ cert: pki().leaf, key: pem(pki().leafKey) })]);
  t.is(f.status, 'pass');
  t.deepEqual(f.evidence, ['ApigeeRoute non-sni ports[].tls.credentialName shared: exists; its certificate and key are sound']);
});

test("judged like the env group's own: key mismatch, expiry, damage, missing keys", (t) => {
  const cases: Array<[Parameters<typeof secretOf>[0], CauseId]> = [
    [{ cert: pki().leaf, key: pem(pki().otherKey) }, 'key-mismatch'],
    [
      { cert: leafOf({ notBefore: new Date(NOW.getTime() - 90 * DAY), notAfter: new Date(NOW.getTime() - DAY) }), key: pem(pki().leafKey) },
      'certificate-expired',
    ],
    [{ cert: pki().leaf.replace('-----END CERTIFICATE-----', '-----END CERTIFICATE----'), key: pem(pki().leafKey) }, 'malformed-certificate'],
    [{ cert: pki().leaf, key: 'not a key' }, 'malformed-private-key'],
    [{ extraData: { 'tls.pem': 'x' } }, 'secret-missing-keys'],
  ];
  for (const [secret, cause] of cases) {
    const f = run([withSecret(secret)]);
    t.is(f.status, 'fail', cause);
    t.is(f.cause, cause, cause);
    t.true(f.summary.startsWith('the credential secret of ApigeeRoute non-sni: secret "shared"'), f.summary);
  }
});

test('a route named in additionalGateways that does not exist is said, not judged', (t) => {
  const f = run([{ name: 'gone-route', found: false, credentials: [] }]);
  t.is(f.status, 'skip');
  t.is(f.summary, 'ApigeeRoute gone-route (named in additionalGateways) does not exist');
});

test('error: the secrets could not be listed', (t) => {
  const failure = forbidden('secrets', 'kubectl -n apigee get secrets -o json');
  const f = run([{ name: 'non-sni', found: true, credentials: [{ name: 'shared', secret: { state: 'error', failure } }] }]);
  t.is(f.status, 'error');
});
