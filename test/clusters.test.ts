// Real Apigee hybrid clusters (1.8–1.15), end to end through the real kubectl and openssl
// (reference/apigee.md §12): routes tied to their route config by owner uid in either name form,
// the mTLS CA in `<secret>-cacert`, the fix that follows who owns the secret, a secret left in
// istio-system, the non-SNI route's credential secret, and a selector that matches no gateway.
import test, { type ExecutionContext } from 'ava';
import {
  apigeeCluster,
  generatedRouteName,
  ingressGatewayPod,
  route,
  routeConfig,
  tlsSecret,
  type EnvGroupSpec,
  type K8sObject,
  type SimulatorOptions,
} from '../src/sim/index.js';
import { clusterFor, type Cluster } from './helpers/cluster.js';
import { DAY, finding, fullChain, item, plant, rootCa, rsaKey, run, verdicts, type DiagnosisJson, type DiagnosisListJson } from './helpers/scenarios.js';

const ORG = 'acme';
const NS = 'apigee';
const now = new Date();
const host = (eg: string): string => `${eg}.${ORG}.example.com`;
const ca = rootCa('Clusters Test Root CA', now);
const clientCa = rootCa('Clusters Client CA', now);
const key = rsaKey();
const other = rsaKey();
const KEY = plant(key);
const OTHER = plant(other);
const chain = (eg: string, o: { sans?: string[]; expired?: boolean } = {}): string =>
  fullChain(ca, host(eg), key, {
    now,
    ...(o.sans ? { sans: o.sans } : {}),
    ...(o.expired ? { notBefore: new Date(now.getTime() - 400 * DAY), notAfter: new Date(now.getTime() - 3 * DAY) } : {}),
  });
const sound = (eg: string) => ({ cert: chain(eg), key: KEY });

const ENVGROUPS: EnvGroupSpec[] = [
  { name: 'healthy', secret: sound('healthy') },
  // Routes named <arc>-<hash7> (Google's 2023 playbook), tied by ownerReferences.
  { name: 'short', routeNameForm: 'short', hostnames: [host('short'), 'api.partner.example.com'], secret: sound('short') },
  // sslSecret with mutual TLS: the CA sits in the second secret <name>-cacert, as istiod reads it.
  { name: 'mtls', secretName: 'mtls-tls', mode: 'MUTUAL', caSecret: clientCa.certificatePem, secret: sound('mtls') },
  // Who owns the secret decides the fix.
  { name: 'chart-gone', secret: null },
  { name: 'chart-bad', secret: { cert: chain('chart-bad'), key: OTHER } },
  { name: 'byo-gone', secretName: 'byo-gone-tls', secret: null },
  { name: 'byo-bad', secretName: 'byo-bad-tls', secret: { layout: 'kubernetes.io/tls', cert: chain('byo-bad', { expired: true }), key: KEY } },
  { name: 'cm-gone', owner: 'cert-manager', secretName: 'cm-gone-tls', certificateReady: false, secret: null },
  { name: 'cm-expired', owner: 'cert-manager', secretName: 'cm-expired-tls', secret: { cert: chain('cm-expired', { expired: true }), key: KEY } },
  // Left in istio-system by an upgrade past 1.8.
  { name: 'moved', secretNamespace: 'istio-system', secret: sound('moved') },
  // The non-SNI wildcard route's credential secret is missing.
  { name: 'nonsni', additionalGateways: ['non-sni'], secret: sound('nonsni') },
  // An ingress renamed in ingressGateways[]: the selector matches no gateway.
  { name: 'lost-ingress', ingress: 'old-ingress', secret: sound('lost-ingress') },
];

function scenario(extra: { envgroups?: EnvGroupSpec[]; objects?: K8sObject[] } = {}) {
  const s = apigeeCluster({
    org: ORG,
    now,
    helm: true,
    jsonLogs: true,
    ingresses: ['apigee-ingress', 'internal'],
    envgroups: [...ENVGROUPS, ...(extra.envgroups ?? [])],
    nonSniRoutes: [{ name: 'non-sni', credentialName: 'shared-non-sni', secret: null }],
  });
  // A route config whose route carries no ownerReferences: tied by its generated name alone.
  const unowned = routeConfig({ org: ORG, envgroup: 'unowned' });
  const objects = [
    ...s.objects,
    unowned,
    route({ routeConfig: unowned, owned: false, nameForm: 'short', hostnames: [host('unowned'), 'www.unowned.example.org'] }),
    tlsSecret({ name: `${ORG}-unowned`, ...sound('unowned') }),
    ...(extra.objects ?? []),
  ];
  return { ...s, objects };
}

