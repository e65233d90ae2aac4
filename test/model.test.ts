// The Apigee model of real clusters, in process (reference/apigee.md §12.2, §12.4): which routes
// belong to a route config, and who owns its secret, decided from the marks the cluster carries.
import test from 'ava';
import { detectInstall, installLine } from '../src/apigee/install.js';
import { applyCommand, recreateSecretFix } from '../src/apigee/remediation.js';
import { envGroupRoutes, isGeneratedName } from '../src/apigee/resources.js';
import { certificate, generatedRouteName, route, routeConfig, tlsSecret } from '../src/sim/scenario.js';
import { normalise } from '../src/sim/objects.js';

const created = new Date('2026-01-01T00:00:00Z');
const arc = normalise(routeConfig({ org: 'acme', envgroup: 'prod' }), created);
const other = normalise(routeConfig({ org: 'acme', envgroup: 'prod-2' }), created);
const names = (routes: ReturnType<typeof envGroupRoutes>) => [routes.by, routes.routes.map((r) => r.metadata?.name)];

test('routes: by owner uid first, whatever their names', (t) => {
  const owned = route({ routeConfig: arc, hostnames: ['a'], name: 'hand-named' });
  const byName = route({ routeConfig: 'acme-prod', hostnames: ['b'] });
  t.deepEqual(names(envGroupRoutes(arc, [owned, byName])), ['ownerReferences', ['hand-named']]);
});

test('routes: without owners, by either generated name form, never one another ARC owns', (t) => {
  const indexed = route({ routeConfig: 'acme-prod', hostnames: ['a'] });
  const short = route({ routeConfig: 'acme-prod', hostnames: ['b'], nameForm: 'short' });
  const manual = route({ routeConfig: 'acme-prod', hostnames: ['c'], name: 'acme-prod-manual' });
  // Named like a short-form route of acme-prod, but owned by acme-prod-2.
  const foreign = route({ routeConfig: other, hostnames: ['d'], name: `acme-prod-${'a'.repeat(7)}` });
  t.deepEqual(names(envGroupRoutes(arc, [indexed, short, manual, foreign])), [
    'name',
    [generatedRouteName('acme-prod'), generatedRouteName('acme-prod', 0, 'short')],
  ]);
  t.deepEqual(names(envGroupRoutes(arc, [manual])), ['none', []]);
  t.true(isGeneratedName('acme-prod', 'acme-prod-000-7196418'));
  t.true(isGeneratedName('acme-prod', 'acme-prod-84a6bb5'));
  t.false(isGeneratedName('acme-prod', 'acme-prod-2-000-7196418'));
  t.false(isGeneratedName('acme-prod', 'acme-prod-84A6BB5'));
});

const facts = { org: 'acme', envgroup: 'prod', secretName: 'acme-prod' };
const helmArc = routeConfig({ org: 'acme', envgroup: 'prod', helmRelease: 'env-group-prod' });
const scope = { namespace: 'apigee', context: 'prod' };
const target = { envgroup: 'prod', scope, secretName: 'acme-prod' };

test('install: cert-manager by the secret annotation, or by a Certificate naming the secret', (t) => {
  const issued = tlsSecret({ name: 'acme-prod', cert: 'c', key: 'k', certificateName: 'prod-cert' });
  t.like(detectInstall({ ...facts, routeConfig: helmArc, secret: issued }), { kind: 'cert-manager', certificate: 'prod-cert' });
  const cert = certificate({ name: 'prod-cert', secretName: 'acme-prod', dnsNames: ['x'], ready: false });
  const install = detectInstall({ ...facts, routeConfig: helmArc, certificates: [cert] });
  t.is(installLine(install), 'install: cert-manager Certificate prod-cert, because cert-manager Certificate prod-cert has spec.secretName acme-prod');
  t.is(applyCommand(install, target), 'cmctl renew prod-cert --context=prod -n apigee');
});

test('install: Helm by the release on the secret, else on the ARC of a chart-named secret', (t) => {
  const chartMade = tlsSecret({ name: 'acme-prod', cert: 'c', key: 'k', helmRelease: 'apigee-virtualhost-prod' });
  t.like(detectInstall({ ...facts, secret: chartMade }), { kind: 'helm', release: 'apigee-virtualhost-prod' });
  const install = detectInstall({ ...facts, routeConfig: helmArc });
  t.like(install, { kind: 'helm', release: 'env-group-prod' });
  t.is(
    applyCommand(install, target),
    'helm upgrade env-group-prod apigee-virtualhost/ --install --namespace apigee --atomic --set envgroup=prod -f overrides.yaml',
  );
});

test('install: user-managed when the ARC names another secret, sslSecret names it, or it lives in another namespace', (t) => {
  const byName = detectInstall({ ...facts, routeConfig: helmArc, secretName: 'prod-tls' });
  t.is(byName.kind, 'user-managed');
  t.is(
    installLine(byName),
    'install: a user-managed secret (sslSecret), because the route config names secret "prod-tls", not the chart\'s acme-prod, and no Helm release owns it',
  );
  t.is(detectInstall({ ...facts, virtualHost: { name: 'prod', sslSecret: 'acme-prod' } }).kind, 'user-managed');
  t.is(detectInstall({ ...facts, secretNamespace: 'certs' }).kind, 'user-managed');
  const t2 = { ...target, secretName: 'prod-tls', tlsLayout: true };
  t.is(
    applyCommand(byName, t2),
    'kubectl --context=prod -n apigee create secret tls prod-tls --cert=CERT_FILE --key=KEY_FILE --dry-run=client -o yaml | kubectl --context=prod -n apigee apply -f -',
  );
  t.regex(
    recreateSecretFix(byName, t2),
    /^recreate it by hand \(Helm and apigeectl cannot: they did not make it\): kubectl --context=prod -n apigee create secret generic prod-tls /,
  );
});

test('install: apigeectl when nothing carries Helm marks', (t) => {
  const install = detectInstall({ ...facts, routeConfig: routeConfig({ org: 'acme', envgroup: 'prod' }) });
  t.deepEqual(install, { kind: 'apigeectl', why: 'no Helm annotations on ApigeeRouteConfig acme-prod' });
  t.is(applyCommand(install, target), 'apigeectl apply -f overrides/overrides.yaml --settings virtualhosts');
  t.is(applyCommand(install, { ...target, overridesPath: 'my overrides.yaml' }), "apigeectl apply -f 'my overrides.yaml' --settings virtualhosts");
});