async function cluster(t: Parameters<typeof clusterFor>[0], options: SimulatorOptions = {}, s = scenario()): Promise<Cluster> {
  return clusterFor(t, s.objects, s.logs, { ...s.simulator, ...options });
}

const json = <T = DiagnosisJson>(r: { stdout: string }): T => JSON.parse(r.stdout) as T;

let shared: Promise<DiagnosisListJson> | undefined;
/** One `diagnose --all` of the whole cluster, shared by the tests that only read it. */
function allReport(t: ExecutionContext): Promise<DiagnosisListJson> {
  shared ??= (async () => {
    const c = await cluster(t);
    const r = await run(t, c, ['diagnose', '--all', '-o', 'json']);
    t.is(r.exitCode, 1, r.stderr);
    return json<DiagnosisListJson>(r);
  })();
  return shared;
}

const HELM = (eg: string): string =>
  `helm upgrade apigee-virtualhost-${eg} apigee-virtualhost/ --install --namespace apigee --atomic --set envgroup=${eg} -f overrides.yaml`;

// ---------------------------------------------------------------------------------------------
// Routes and hostnames

test('routes named <arc>-<hash7> with ownerReferences give their hostnames, and the evidence names them', async (t) => {
  const list = await allReport(t);
  const f = finding(item(list, 'short'), 'hostnames');
  t.is(f.status, 'fail');
  t.is(f.cause, 'hostname-not-covered');
  t.is(f.summary, `the leaf "CN=${host('short')}" does not cover api.partner.example.com`);
  t.deepEqual(f.evidence, [
    `SANs: DNS:${host('short')}`,
    'not covered: api.partner.example.com',
    `hostnames from spec.hostnames of ApigeeRoute ${generatedRouteName('acme-short', 0, 'short')} (owned by ApigeeRouteConfig acme-short)`,
  ]);
  t.is(item(list, 'short').result, 'problems-found');
  const healthy = finding(item(list, 'healthy'), 'hostnames');
  t.is(healthy.status, 'pass');
  t.deepEqual(healthy.evidence, [
    `hostnames from spec.hostnames of ApigeeRoute ${generatedRouteName('acme-healthy')} (owned by ApigeeRouteConfig acme-healthy)`,
  ]);
});

test('a route without ownerReferences is tied by its generated name, in the short form too', async (t) => {
  const list = await allReport(t);
  const f = finding(item(list, 'unowned'), 'hostnames');
  t.is(f.cause, 'hostname-not-covered');
  t.deepEqual(f.evidence, [
    `SANs: DNS:${host('unowned')}`,
    'not covered: www.unowned.example.org',
    `hostnames from spec.hostnames of ApigeeRoute ${generatedRouteName('acme-unowned', 0, 'short')} (named after ApigeeRouteConfig acme-unowned)`,
  ]);
});

// ---------------------------------------------------------------------------------------------
// Mutual TLS

test('a healthy mTLS env group whose CA is in <secret>-cacert exits 0; without that secret it is mtls-ca-invalid, exit 1', async (t) => {
  const c = await cluster(t);
  const r = await run(t, c, ['diagnose', 'mtls', '-o', 'json']);
  t.is(r.exitCode, 0, r.stderr);
  const d = json(r);
  t.is(d.result, 'healthy');
  const f = finding(d, 'mtls-ca');
  t.is(f.status, 'pass');
  t.is(f.summary, 'the CA bundle secret "mtls-tls-cacert" key "cacert" holds "CN=Clusters Client CA"');
  t.deepEqual(f.evidence, [
    'read from secret "mtls-tls-cacert" key "cacert": secret "mtls-tls" key "cacert" holds no CA, and istiod resolves the CA of a credential <name> as the secret <name>-cacert',
  ]);
  t.deepEqual(f.commands, [`kubectl -n ${NS} get secret mtls-tls-cacert -o jsonpath='{.data.cacert}' | base64 -d | openssl x509 -text -noout`]);

  c.sim.setObjects(c.sim.objects.filter((o) => o.metadata.name !== 'mtls-tls-cacert'));
  const gone = await run(t, c, ['diagnose', 'mtls', '-o', 'json']);
  t.is(gone.exitCode, 1, gone.stderr);
  const g = finding(json(gone), 'mtls-ca');
  t.is(g.status, 'fail');
  t.is(g.cause, 'mtls-ca-invalid');
  t.is(
    g.summary,
    'mutual TLS is configured but there is no CA certificate: looked in secret "mtls-tls" key "cacert", then secret "mtls-tls-cacert" key "cacert"',
  );
  t.deepEqual(g.evidence, ['no CA in secret "mtls-tls" key "cacert"', 'no CA in secret "mtls-tls-cacert" key "cacert"']);
});

// ---------------------------------------------------------------------------------------------
// Who owns the secret, and the fix

test('Helm: the chart-made secret missing is recreated by a helm upgrade of the release the ARC names', async (t) => {
  const list = await allReport(t);
  const f = finding(item(list, 'chart-gone'), 'ingress-secret');
  t.is(f.cause, 'missing-ingress-secret');
  t.is(f.remediation, `recreate it from the cert and key files in overrides.yaml: ${HELM('chart-gone')}`);
  t.true(
    f.evidence.includes(
      'install: Helm release apigee-virtualhost-chart-gone (apigee-virtualhost chart), because ApigeeRouteConfig acme-chart-gone is annotated meta.helm.sh/release-name: apigee-virtualhost-chart-gone',
    ),
  );
  // The watcher's zap record is quoted as it was logged (reference/apigee.md §12.1).
  t.like(JSON.parse(f.evidence[0]!), {
    msg: 'error during watch',
    error: `NOT_FOUND: failed to get secret "acme-chart-gone" in namespace "apigee": secrets "acme-chart-gone" not found`,
  });
  const bad = item(list, 'chart-bad');
  t.is(finding(bad, 'key-match').cause, 'key-mismatch');
  t.true(finding(bad, 'key-match').remediation!.endsWith(`; then apply it: ${HELM('chart-bad')}`));
  t.true(
    finding(bad, 'ingress-secret').evidence.includes(
      'install: Helm release apigee-virtualhost-chart-bad (apigee-virtualhost chart), because secret "acme-chart-bad" is annotated meta.helm.sh/release-name: apigee-virtualhost-chart-bad',
    ),
  );
});

test('user-managed: a missing secret is made with kubectl create secret, a bad one replaced in place with the key names it uses', async (t) => {
  const list = await allReport(t);
  const gone = finding(item(list, 'byo-gone'), 'ingress-secret');
  t.is(gone.cause, 'missing-ingress-secret');
  t.is(
    gone.remediation,
    `recreate it by hand (Helm and apigeectl cannot: they did not make it): kubectl -n ${NS} create secret generic byo-gone-tls --from-file=cert=CERT_FILE --from-file=key=KEY_FILE (or, for a kubernetes.io/tls secret: kubectl -n ${NS} create secret tls byo-gone-tls --cert=CERT_FILE --key=KEY_FILE)`,
  );
  t.true(
    gone.evidence.includes(
      'install: a user-managed secret (sslSecret), because the route config names secret "byo-gone-tls", not the chart\'s acme-byo-gone, and no Helm release owns it',
    ),
  );
  const bad = finding(item(list, 'byo-bad'), 'validity');
  t.is(bad.cause, 'certificate-expired');
  t.is(
    bad.remediation,
    `renew the certificate and replace it; then apply it: kubectl -n ${NS} create secret tls byo-bad-tls --cert=CERT_FILE --key=KEY_FILE --dry-run=client -o yaml | kubectl -n ${NS} apply -f -`,
  );
});

test('cert-manager: the fix points at the Certificate, found by its spec.secretName or the secret annotation', async (t) => {
  const list = await allReport(t);
  const gone = finding(item(list, 'cm-gone'), 'ingress-secret');
  t.is(gone.cause, 'missing-ingress-secret');
  t.is(
    gone.remediation,
    `cert-manager issues it from Certificate cm-gone-tls: see why it has not (cmctl status certificate cm-gone-tls -n ${NS}; kubectl -n ${NS} describe certificate cm-gone-tls), fix that, then cmctl renew cm-gone-tls -n ${NS}`,
  );
  t.true(gone.evidence.includes('install: cert-manager Certificate cm-gone-tls, because cert-manager Certificate cm-gone-tls has spec.secretName cm-gone-tls'));
  const expired = item(list, 'cm-expired');
  t.is(finding(expired, 'validity').remediation, `renew the certificate and replace it; then apply it: cmctl renew cm-expired-tls -n ${NS}`);
  t.true(
    finding(expired, 'ingress-secret').evidence.includes(
      'install: cert-manager Certificate cm-expired-tls, because secret "cm-expired-tls" is annotated cert-manager.io/certificate-name: cm-expired-tls',
    ),
  );
});

// ---------------------------------------------------------------------------------------------
// istio-system

test('a secret found only in istio-system: still missing, and the finding says where it is, why, and how to move it', async (t) => {
  const list = await allReport(t);
  const f = finding(item(list, 'moved'), 'ingress-secret');
  t.is(f.status, 'fail');
  t.is(f.cause, 'missing-ingress-secret');
  t.is(f.summary, 'Secret "acme-moved" does not exist in namespace "apigee" (it is in namespace "istio-system")');
  t.true(
    f.evidence.includes(
      'kubectl -n istio-system get secret acme-moved -o name  → found in namespace "istio-system": hybrid 1.8 and later no longer read ingress secrets there',
    ),
  );
  t.is(
    f.remediation,
    `move it to namespace "apigee", where hybrid 1.8 and later read ingress secrets: kubectl -n istio-system get secret acme-moved -o yaml | sed -e '/^  namespace: /d' -e '/^  uid: /d' -e '/^  resourceVersion: /d' -e '/^  creationTimestamp: /d' | kubectl -n apigee apply -f -`,
  );
  // A secret missing everywhere says nothing of istio-system.
  t.false(finding(item(list, 'chart-gone'), 'ingress-secret').evidence.some((l) => l.includes('istio-system')));
});

test('istio-system forbidden: the missing secret is reported as before, with no word of istio-system', async (t) => {
  const apigeeOnly = { rules: [{ verbs: ['get', 'list'], resources: ['*'], apiGroups: ['*'], namespaces: [NS] }] };
  const c = await cluster(t, { rbac: apigeeOnly });
  const r = await run(t, c, ['diagnose', 'moved', '-o', 'json']);
  t.is(r.exitCode, 1, r.stderr);
  const f = finding(json(r), 'ingress-secret');
  t.is(f.summary, 'Secret "acme-moved" does not exist in namespace "apigee"');
  t.false(JSON.stringify(f).includes('istio-system'));
  t.true(c.sim.requests.some((q) => q.path === '/api/v1/namespaces/istio-system/secrets/acme-moved' && q.status === 403));
});

// ---------------------------------------------------------------------------------------------
// The non-SNI route and the gateways

test('a missing wildcard-route secret is route-secret-missing, naming the route and its credentialName', async (t) => {
  const list = await allReport(t);
  const d = item(list, 'nonsni');
  const f = finding(d, 'route-secret');
  t.is(f.status, 'fail');
  t.is(f.cause, 'route-secret-missing');
  t.is(f.summary, 'the credential secret "shared-non-sni" of ApigeeRoute non-sni does not exist: clients without SNI (and any the route serves) fail');
  t.deepEqual(f.evidence, ['ApigeeRoute non-sni ports[].tls.credentialName shared-non-sni: secret "shared-non-sni" does not exist in namespace "apigee"']);
  t.is(
    f.remediation,
    `create the secret the route's credentialName names (every env group's non-SNI clients share it), or point the route at an existing one: kubectl -n ${NS} create secret generic shared-non-sni --from-file=cert=CERT_FILE --from-file=key=KEY_FILE`,
  );
  t.is(d.result, 'problems-found');
  t.is(finding(item(list, 'healthy'), 'route-secret').summary, 'the route config names no additionalGateways');
});

test("the wildcard route's secret, when it exists, is judged like the env group's own", async (t) => {
  const s = scenario();
  const sharedSecret = (o: { key: string }) => tlsSecret({ name: 'shared-non-sni', cert: fullChain(ca, 'non-sni.acme.example.com', key, { now }), key: o.key });
  const good = await clusterFor(t, [...s.objects, sharedSecret({ key: KEY })], s.logs, s.simulator);
  const ok = await run(t, good, ['diagnose', 'nonsni', '-o', 'json']);
  t.is(ok.exitCode, 0, ok.stderr);
  const pass = finding(json(ok), 'route-secret');
  t.is(pass.status, 'pass');
  t.deepEqual(pass.evidence, ['ApigeeRoute non-sni ports[].tls.credentialName shared-non-sni: exists; its certificate and key are sound']);
  const bad = await clusterFor(t, [...s.objects, sharedSecret({ key: OTHER })], s.logs, s.simulator);
  const r = await run(t, bad, ['diagnose', 'nonsni', '-o', 'json']);
  t.is(r.exitCode, 1, r.stderr);
  const f = finding(json(r), 'route-secret');
  t.is(f.cause, 'key-mismatch');
  t.is(
    f.summary,
    'the credential secret of ApigeeRoute non-sni: secret "shared-non-sni": the private key does not belong to the leaf "CN=non-sni.acme.example.com"',
  );
});

test('a selector that matches no gateway is no-ingress-gateway, with the selector and the gateways that exist', async (t) => {
  const list = await allReport(t);
  const f = finding(item(list, 'lost-ingress'), 'ingress-gateway');
  t.is(f.status, 'fail');
  t.is(f.cause, 'no-ingress-gateway');
  t.is(
    f.summary,
    "no running ingress gateway pod matches the route config's selector app=apigee-ingressgateway,ingress_name=old-ingress: nothing serves the env group's hostnames",
  );
  t.deepEqual(f.evidence, [
    'selector: app=apigee-ingressgateway,ingress_name=old-ingress',
    `gateway ${ingressGatewayPod({ org: ORG }).metadata.name} (ingress_name=apigee-ingress, Running)`,
    `gateway ${ingressGatewayPod({ org: ORG, ingress: 'internal' }).metadata.name} (ingress_name=internal, Running)`,
  ]);
  t.deepEqual(f.commands, [
    `kubectl -n ${NS} get pods -l app=apigee-ingressgateway,ingress_name=old-ingress --show-labels`,
    `kubectl -n ${NS} get pods -l app=apigee-ingressgateway --show-labels`,
  ]);
  const pass = finding(item(list, 'healthy'), 'ingress-gateway');
  t.is(pass.status, 'pass');
  t.is(pass.summary, '2 running gateway pods match the selector app=apigee-ingressgateway');
  t.deepEqual(verdicts(item(list, 'healthy')).slice(-7), [
    'route-secret skip',
    'ingress-gateway pass',
    'ingress-manager pass',
    'ingress-gateways pass',
    'watcher-updates pass',
    'apigee-issues pass',
    'route-config pass',
  ]);
});

// ---------------------------------------------------------------------------------------------
// The kubectl calls: the extra named gets appear only when their condition holds

const kubectlLines = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('+ kubectl '))
    .sort();
/** The two listings, and each log source read once by label: the gateways, the ingress manager, the watcher. */
const BASE = [
  '+ kubectl -n apigee get apigeeroutes,apigeeissues,pods -o json',
  '+ kubectl -n apigee get secrets,apigeerouteconfigs -o json --show-managed-fields',
  '+ kubectl -n apigee logs -l app=apigee-ingressgateway --all-containers --prefix --since=1h --tail=10000 --timestamps',
  '+ kubectl -n apigee logs -l app=apigee-ingressgateway-manager -c discovery --prefix --since=1h --tail=10000 --timestamps',
  '+ kubectl -n apigee logs -l app=apigee-watcher --all-containers --prefix --since=1h --tail=10000 --timestamps',
];

test('kubectl calls: the base five; a missing secret adds its named get, istio-system and the Certificates; mTLS adds none', async (t) => {
  const c = await cluster(t);
  for (const eg of ['healthy', 'mtls', 'nonsni', 'lost-ingress']) {
    const r = await run(t, c, ['diagnose', eg, '-v']);
    t.deepEqual(kubectlLines(r.stderr), BASE, eg);
  }
  const gone = await run(t, c, ['diagnose', 'chart-gone', '-v']);
  t.deepEqual(
    kubectlLines(gone.stderr),
    [
      ...BASE,
      '+ kubectl -n apigee get certificates.cert-manager.io -o json',
      '+ kubectl -n apigee get secret acme-chart-gone -o json',
      '+ kubectl -n istio-system get secret acme-chart-gone -o name',
    ].sort(),
  );
});
