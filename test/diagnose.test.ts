// `diagnose` end to end: the built bundle as a subprocess, the real kubectl against the simulated
// Apigee cluster over HTTPS, and the real openssl. Every certificate and key is minted here at
// test time; every run is checked for leaked key lines and stack traces (helpers/scenarios.ts).
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { parse as parseYaml } from 'yaml';
import {
  apigeeCluster,
  apigeeIssue,
  generatedRouteName,
  ingressGatewayPod,
  apigeeOrganization,
  encodeOrgName,
  kubeconfigYaml,
  route,
  routeConfig,
  secret,
  tlsSecret,
  watcherPod,
  watcherSecretNotFoundLine,
  writeKubeconfig,
  type K8sObject,
  type RbacPolicy,
} from '../src/sim/index.js';
import { clusterFor, withCluster, type Cluster, type RunResult } from './helpers/cluster.js';
import { assertIncompleteDocument, closedPort, GONE, healthyWith } from './helpers/reliability.js';
import {
  assertClean,
  cliRun,
  ecKey,
  ed25519Key,
  finding,
  fullChain,
  item,
  plant,
  rootCa,
  rsaKey,
  run,
  verdicts,
  type DiagnosisJson,
  type DiagnosisListJson,
} from './helpers/scenarios.js';

const ORG = 'acme';
const NS = 'apigee';
const CONTEXT = 'apigee-sim';
const crdAbsent = (resource: string): string => `not on this cluster: the server doesn't have a resource type "${resource}" (are the Apigee CRDs installed?)`;
const APPLY = 'apigeectl apply -f overrides/overrides.yaml --settings virtualhosts';
const host = (eg: string): string => `${eg}.${ORG}.example.com`;
const notFound = (secretName: string, ns = NS): string => watcherSecretNotFoundLine(secretName, ns);
const watcherCommand = (secretName: string): string =>
  `kubectl -n ${NS} logs -l app=apigee-watcher --all-containers --since=1h --tail=10000 | grep 'failed to get secret "${secretName}"'`;

const json = <T = DiagnosisJson>(r: RunResult): T => JSON.parse(r.stdout) as T;
const lines = (text: string): string[] => text.split('\n');

// ---------------------------------------------------------------------------------------------
// PKI, minted once per test process

const now = new Date();
const ca = rootCa('Acme Test Root CA', now);
const rsa = rsaKey();
const ec = ecKey();
const ed = ed25519Key();
const otherRsa = rsaKey();
const otherEd = ed25519Key();
const RSA_PEM = plant(rsa);
const EC_PEM = plant(ec);
const OTHER_RSA_PEM = plant(otherRsa);
const OTHER_ED_PEM = plant(otherEd);
plant(ed);

const chainFor = (eg: string, key = rsa): string => fullChain(ca, host(eg), key, { now });

// ---------------------------------------------------------------------------------------------
// The main cluster: one org, an env group per situation, all diagnosed by one `--all` run

const watcher = watcherPod({ org: ORG });

/** A JSON log record whose message sits in `message` (the other field the product reads). */
const messageRecord = (secretName: string): string =>
  JSON.stringify({ severity: 'ERROR', timestamp: '2025-06-01T10:00:00.000Z', logger: 'apigee-watcher', message: notFound(secretName) });
const MSG_RECORD = watcherSecretNotFoundLine('acme-missing-msg', NS, { json: true, time: now });
const MESSAGE_RECORD = messageRecord('acme-missing-message');

interface Group {
  name: string;
  hostnames?: string[][];
  secretNameRef?: string;
  mode?: 'SIMPLE' | 'MUTUAL';
  errors?: string[];
  helmRelease?: string;
  /** The secret(s) to create; none = missing. */
  secrets?: K8sObject[];
}

const generic = (name: string, cert: string, key: string, extra: { ca?: string } = {}): K8sObject => tlsSecret({ name, cert, key, ...extra });

const GROUPS: Group[] = [
  { name: 'healthy-rsa', secrets: [generic('acme-healthy-rsa', chainFor('healthy-rsa'), RSA_PEM)] },
  {
    name: 'healthy-ec',
    secretNameRef: 'healthy-ec-tls',
    secrets: [tlsSecret({ name: 'healthy-ec-tls', layout: 'kubernetes.io/tls', cert: chainFor('healthy-ec', ec), key: EC_PEM })],
  },
  { name: 'missing' },
  { name: 'missing-msg' },
  { name: 'missing-message' },
  { name: 'helm-gone', helmRelease: 'acme-helm-gone-release' },
  { name: 'no-keys', secrets: [secret({ name: 'acme-no-keys', data: { cert: b64(chainFor('no-keys')), 'tls.key': b64(RSA_PEM) } })] },
  {
    name: 'malformed',
    // The Istio mistake: no newline between the END of one block and the next BEGIN.
    secrets: [
      generic('acme-malformed', chainFor('malformed').replace('-----END CERTIFICATE-----\n-----BEGIN', '-----END CERTIFICATE----------BEGIN'), RSA_PEM),
    ],
  },
  // The cert and key inputs switched: the key's PEM where the certificate belongs.
  { name: 'key-as-cert', secrets: [generic('acme-key-as-cert', RSA_PEM, RSA_PEM)] },
  { name: 'mismatch', secrets: [generic('acme-mismatch', chainFor('mismatch'), OTHER_RSA_PEM)] },
  { name: 'mismatch-ed25519', secrets: [generic('acme-mismatch-ed25519', chainFor('mismatch-ed25519', ed), OTHER_ED_PEM)] },
  { name: 'issue-error', secrets: [generic('acme-issue-error', chainFor('issue-error'), RSA_PEM)] },
  { name: 'issue-warn', secrets: [generic('acme-issue-warn', chainFor('issue-warn'), RSA_PEM)] },
  {
    name: 'arc-error',
    errors: ['failed to read secret "acme-arc-error": key "cert" is empty', 'virtual host acme-arc-error could not be applied'],
    secrets: [generic('acme-arc-error', chainFor('arc-error'), RSA_PEM)],
  },
  {
    name: 'wrong-host',
    hostnames: [[host('wrong-host')], ['api.partner.example.com']],
    secrets: [generic('acme-wrong-host', chainFor('wrong-host'), RSA_PEM)],
  },
  { name: 'mtls-noca', mode: 'MUTUAL', secrets: [generic('acme-mtls-noca', chainFor('mtls-noca'), RSA_PEM)] },
  { name: 'mtls-ok', mode: 'MUTUAL', secrets: [generic('acme-mtls-ok', chainFor('mtls-ok'), RSA_PEM, { ca: ca.certificatePem })] },
  {
    name: 'crossns',
    secretNameRef: 'certs/acme-crossns-tls',
    secrets: [tlsSecret({ name: 'acme-crossns-tls', namespace: 'certs', cert: chainFor('crossns'), key: RSA_PEM })],
  },
  { name: 'crossns-gone', secretNameRef: 'certs/acme-crossns-gone' },
];

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

function mainObjects(): K8sObject[] {
  // metadata.name encoded like a Helm install: the org must come from spec.name.
  const objects: K8sObject[] = [apigeeOrganization(ORG, { name: encodeOrgName(ORG) }), watcher, ingressGatewayPod({ org: ORG })];
  for (const g of GROUPS) {
    const arc = routeConfig({ org: ORG, envgroup: g.name, secretNameRef: g.secretNameRef, mode: g.mode, errors: g.errors, helmRelease: g.helmRelease });
    objects.push(arc);
    (g.hostnames ?? [[host(g.name)]]).forEach((hostnames, index) => objects.push(route({ routeConfig: arc, hostnames, index })));
    objects.push(...(g.secrets ?? []));
  }
  objects.push(
    // Not generated for acme-wrong-host (the name lacks -<nnn>-<hash>): its hostname is not the env group's.
    route({ routeConfig: 'acme-wrong-host', name: 'acme-wrong-host-manual', hostnames: ['decoy.example.net'] }),
    // Env group `plain` has a secret and no route config: org and secret come from elsewhere.
    generic('acme-plain', chainFor('plain'), RSA_PEM),
    apigeeIssue({
      name: 'ais-0001',
      reason: 'AIS_INGRESS_CERT_EXPIREY',
      severity: 'ERROR',
      routeConfig: 'acme-issue-error',
      secret: 'unused',
      details: 'The ingress certificate referenced by ApigeeRouteConfig "acme-issue-error" has expired',
    }),
    apigeeIssue({
      name: 'ais-0002',
      reason: 'AIS_INGRESS_MTLS_CA_CERT_EXPIREY',
      severity: 'WARNING',
      routeConfig: 'unused',
      secret: 'acme-issue-warn',
      details: 'CA certificate in secret "acme-issue-warn" expires in 7 days',
    }),
    // Names another org's secret that merely starts like one of ours: concerns no env group here.
    apigeeIssue({
      name: 'ais-0003',
      reason: 'AIS_INGRESS_CERT_EXPIREY',
      severity: 'ERROR',
      routeConfig: 'unused',
      secret: 'unused',
      details: 'The ingress certificate in secret "acme-healthy-rsa-old" has expired',
    }),
  );
  return objects;
}

const mainLogs = {
  [`${NS}/${watcher.metadata.name}/apigee-watcher`]: [
    'starting apigee-watcher',
    notFound('acme-missing'),
    // Another secret, whose name starts like acme-missing's: never quoted for acme-missing.
    notFound('acme-missing-old'),
    watcherSecretNotFoundLine('acme-missing-other', NS, { json: true, time: now }),
    MSG_RECORD,
    MESSAGE_RECORD,
    'polling ingress config for changes',
  ],
};

const ALL_ENVGROUPS = GROUPS.map((g) => g.name).sort();

/** Without a route config there is no selector: no gateway is known to serve the env group, and nothing to check there. */
const NO_ROUTE_CONFIG = { 'ingress-gateway': 'ingress-gateway skip', 'ingress-gateways': 'ingress-gateways skip', 'route-config': 'route-config skip' };

/** The main cluster has a gateway pod but no ingress manager: the manager's check skips. */
const healthyHere = (changes: Record<string, string> = {}): string[] => healthyWith({ 'ingress-manager': 'ingress-manager skip', ...changes });

/** The report every env group of the main cluster gets, as `check status [cause]`. */
const SECRET_ABSENT = GONE.map((v) => (v.startsWith('ingress-manager ') ? 'ingress-manager skip' : v));
const CERT_DID_NOT_PARSE = {
  certificate: 'certificate fail malformed-certificate',
  'key-match': 'key-match skip',
  'chain-order': 'chain-order skip',
  'chain-complete': 'chain-complete skip',
  validity: 'validity skip',
  hostnames: 'hostnames skip',
  strength: 'strength skip',
};

const EXPECTED: Record<string, { result: string; verdicts: string[] }> = {
  'arc-error': { result: 'problems-found', verdicts: healthyHere({ 'route-config': 'route-config fail route-config-error' }) },
  crossns: { result: 'healthy', verdicts: healthyHere() },
  'crossns-gone': { result: 'problems-found', verdicts: SECRET_ABSENT },
  'healthy-ec': { result: 'healthy', verdicts: healthyHere() },
  'healthy-rsa': { result: 'healthy', verdicts: healthyHere() },
  'helm-gone': { result: 'problems-found', verdicts: SECRET_ABSENT },
  'issue-error': { result: 'problems-found', verdicts: healthyHere({ 'apigee-issues': 'apigee-issues fail apigee-issue-reported' }) },
  'issue-warn': { result: 'healthy', verdicts: healthyHere({ 'apigee-issues': 'apigee-issues warn apigee-issue-reported' }) },
  'key-as-cert': { result: 'problems-found', verdicts: healthyHere(CERT_DID_NOT_PARSE) },
  malformed: { result: 'problems-found', verdicts: healthyHere(CERT_DID_NOT_PARSE) },
  mismatch: { result: 'problems-found', verdicts: healthyHere({ 'key-match': 'key-match fail key-mismatch' }) },
  'mismatch-ed25519': { result: 'problems-found', verdicts: healthyHere({ 'key-match': 'key-match fail key-mismatch' }) },
  missing: { result: 'problems-found', verdicts: SECRET_ABSENT },
  'missing-message': { result: 'problems-found', verdicts: SECRET_ABSENT },
  'missing-msg': { result: 'problems-found', verdicts: SECRET_ABSENT },
  'mtls-noca': { result: 'problems-found', verdicts: healthyHere({ 'mtls-ca': 'mtls-ca fail mtls-ca-invalid' }) },
  'mtls-ok': { result: 'healthy', verdicts: healthyHere({ 'mtls-ca': 'mtls-ca pass' }) },
  'no-keys': {
    result: 'problems-found',
    verdicts: [
      'watcher-logs pass',
      'ingress-secret pass',
      'secret-keys fail secret-missing-keys',
      'certificate skip',
      'route-secret skip',
      'ingress-gateway pass',
      'ingress-manager skip',
      'ingress-gateways pass',
      'watcher-updates pass',
      'apigee-issues pass',
      'route-config pass',
    ],
  },
  'wrong-host': { result: 'problems-found', verdicts: healthyHere({ hostnames: 'hostnames fail hostname-not-covered' }) },
};

let cluster: Cluster | undefined;
let allJsonRun: Promise<RunResult> | undefined;

test.before(async () => {
  cluster = await withCluster(mainObjects(), mainLogs);
});

test.after.always(async () => {
  await cluster?.close();
});

function mainCluster(): Cluster {
  if (!cluster) throw new Error('the main cluster did not start');
  return cluster;
}

/** `diagnose --all -o json` on the main cluster: run once, read by several tests. */
async function allReport(t: ExecutionContext): Promise<DiagnosisListJson> {
  const args = ['diagnose', '--all', '-o', 'json'];
  allJsonRun ??= cliRun(mainCluster().env, args);
  const r = await allJsonRun;
  assertClean(t, r, args);
  t.is(r.exitCode, 1, r.stderr);
  t.is(r.stderr, '');
  return json<DiagnosisListJson>(r);
}

const mainRun = (t: ExecutionContext, args: string[]): Promise<RunResult> => run(t, mainCluster(), args);

const INDENT = ' '.repeat(7);

// ---------------------------------------------------------------------------------------------
// --all on the main cluster

test('--all -o json: a DiagnosisList with one Diagnosis per env group that has a route config, each with its exact verdicts', async (t) => {
  const list = await allReport(t);
  t.is(list.apiVersion, 'apigee-tls/v1');
  t.is(list.kind, 'DiagnosisList');
  t.deepEqual(list.items.map((i) => String(i.target.envgroup)).sort(), ALL_ENVGROUPS);
  for (const d of list.items) {
    const eg = String(d.target.envgroup);
    const group = GROUPS.find((g) => g.name === eg)!;
    t.is(d.apiVersion, 'apigee-tls/v1', eg);
    t.is(d.kind, 'Diagnosis', eg);
    t.deepEqual(d.target, { envgroup: eg, org: ORG, namespace: NS, secret: group.secretNameRef ?? `${ORG}-${eg}`, context: CONTEXT }, eg);
    t.is(d.result, EXPECTED[eg]!.result, eg);
    t.deepEqual(verdicts(d), EXPECTED[eg]!.verdicts, eg);
    for (const f of d.findings) {
      // A cause exactly when the status is fail or warn.
      t.is(f.cause !== null, f.status === 'fail' || f.status === 'warn', `${eg} ${f.check}`);
    }
  }
});

test('--all text: a headline per env group, only what is wrong, and the tally', async (t) => {
  const r = await mainRun(t, ['diagnose', '--all']);
  t.is(r.exitCode, 1, r.stderr);
  t.is(r.stderr, '');
  const out = lines(r.stdout);
  t.true(out.includes('Env group missing: problems found (1 failed, 0 warnings, 0 errors, 6 passed, 4 skipped)'));
  t.true(out.includes('Env group healthy-rsa: healthy (0 failed, 0 warnings, 0 errors, 16 passed, 3 skipped)'));
  t.true(out.includes('Env group issue-warn: healthy (0 failed, 1 warning, 0 errors, 15 passed, 3 skipped)'));
  t.true(out.includes(`  org ${ORG}, namespace ${NS}, secret certs/acme-crossns-tls, context ${CONTEXT}`));
  t.true(out.includes('FAIL   ingress-secret Secret "acme-missing" does not exist in namespace "apigee"  [missing-ingress-secret]'));
  t.true(out.includes(`${INDENT}${notFound('acme-missing')}`));
  t.true(
    out.includes(
      'FAIL   key-match      the private key does not belong to the leaf certificate "CN=mismatch.acme.example.com" nor to any certificate in the chain  [key-mismatch]',
    ),
  );
  // Passing checks of a list item are not shown without --verbose.
  t.false(out.some((l) => l.startsWith('PASS ')));
  t.is(out.filter((l) => l.startsWith('Env group ')).length, ALL_ENVGROUPS.length);
  t.is(out[out.length - 2], `${ALL_ENVGROUPS.length} env groups: 5 healthy, 14 with problems, 0 incomplete`);
  t.is(out[out.length - 1], '');
});

test('--all -o yaml is the same document as -o json', async (t) => {
  const list = await allReport(t);
  const r = await mainRun(t, ['diagnose', '--all', '-o', 'yaml']);
  t.is(r.exitCode, 1, r.stderr);
  t.deepEqual(parseYaml(r.stdout), list);
});

test('--all --verbose prints each kubectl and openssl command on stderr and every finding on stdout, never key material', async (t) => {
  const r = await mainRun(t, ['diagnose', '--all', '--verbose']);
  t.is(r.exitCode, 1, r.stderr);
  const err = lines(r.stderr);
  // Types share a process: secrets with route configs, routes with issues and pods (and orgs without --org).
  t.true(err.includes(`+ kubectl -n ${NS} get secrets,apigeerouteconfigs -o json --show-managed-fields`));
  t.true(err.includes(`+ kubectl -n ${NS} get apigeeroutes,apigeeissues,pods,apigeeorganizations -o json`));
  t.true(err.includes(`+ kubectl -n ${NS} logs -l app=apigee-watcher --all-containers --prefix --since=1h --tail=10000 --timestamps`));
  t.true(err.includes(`+ kubectl -n certs get secret acme-crossns-tls -o json`));
  t.true(err.some((l) => l.startsWith('+ ') && l.includes('openssl pkey -pubout')));
  t.true(err.every((l) => l === '' || l.startsWith('+ ')));
  // Passing checks show their evidence too.
  t.true(lines(r.stdout).includes(`${INDENT}secret name from spec.tls.secretNameRef of ApigeeRouteConfig acme-healthy-rsa`));
  t.true(lines(r.stdout).some((l) => l.startsWith('PASS   key-match      the private key matches the leaf certificate "CN=healthy-rsa.acme.example.com"')));
});

// ---------------------------------------------------------------------------------------------
// Cause 1: missing ingress secret

/** The install line of an env group with no Helm marks (reference/apigee.md §12.4). */
const apigeectlInstall = (...marks: string[]): string => `install: apigeectl, because no Helm annotations on ${marks.join(' or ')}`;

const missingFinding = (secretName: string, watcherLines: string[]) => ({
  check: 'ingress-secret',
  status: 'fail',
  cause: 'missing-ingress-secret',
  summary: `Secret "${secretName}" does not exist in namespace "${NS}"`,
  evidence: [
    ...watcherLines,
    `kubectl -n ${NS} get secrets | grep ${secretName}  → no output: the secret is not there`,
    `secret name from spec.tls.secretNameRef of ApigeeRouteConfig ${secretName}`,
    apigeectlInstall(`ApigeeRouteConfig ${secretName}`),
  ],
  commands: [watcherCommand(secretName), `kubectl -n ${NS} get secrets | grep ${secretName}`],
  remediation: `recreate it from the cert and key files in overrides.yaml: ${APPLY}`,
});

test('missing-ingress-secret quotes the watcher line verbatim, and no line about another secret', async (t) => {
  const list = await allReport(t);
  t.deepEqual(finding(item(list, 'missing'), 'ingress-secret'), missingFinding('acme-missing', [notFound('acme-missing')]));
  t.is(notFound('acme-missing'), 'NOT_FOUND: failed to get secret "acme-missing" in namespace "apigee": secrets "acme-missing" not found');
  const d = item(list, 'missing');
  t.is(finding(d, 'secret-keys').summary, 'no secret to read');
  t.is(finding(d, 'certificate').summary, 'no secret to read');
});

test('missing-ingress-secret quotes a JSON log record whose msg or message is the watcher line', async (t) => {
  const list = await allReport(t);
  t.deepEqual(finding(item(list, 'missing-msg'), 'ingress-secret'), missingFinding('acme-missing-msg', [MSG_RECORD]));
  t.deepEqual(finding(item(list, 'missing-message'), 'ingress-secret'), missingFinding('acme-missing-message', [MESSAGE_RECORD]));
  // The quoted records carry the playbook's line in their message field.
  t.is((JSON.parse(MSG_RECORD) as { msg: string }).msg, notFound('acme-missing-msg'));
  t.is((JSON.parse(MESSAGE_RECORD) as { message: string }).message, notFound('acme-missing-message'));
});

test('diagnose ENVGROUP (text): the failing check with its evidence, commands, fix and the result line', async (t) => {
  const r = await mainRun(t, ['diagnose', 'missing']);
  t.is(r.exitCode, 1, r.stderr);
  t.is(r.stderr, '');
  t.deepEqual(lines(r.stdout), [
    'Env group missing',
    `  org ${ORG}, namespace ${NS}, secret acme-missing, context ${CONTEXT}`,
    '',
    'PASS   watcher-logs   read the apigee-watcher logs of the last 1h: 1 line reports secret "acme-missing" missing',
    'FAIL   ingress-secret Secret "acme-missing" does not exist in namespace "apigee"  [missing-ingress-secret]',
    `${INDENT}${notFound('acme-missing')}`,
    `${INDENT}kubectl -n ${NS} get secrets | grep acme-missing  → no output: the secret is not there`,
    `${INDENT}secret name from spec.tls.secretNameRef of ApigeeRouteConfig acme-missing`,
    `${INDENT}${apigeectlInstall('ApigeeRouteConfig acme-missing')}`,
    `${INDENT}$ ${watcherCommand('acme-missing')}`,
    `${INDENT}$ kubectl -n ${NS} get secrets | grep acme-missing`,
    `${INDENT}fix: recreate it from the cert and key files in overrides.yaml: ${APPLY}`,
    'SKIP   secret-keys    no secret to read',
    'SKIP   certificate    no secret to read',
    'SKIP   route-secret   the route config names no additionalGateways',
    'PASS   ingress-gateway 1 running gateway pod matches the selector app=apigee-ingressgateway',
    'SKIP   ingress-manager no apigee-ingressgateway-manager pod in namespace "apigee" (label app=apigee-ingressgateway-manager or app=apigee-istiod, or a name starting apigee-ingressgateway-manager-)',
    'PASS   ingress-gateways read the logs of 1 gateway pod serving the env group (last 1h): no rejection',
    "PASS   watcher-updates read the apigee-watcher logs of the last 1h: no error updating the env group's routes",
    'PASS   apigee-issues  no ApigeeIssue names this env group',
    'PASS   route-config   ApigeeRouteConfig acme-missing reports no errors',
    '',
    'Result: problems found (1 failed, 0 warnings, 0 errors, 6 passed, 4 skipped)',
    '',
  ]);
});

test('diagnose ENVGROUP -o json is one Diagnosis, the same as its item in --all; -o yaml is the same document', async (t) => {
  const list = await allReport(t);
  const r = await mainRun(t, ['diagnose', 'missing', '-o', 'json']);
  t.is(r.exitCode, 1, r.stderr);
  const d = json(r);
  t.is(d.kind, 'Diagnosis');
  t.is(d.result, 'problems-found');
  t.deepEqual(d, item(list, 'missing'));
  const y = await mainRun(t, ['diagnose', 'missing', '-o', 'yaml']);
  t.is(y.exitCode, 1, y.stderr);
  t.deepEqual(parseYaml(y.stdout), d);
});

test('remediation: the Helm form when the route config carries meta.helm.sh/release-name', async (t) => {
  const list = await allReport(t);
  const f = finding(item(list, 'helm-gone'), 'ingress-secret');
  t.is(
    f.remediation,
    'recreate it from the cert and key files in overrides.yaml: helm upgrade acme-helm-gone-release apigee-virtualhost/ --install --namespace apigee --atomic --set envgroup=helm-gone -f overrides.yaml',
  );
  // No watcher line names it: the empty listing alone decides.
  t.deepEqual(f.evidence, [
    `kubectl -n ${NS} get secrets | grep acme-helm-gone  → no output: the secret is not there`,
    'secret name from spec.tls.secretNameRef of ApigeeRouteConfig acme-helm-gone',
    'install: Helm release acme-helm-gone-release (apigee-virtualhost chart), because ApigeeRouteConfig acme-helm-gone is annotated meta.helm.sh/release-name: acme-helm-gone-release',
  ]);
  // Every other env group of this apigeectl-era cluster gets the apigeectl form.
  t.is(finding(item(list, 'missing'), 'ingress-secret').remediation, `recreate it from the cert and key files in overrides.yaml: ${APPLY}`);
  t.is(finding(item(list, 'mismatch'), 'key-match').remediation?.endsWith(`; then apply it: ${APPLY}`), true);
});

// ---------------------------------------------------------------------------------------------
// Secret layouts, causes 2 and 3

test('secret-missing-keys: neither cert+key nor tls.crt+tls.key; both layouts are healthy', async (t) => {
  const list = await allReport(t);
  const noKeys = item(list, 'no-keys');
  t.deepEqual(finding(noKeys, 'secret-keys'), {
    check: 'secret-keys',
    status: 'fail',
    cause: 'secret-missing-keys',
    summary: 'Secret "acme-no-keys" holds neither cert+key nor tls.crt+tls.key',
    evidence: ['data keys: cert, tls.key'],
    commands: [`kubectl -n ${NS} describe secret acme-no-keys`],
    remediation: `store the certificate chain and key under cert and key (or tls.crt and tls.key): ${APPLY}`,
  });
  t.is(finding(noKeys, 'certificate').summary, 'the secret holds no certificate and key to check');
  t.is(finding(item(list, 'healthy-rsa'), 'secret-keys').summary, 'holds cert and key (generic layout)');
  const ecGroup = item(list, 'healthy-ec');
  t.is(ecGroup.target.secret, 'healthy-ec-tls');
  t.is(finding(ecGroup, 'ingress-secret').summary, 'Secret "healthy-ec-tls" exists in namespace "apigee" (type kubernetes.io/tls)');
  t.deepEqual(finding(ecGroup, 'ingress-secret').evidence, [
    'secret name from spec.tls.secretNameRef of ApigeeRouteConfig acme-healthy-ec',
    'install: a user-managed secret (sslSecret), because the route config names secret "healthy-ec-tls", not the chart\'s acme-healthy-ec, and no Helm release owns it',
  ]);
  t.is(finding(ecGroup, 'secret-keys').summary, 'holds tls.crt and tls.key (kubernetes.io/tls layout)');
  t.is(finding(ecGroup, 'certificate').summary, 'secret "healthy-ec-tls" key "tls.crt" is a well-formed PEM chain of 2 certificates');
});

test('healthy RSA and EC env groups: result healthy, exit 0', async (t) => {
  const rsaRun = await mainRun(t, ['diagnose', 'healthy-rsa']);
  t.is(rsaRun.exitCode, 0, rsaRun.stderr);
  t.is(rsaRun.stderr, '');
  const out = lines(rsaRun.stdout);
  t.is(out[0], 'Env group healthy-rsa');
  t.true(out.includes('PASS   ingress-secret Secret "acme-healthy-rsa" exists in namespace "apigee" (type Opaque)'));
  t.true(out.includes('PASS   certificate    secret "acme-healthy-rsa" key "cert" is a well-formed PEM chain of 2 certificates'));
  t.true(out.includes('PASS   hostnames      the leaf covers healthy-rsa.acme.example.com'));
  t.true(out.includes('SKIP   mtls-ca        mutual TLS is not configured'));
  t.is(out[out.length - 2], 'Result: healthy (0 failed, 0 warnings, 0 errors, 16 passed, 3 skipped)');

  const ecRun = await mainRun(t, ['diagnose', 'healthy-ec', '-o', 'json']);
  t.is(ecRun.exitCode, 0, ecRun.stderr);
  const d = json(ecRun);
  t.is(d.result, 'healthy');
  t.deepEqual(verdicts(d), healthyHere());
  t.is(finding(d, 'private-key').summary, 'secret "healthy-ec-tls" key "tls.key" is an unencrypted EC prime256v1 private key (PKCS#8)');
  t.is(
    finding(d, 'key-match').summary,
    'the private key matches the leaf certificate "CN=healthy-ec.acme.example.com" (public keys compared; the playbook\'s modulus method cannot check EC keys)',
  );
  t.true(finding(d, 'chain-complete').summary.startsWith('the chain ends at "CN=Acme Test Root CA"'));
});

test('malformed-certificate on the secret data: blocks run together, or a private key where the certificate belongs', async (t) => {
  const list = await allReport(t);
  const runTogether = finding(item(list, 'malformed'), 'certificate');
  t.is(runTogether.status, 'fail');
  t.is(runTogether.cause, 'malformed-certificate');
  t.true(runTogether.summary.startsWith('secret "acme-malformed" key "cert" is not a well-formed PEM certificate: '), runTogether.summary);
  t.regex(runTogether.summary, /runs straight into the next BEGIN line/);
  t.is(runTogether.remediation, `put a newline between -----END CERTIFICATE----- and the next -----BEGIN CERTIFICATE-----; then apply it: ${APPLY}`);
  t.deepEqual(runTogether.commands, [
    `kubectl -n ${NS} get secret acme-malformed -o jsonpath='{.data.cert}' | base64 -d | openssl x509 -text -noout`,
    `kubectl -n ${NS} get secret acme-malformed -o jsonpath='{.data.cert}' | base64 -d | openssl crl2pkcs7 -nocrl -certfile /dev/stdin`,
  ]);
  t.is(finding(item(list, 'malformed'), 'key-match').summary, 'not checked: the certificate did not parse');

  const switched = finding(item(list, 'key-as-cert'), 'certificate');
  t.is(switched.status, 'fail');
  t.is(switched.cause, 'malformed-certificate');
  t.true(switched.summary.startsWith('secret "acme-key-as-cert" key "cert" is not a well-formed PEM certificate: '), switched.summary);
  t.is(switched.remediation, `a private key sits where the certificate belongs: the cert and key inputs may have been switched; then apply it: ${APPLY}`);
});

const spki = (key: KeyObject): string =>
  createHash('sha256')
    .update(createPublicKey(key).export({ type: 'spki', format: 'der' }))
    .digest('hex');
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
/** What `openssl x509 -pubkey` / `openssl pkey -pubout` print for the key. */
const publicPem = (key: KeyObject): string => createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
/** What `openssl x509 -modulus` / `openssl rsa -modulus` print for an RSA key. */
const modulusLine = (key: KeyObject): string =>
  `Modulus=${Buffer.from(createPublicKey(key).export({ format: 'jwk' }).n!, 'base64url')
    .toString('hex')
    .toUpperCase()}\n`;

test('key-mismatch for RSA (both openssl comparisons differ) and Ed25519 (public keys compared, no modulus)', async (t) => {
  const list = await allReport(t);
  const r = finding(item(list, 'mismatch'), 'key-match');
  t.is(r.status, 'fail');
  t.is(r.cause, 'key-mismatch');
  t.is(r.summary, 'the private key does not belong to the leaf certificate "CN=mismatch.acme.example.com" nor to any certificate in the chain');
  t.deepEqual(r.evidence, [
    `certificate #0 "CN=mismatch.acme.example.com": RSA public key, SPKI sha256 ${spki(rsa)}`,
    `private key: RSA 2048-bit private key (PKCS#8), SPKI sha256 ${spki(otherRsa)}`,
    `openssl public keys (x509 -pubkey vs pkey -pubout): differ (certificate md5 ${md5(publicPem(rsa))}; key md5 ${md5(publicPem(otherRsa))})`,
    `openssl moduli, the playbook's method (x509 -modulus vs rsa -modulus): differ (certificate md5 ${md5(modulusLine(rsa))}; key md5 ${md5(modulusLine(otherRsa))})`,
  ]);
  const secretData = (key: string): string => `kubectl -n ${NS} get secret acme-mismatch -o jsonpath='{.data.${key}}' | base64 -d`;
  t.deepEqual(r.commands, [
    `diff -q <(${secretData('key')} | openssl rsa -noout -modulus) <(${secretData('cert')} | openssl x509 -noout -modulus)`,
    `diff <(${secretData('cert')} | openssl x509 -noout -pubkey) <(${secretData('key')} | openssl pkey -pubout -passin pass:)`,
  ]);
  t.is(
    r.remediation,
    `supply the private key that "CN=mismatch.acme.example.com" was issued for, or the certificate issued for this key; then apply it: ${APPLY}`,
  );

  const e = finding(item(list, 'mismatch-ed25519'), 'key-match');
  t.is(e.status, 'fail');
  t.is(e.cause, 'key-mismatch');
  t.is(e.summary, 'the private key does not belong to the leaf certificate "CN=mismatch-ed25519.acme.example.com" nor to any certificate in the chain');
  t.deepEqual(e.evidence, [
    `certificate #0 "CN=mismatch-ed25519.acme.example.com": ED25519 public key, SPKI sha256 ${spki(ed)}`,
    `private key: ED25519 private key (PKCS#8), SPKI sha256 ${spki(otherEd)}`,
    `openssl public keys (x509 -pubkey vs pkey -pubout): differ (certificate md5 ${md5(publicPem(ed))}; key md5 ${md5(publicPem(otherEd))})`,
  ]);
});

test('--verbose on a key mismatch, in text, JSON and YAML: no line of either key is printed', async (t) => {
  for (const format of ['text', 'json', 'yaml']) {
    const r = await mainRun(t, ['diagnose', 'mismatch', '--verbose', '-o', format]);
    t.is(r.exitCode, 1, r.stderr);
    t.true(lines(r.stderr).includes(`+ kubectl -n ${NS} get secrets,apigeerouteconfigs -o json --show-managed-fields`), format);
  }
  const kc = await mainRun(t, ['diagnose', 'key-as-cert', '--verbose']);
  t.is(kc.exitCode, 1, kc.stderr);
  const head = lines(kc.stdout).find((l) => l.startsWith('FAIL   certificate '));
  t.true(head?.startsWith('FAIL   certificate    secret "acme-key-as-cert" key "cert" is not a well-formed PEM certificate: '), head);
  t.true(head?.endsWith('  [malformed-certificate]'), head);
});

// ---------------------------------------------------------------------------------------------
// Apigee's own signals

test('apigee-issue-reported: ERROR naming the route config fails, WARNING naming the secret warns; unrelated issues are ignored', async (t) => {
  const list = await allReport(t);
  t.deepEqual(finding(item(list, 'issue-error'), 'apigee-issues'), {
    check: 'apigee-issues',
    status: 'fail',
    cause: 'apigee-issue-reported',
    summary: 'Apigee reports AIS_INGRESS_CERT_EXPIREY (ERROR) for this env group',
    evidence: ['ais-0001  ERROR  AIS_INGRESS_CERT_EXPIREY: The ingress certificate referenced by ApigeeRouteConfig "acme-issue-error" has expired'],
    commands: [`kubectl -n ${NS} get apigeeissues`, `kubectl -n ${NS} describe apigeeissue ais-0001`],
    remediation: `follow Apigee's playbook for AIS_INGRESS_CERT_EXPIREY (https://cloud.google.com/apigee/docs/hybrid/troubleshooting/AIS_INGRESS_CERT_EXPIREY); after the fix: ${APPLY}`,
  });
  const warn = finding(item(list, 'issue-warn'), 'apigee-issues');
  t.is(warn.status, 'warn');
  t.is(warn.cause, 'apigee-issue-reported');
  t.is(warn.summary, 'Apigee reports AIS_INGRESS_MTLS_CA_CERT_EXPIREY (WARNING) for this env group');
  t.deepEqual(warn.evidence, ['ais-0002  WARNING  AIS_INGRESS_MTLS_CA_CERT_EXPIREY: CA certificate in secret "acme-issue-warn" expires in 7 days']);
  t.is(finding(item(list, 'healthy-rsa'), 'apigee-issues').summary, 'no ApigeeIssue names this env group');
});

test('a warning alone: result healthy, exit 0, and the WARN line with its evidence', async (t) => {
  const r = await mainRun(t, ['diagnose', 'issue-warn']);
  t.is(r.exitCode, 0, r.stderr);
  const out = lines(r.stdout);
  t.true(out.includes('WARN   apigee-issues  Apigee reports AIS_INGRESS_MTLS_CA_CERT_EXPIREY (WARNING) for this env group  [apigee-issue-reported]'));
  t.true(out.includes(`${INDENT}ais-0002  WARNING  AIS_INGRESS_MTLS_CA_CERT_EXPIREY: CA certificate in secret "acme-issue-warn" expires in 7 days`));
  t.is(out[out.length - 2], 'Result: healthy (0 failed, 1 warning, 0 errors, 15 passed, 3 skipped)');
});

test('route-config-error: status.errors of the route config are the evidence', async (t) => {
  const list = await allReport(t);
  t.deepEqual(finding(item(list, 'arc-error'), 'route-config'), {
    check: 'route-config',
    status: 'fail',
    cause: 'route-config-error',
    summary: 'ApigeeRouteConfig acme-arc-error reports 2 errors',
    evidence: ['failed to read secret "acme-arc-error": key "cert" is empty', 'virtual host acme-arc-error could not be applied'],
    commands: [`kubectl -n ${NS} get apigeerouteconfig acme-arc-error -o jsonpath='{.status}'`],
    remediation: `fix what the errors name, then: ${APPLY}`,
  });
});

// ---------------------------------------------------------------------------------------------
// Hostnames and mutual TLS

test('hostnames come from every ApigeeRoute generated for the route config (<arc>-<nnn>-<hash>), not from others', async (t) => {
  const list = await allReport(t);
  const f = finding(item(list, 'wrong-host'), 'hostnames');
  t.is(f.status, 'fail');
  t.is(f.cause, 'hostname-not-covered');
  t.is(f.summary, 'the leaf "CN=wrong-host.acme.example.com" does not cover api.partner.example.com');
  // decoy.example.net (route acme-wrong-host-manual) is not one of the env group's hostnames.
  t.deepEqual(f.evidence, [
    'SANs: DNS:wrong-host.acme.example.com',
    'not covered: api.partner.example.com',
    `hostnames from spec.hostnames of ApigeeRoute ${generatedRouteName('acme-wrong-host')}, ${generatedRouteName('acme-wrong-host', 1)} (owned by ApigeeRouteConfig acme-wrong-host)`,
  ]);
  t.deepEqual(f.commands, [`kubectl -n ${NS} get secret acme-wrong-host -o jsonpath='{.data.cert}' | base64 -d | openssl x509 -noout -ext subjectAltName`]);
  t.is(f.remediation, `reissue the certificate with subjectAltName entries for api.partner.example.com; then apply it: ${APPLY}`);
  t.is(finding(item(list, 'healthy-rsa'), 'hostnames').summary, 'the leaf covers healthy-rsa.acme.example.com');
});

test('--host adds hostnames to those of the routes; one not covered is hostname-not-covered', async (t) => {
  const r = await mainRun(t, ['diagnose', 'healthy-rsa', '--host', 'healthy-rsa.acme.example.com', '--host', 'www.other.example.org', '-o', 'json']);
  t.is(r.exitCode, 1, r.stderr);
  const d = json(r);
  t.is(d.result, 'problems-found');
  t.deepEqual(verdicts(d), healthyHere({ hostnames: 'hostnames fail hostname-not-covered' }));
  const f = finding(d, 'hostnames');
  t.is(f.summary, 'the leaf "CN=healthy-rsa.acme.example.com" does not cover www.other.example.org');
  t.deepEqual(f.evidence, [
    'SANs: DNS:healthy-rsa.acme.example.com',
    'not covered: www.other.example.org',
    `hostnames from spec.hostnames of ApigeeRoute ${generatedRouteName('acme-healthy-rsa')} (owned by ApigeeRouteConfig acme-healthy-rsa) and --host`,
  ]);
});

test('mutual TLS: MUTUAL with no CA in the secret is mtls-ca-invalid; with the CA it passes', async (t) => {
  const list = await allReport(t);
  t.deepEqual(finding(item(list, 'mtls-noca'), 'mtls-ca'), {
    check: 'mtls-ca',
    status: 'fail',
    cause: 'mtls-ca-invalid',
    summary:
      'mutual TLS is configured but there is no CA certificate: looked in secret "acme-mtls-noca" key "cacert", then secret "acme-mtls-noca-cacert" key "cacert"',
    evidence: ['no CA in secret "acme-mtls-noca" key "cacert"', 'no CA in secret "acme-mtls-noca-cacert" key "cacert"'],
    commands: [],
    remediation: `add the CA bundle that issues your client certificates (caCertPath, or the cacert key of the secret); then apply it: ${APPLY}`,
  });
  const ok = finding(item(list, 'mtls-ok'), 'mtls-ca');
  t.is(ok.status, 'pass');
  t.is(ok.summary, 'the CA bundle secret "acme-mtls-ok" key "cacert" holds "CN=Acme Test Root CA"');
});

// ---------------------------------------------------------------------------------------------
// Where the org and the secret come from

test('secretNameRef "namespace/name": the secret is read from that namespace', async (t) => {
  const list = await allReport(t);
  const found = item(list, 'crossns');
  t.is(found.target.secret, 'certs/acme-crossns-tls');
  t.is(found.target.namespace, NS);
  t.is(finding(found, 'ingress-secret').summary, 'Secret "acme-crossns-tls" exists in namespace "certs" (type Opaque)');
  t.is(finding(found, 'certificate').summary, 'secret "acme-crossns-tls" key "cert" is a well-formed PEM chain of 2 certificates');
  t.deepEqual(finding(found, 'secret-keys').commands, ['kubectl -n certs describe secret acme-crossns-tls']);
  const gone = item(list, 'crossns-gone');
  t.is(gone.target.secret, 'certs/acme-crossns-gone');
  const f = finding(gone, 'ingress-secret');
  t.is(f.summary, 'Secret "acme-crossns-gone" does not exist in namespace "certs"');
  t.deepEqual(f.evidence, [
    'kubectl -n certs get secrets | grep acme-crossns-gone  → no output: the secret is not there',
    'secret name from spec.tls.secretNameRef of ApigeeRouteConfig acme-crossns-gone',
    'install: a user-managed secret (sslSecret), because the route config names secret "acme-crossns-gone" in namespace "certs", where no chart makes secrets',
  ]);
});

test("no route config: the org is the only ApigeeOrganization's spec.name and the secret <org>-<envgroup>", async (t) => {
  const r = await mainRun(t, ['diagnose', 'plain', '--host', 'plain.acme.example.com', '-o', 'json']);
  t.is(r.exitCode, 0, r.stderr);
  const d = json(r);
  // metadata.name of the ApigeeOrganization is encoded (acme-<hash>); spec.name is the org.
  t.deepEqual(d.target, { envgroup: 'plain', org: ORG, namespace: NS, secret: 'acme-plain', context: CONTEXT });
  t.is(d.result, 'healthy');
  t.deepEqual(verdicts(d), healthyHere(NO_ROUTE_CONFIG));
  t.deepEqual(finding(d, 'ingress-secret').evidence, ['secret name from the naming convention <org>-<envgroup>', apigeectlInstall('secret "acme-plain"')]);
  t.is(
    finding(d, 'route-config').summary,
    'no ApigeeRouteConfig acme-plain in namespace "apigee" (the secret name and hostnames come from the naming convention <org>-<envgroup>)',
  );
  t.is(finding(d, 'hostnames').summary, 'the leaf covers plain.acme.example.com');
});

// A cluster with no ApigeeOrganization: the org comes from a route config's name, --org or
// the overrides file, or the run cannot tell.
function discoveryObjects(): K8sObject[] {
  const arc = routeConfig({ org: 'rc-org', envgroup: 'alpha' });
  return [
    arc,
    route({ routeConfig: arc, hostnames: ['alpha.rc-org.example.com'] }),
    generic('rc-org-alpha', fullChain(ca, 'alpha.rc-org.example.com', rsa, { now }), RSA_PEM),
    generic('gamma-custom-tls', fullChain(ca, 'gamma.ovr-org.example.com', rsa, { now }), RSA_PEM),
  ];
}

const OVERRIDES = `org: ovr-org
namespace: apigee
virtualhosts:
  - name: alpha
    sslSecret: ignored-secret
  - name: gamma
    sslSecret: gamma-custom-tls
  - name: epsilon
    sslSecret: epsilon-tls
  - name: delta
    sslCertPath: ./certs/delta.crt
    sslKeyPath: ./certs/delta.key
`;

test('org discovery: from the route config name, from --org, from --overrides; none → exit 3 suggesting --org', async (t) => {
  const c = await clusterFor(t, discoveryObjects());
  const overrides = join(c.dir, 'overrides.yaml');
  await writeFile(overrides, OVERRIDES);

  const fromArc = await run(t, c, ['diagnose', 'alpha', '-o', 'json']);
  t.is(fromArc.exitCode, 0, fromArc.stderr);
  t.deepEqual(json(fromArc).target, { envgroup: 'alpha', org: 'rc-org', namespace: NS, secret: 'rc-org-alpha', context: CONTEXT });
  t.is(json(fromArc).result, 'healthy');

  // The route config's secretNameRef wins over the overrides' sslSecret and its org.
  const refWins = await run(t, c, ['diagnose', 'alpha', '--overrides', overrides, '-o', 'json']);
  t.is(refWins.exitCode, 0, refWins.stderr);
  t.deepEqual(json(refWins).target, { envgroup: 'alpha', org: 'rc-org', namespace: NS, secret: 'rc-org-alpha', context: CONTEXT });

  const none = await run(t, c, ['diagnose', 'zeta']);
  t.is(none.exitCode, 3);
  t.is(none.stdout, '');
  t.is(
    none.stderr,
    'error: cannot tell the Apigee org of env group zeta: no ApigeeRouteConfig ends in -zeta and no ApigeeOrganization was found in namespace "apigee"\nPass --org ORG (or --overrides overrides.yaml with a top-level org:).\n',
  );

  const byFlag = await run(t, c, ['diagnose', 'zeta', '--org', 'given', '-o', 'json']);
  t.is(byFlag.exitCode, 1, byFlag.stderr);
  const d = json(byFlag);
  t.deepEqual(d.target, { envgroup: 'zeta', org: 'given', namespace: NS, secret: 'given-zeta', context: CONTEXT });
  t.deepEqual(verdicts(d), [
    'watcher-logs skip',
    'ingress-secret fail missing-ingress-secret',
    'secret-keys skip',
    'certificate skip',
    'route-secret skip',
    'ingress-gateway skip',
    'ingress-manager skip',
    'ingress-gateways skip',
    'watcher-updates skip',
    'apigee-issues pass',
    'route-config skip',
  ]);
  t.deepEqual(finding(d, 'ingress-secret').evidence, [
    `kubectl -n ${NS} get secrets | grep given-zeta  → no output: the secret is not there`,
    'secret name from the naming convention <org>-<envgroup>',
    'install: apigeectl, because no ApigeeRouteConfig or secret carries Helm annotations',
  ]);
  t.is(
    finding(d, 'route-config').summary,
    'no ApigeeRouteConfig given-zeta in namespace "apigee" (the secret name and hostnames come from the naming convention <org>-<envgroup>)',
  );
});

test('secret discovery from --overrides: virtualhosts[].sslSecret, else <org>-<envgroup> with the top-level org', async (t) => {
  const c = await clusterFor(t, discoveryObjects());
  const overrides = join(c.dir, 'overrides.yaml');
  await writeFile(overrides, OVERRIDES);

  const gamma = await run(t, c, ['diagnose', 'gamma', '--overrides', overrides, '--host', 'gamma.ovr-org.example.com', '-o', 'json']);
  t.is(gamma.exitCode, 0, gamma.stderr);
  const g = json(gamma);
  t.deepEqual(g.target, { envgroup: 'gamma', org: 'ovr-org', namespace: NS, secret: 'gamma-custom-tls', context: CONTEXT });
  // This cluster has no watcher pod: nothing to read is a skip, not a clean log.
  t.deepEqual(verdicts(g), healthyHere({ ...NO_ROUTE_CONFIG, 'watcher-logs': 'watcher-logs skip', 'watcher-updates': 'watcher-updates skip' }));
  t.deepEqual(finding(g, 'ingress-secret').evidence, [
    'secret name from virtualhosts[].sslSecret in --overrides',
    'install: a user-managed secret (sslSecret), because virtualhosts[].sslSecret of --overrides names secret "gamma-custom-tls", which no Helm release owns',
  ]);

  const epsilon = await run(t, c, ['diagnose', 'epsilon', '--overrides', overrides, '-o', 'json']);
  t.is(epsilon.exitCode, 1, epsilon.stderr);
  const e = finding(json(epsilon), 'ingress-secret');
  t.is(e.summary, 'Secret "epsilon-tls" does not exist in namespace "apigee"');
  t.is(
    e.remediation,
    `recreate it by hand (Helm and apigeectl cannot: they did not make it): kubectl -n ${NS} create secret generic epsilon-tls --from-file=cert=CERT_FILE --from-file=key=KEY_FILE (or, for a kubernetes.io/tls secret: kubectl -n ${NS} create secret tls epsilon-tls --cert=CERT_FILE --key=KEY_FILE)`,
  );

  const delta = await run(t, c, ['diagnose', 'delta', '--overrides', overrides, '-o', 'json']);
  t.is(delta.exitCode, 1, delta.stderr);
  const dd = json(delta);
  t.deepEqual(dd.target, { envgroup: 'delta', org: 'ovr-org', namespace: NS, secret: 'ovr-org-delta', context: CONTEXT });
  // The fix names the overrides file the user gave.
  t.is(
    finding(dd, 'ingress-secret').remediation,
    `recreate it from the cert and key files in overrides.yaml: apigeectl apply -f ${overrides} --settings virtualhosts`,
  );
});

test('--all needs an org: exit 3 suggesting --org when none is found; with --org, its route configs', async (t) => {
  const c = await clusterFor(t, discoveryObjects());
  const none = await run(t, c, ['diagnose', '--all']);
  t.is(none.exitCode, 3);
  t.is(none.stdout, '');
  t.is(none.stderr, `error: cannot tell which Apigee org's env groups to diagnose in namespace "apigee": no ApigeeOrganization was found\nPass --org ORG.\n`);

  const withOrg = await run(t, c, ['diagnose', '--all', '--org', 'rc-org', '-o', 'json']);
  t.is(withOrg.exitCode, 0, withOrg.stderr);
  const list = json<DiagnosisListJson>(withOrg);
  t.is(list.kind, 'DiagnosisList');
  t.deepEqual(
    list.items.map((i) => i.target),
    [{ envgroup: 'alpha', org: 'rc-org', namespace: NS, secret: 'rc-org-alpha', context: CONTEXT }],
  );
  t.is(list.items[0]!.result, 'healthy');
});

// ---------------------------------------------------------------------------------------------
// Scale: one listing per namespace, whatever the number of env groups

async function requestsForAll(t: ExecutionContext, envgroups: number): Promise<{ nonLog: string[]; log: string[] }> {
  const leaf = fullChain(ca, `*.${ORG}.example.com`, rsa, { now });
  const scenario = apigeeCluster({
    org: ORG,
    now,
    envgroups: Array.from({ length: envgroups }, (_, i) => ({ name: `eg${String(i).padStart(2, '0')}`, secret: { cert: leaf, key: RSA_PEM } })),
  });
  const c = await clusterFor(t, scenario.objects, scenario.logs);
  const r = await run(t, c, ['diagnose', '--all', '-o', 'json']);
  t.is(r.exitCode, 0, r.stderr);
  const list = json<DiagnosisListJson>(r);
  t.is(list.items.length, envgroups);
  t.true(list.items.every((d) => d.result === 'healthy'));
  const requests = c.sim.resourceRequests().map((q) => `${q.method} ${q.path}`);
  t.deepEqual(c.sim.writeAttempts(), []);
  return { nonLog: requests.filter((q) => !q.endsWith('/log')).sort(), log: requests.filter((q) => q.endsWith('/log')) };
}

test('--all: the kubectl requests do not grow with the number of env groups (3 vs 20)', async (t) => {
  const three = await requestsForAll(t, 3);
  const twenty = await requestsForAll(t, 20);
  t.is(twenty.nonLog.length, three.nonLog.length);
  t.deepEqual(twenty.nonLog, three.nonLog);
  // Each resource listed once in the namespace.
  for (const resource of ['secrets', 'apigeerouteconfigs', 'apigeeroutes', 'apigeeissues', 'apigeeorganizations']) {
    t.is(three.nonLog.filter((q) => q.endsWith(`/namespaces/${NS}/${resource}`)).length, 1, resource);
  }
  // The pods: listed once, and once by label for each log source (the watcher, the manager, the gateways).
  t.is(three.nonLog.filter((q) => q.endsWith(`/namespaces/${NS}/pods`)).length, 4);
  // Logs are read once per container (the watcher's, the manager's two, the gateway's two), not once per env group.
  t.is(three.log.length, 5);
  t.is(twenty.log.length, 5);
});

// ---------------------------------------------------------------------------------------------
// When the diagnosis cannot be completed

test('Apigee CRDs absent: route-config and apigee-issues are skip saying why; the secret checks still run (--org given)', async (t) => {
  const w = watcherPod({ org: ORG });
  const objects = [w, generic('acme-good', chainFor('good'), RSA_PEM)];
  const logs = { [`${w.metadata.name}/apigee-watcher`]: [notFound('acme-gone')] };
  const c = await clusterFor(t, objects, logs, { apigeeCrds: false });

  const good = await run(t, c, ['diagnose', 'good', '--org', ORG, '--host', host('good'), '-o', 'json']);
  t.is(good.exitCode, 0, good.stderr);
  const d = json(good);
  t.is(d.result, 'healthy');
  t.deepEqual(d.target, { envgroup: 'good', org: ORG, namespace: NS, secret: 'acme-good', context: CONTEXT });
  t.deepEqual(verdicts(d), healthyHere({ ...NO_ROUTE_CONFIG, 'apigee-issues': 'apigee-issues skip' }));
  t.is(finding(d, 'apigee-issues').summary, crdAbsent('apigeeissues'));

  const gone = await run(t, c, ['diagnose', 'gone', '--org', ORG, '-o', 'json']);
  t.is(gone.exitCode, 1, gone.stderr);
  const g = json(gone);
  t.deepEqual(verdicts(g), [
    'watcher-logs pass',
    'ingress-secret fail missing-ingress-secret',
    'secret-keys skip',
    'certificate skip',
    'route-secret skip',
    'ingress-gateway skip',
    'ingress-manager skip',
    'ingress-gateways skip',
    'watcher-updates pass',
    'apigee-issues skip',
    'route-config skip',
  ]);
  t.deepEqual(finding(g, 'ingress-secret').evidence, [
    notFound('acme-gone'),
    `kubectl -n ${NS} get secrets | grep acme-gone  → no output: the secret is not there`,
    'secret name from the naming convention <org>-<envgroup>',
    'install: apigeectl, because no ApigeeRouteConfig or secret carries Helm annotations',
  ]);

  const text = await run(t, c, ['diagnose', 'good', '--org', ORG]);
  t.is(text.exitCode, 0, text.stderr);
  t.true(lines(text.stdout).includes(`SKIP   route-config   ${crdAbsent('apigeerouteconfigs')}`));
  t.true(lines(text.stdout).includes(`SKIP   apigee-issues  ${crdAbsent('apigeeissues')}`));

  // Without --org nothing names the org: exit 3, suggesting --org.
  const noOrg = await run(t, c, ['diagnose', 'good']);
  t.is(noOrg.exitCode, 3);
  t.is(noOrg.stdout, '');
  t.is(
    noOrg.stderr,
    // The route configs could not be listed at all: say that, not "none found".
    `error: cannot tell the Apigee org of env group good in namespace "apigee": the Apigee custom resources are not installed on this cluster (the server doesn't have a resource type "apigeerouteconfigs")\nPass --org ORG (or --overrides overrides.yaml with a top-level org:).\n`,
  );
});

/** Everything the plugin reads, except secrets. */
const NO_SECRETS: RbacPolicy = {
  rules: [
    { verbs: ['get', 'list'], resources: ['pods', 'pods/log'], apiGroups: [''] },
    { verbs: ['get', 'list'], resources: ['*'], apiGroups: ['apigee.cloud.google.com'] },
  ],
};

function forbiddenObjects(): K8sObject[] {
  const arc = routeConfig({ org: ORG, envgroup: 'good' });
  const other = routeConfig({ org: ORG, envgroup: 'other', secretNameRef: 'certs/acme-other-tls' });
  return [
    apigeeOrganization(ORG),
    arc,
    route({ routeConfig: arc, hostnames: [host('good')] }),
    generic('acme-good', chainFor('good'), RSA_PEM),
    other,
    tlsSecret({ name: 'acme-other-tls', namespace: 'certs', cert: chainFor('other'), key: RSA_PEM }),
    watcherPod({ org: ORG }),
  ];
}

test('Forbidden on secrets: the ingress-secret finding is error, names verb, resource and namespace, and offers a Role; exit 3', async (t) => {
  const c = await clusterFor(t, forbiddenObjects(), {}, { rbac: NO_SECRETS });

  const r = await run(t, c, ['diagnose', 'good', '-o', 'json']);
  t.is(r.exitCode, 3, r.stderr);
  const d = json(r);
  t.is(d.result, 'incomplete');
  // This cluster has no gateway pod and no ingress manager: their checks have nothing to read.
  t.deepEqual(verdicts(d), [
    'watcher-logs pass',
    'ingress-secret error',
    'secret-keys skip',
    'certificate skip',
    'route-secret skip',
    'ingress-gateway skip',
    'ingress-manager skip',
    'ingress-gateways skip',
    'watcher-updates pass',
    'apigee-issues pass',
    'route-config pass',
  ]);
  const f = finding(d, 'ingress-secret');
  t.is(f.cause, null);
  t.is(
    f.summary,
    'could not read secrets in namespace "apigee": Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:apigee:tls-diagnose" cannot list resource "secrets" in API group "" in the namespace "apigee"',
  );
  t.deepEqual(f.commands, [`kubectl -n ${NS} get secrets -o json --show-managed-fields`]);
  const [intro, ...roleLines] = (f.remediation ?? '').split('\n');
  t.is(intro, 'ask a cluster admin for read access in namespace "apigee"; the plugin needs no more than this Role (bind it to your user):');
  const role = parseYaml(roleLines.join('\n')) as {
    apiVersion: string;
    kind: string;
    metadata: unknown;
    rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
  };
  t.is(role.apiVersion, 'rbac.authorization.k8s.io/v1');
  t.is(role.kind, 'Role');
  t.deepEqual(role.metadata, { name: 'apigee-tls-reader', namespace: NS });
  t.deepEqual(role.rules[0], { apiGroups: [''], resources: ['secrets', 'pods', 'pods/log'], verbs: ['get', 'list'] });
  t.deepEqual(role.rules[1], {
    apiGroups: ['apigee.cloud.google.com'],
    resources: ['apigeeorganizations', 'apigeerouteconfigs', 'apigeeroutes', 'apigeeissues'],
    verbs: ['get', 'list'],
  });

  const text = await run(t, c, ['diagnose', 'good']);
  t.is(text.exitCode, 3, text.stderr);
  const out = lines(text.stdout);
  t.true(out.includes(`ERROR  ingress-secret ${f.summary}`));
  t.true(out.includes(`${INDENT}fix: ${intro}`));
  t.true(out.includes(`${INDENT}  kind: Role`));
  t.is(out[out.length - 2], 'Result: incomplete (0 failed, 0 warnings, 1 error, 4 passed, 6 skipped)');
});

test('Forbidden on a secret in another namespace (secretNameRef namespace/name): error naming get in that namespace, and a Role for it', async (t) => {
  const c = await clusterFor(t, forbiddenObjects(), {}, { rbac: NO_SECRETS });
  const elsewhere = await run(t, c, ['diagnose', 'other', '-o', 'json']);
  t.is(elsewhere.exitCode, 3, elsewhere.stderr);
  const o = finding(json(elsewhere), 'ingress-secret');
  t.is(o.status, 'error');
  t.is(
    o.summary,
    'could not read secrets in namespace "certs": Error from server (Forbidden): secrets "acme-other-tls" is forbidden: User "system:serviceaccount:apigee:tls-diagnose" cannot get resource "secrets" in API group "" in the namespace "certs"',
  );
  t.deepEqual(o.commands, ['kubectl -n certs get secret acme-other-tls -o json']);
  // The Role offered must grant what was refused: reading secrets in namespace "certs".
  const [, ...otherRole] = (o.remediation ?? '').split('\n');
  const granted = parseYaml(otherRole.join('\n')) as {
    kind: string;
    metadata: { namespace: string };
    rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
  };
  t.is(granted.kind, 'Role');
  t.is(granted.metadata.namespace, 'certs');
  t.true(granted.rules.some((rule) => rule.apiGroups.includes('') && rule.resources.includes('secrets') && rule.verbs.includes('get')));
});

/** The one clear message of a run that could not start: exit 3, no stack; with -o json one incomplete document saying the same. */
function assertOneMessage(t: ExecutionContext, r: RunResult, first: string, hint: string, json = false): void {
  t.is(r.exitCode, 3, r.stderr);
  if (json) assertIncompleteDocument(t, r, first);
  else t.is(r.stdout, '');
  const err = lines(r.stderr.trimEnd());
  t.is(err[0], first);
  t.is(err[err.length - 1], hint);
  t.is(err.length, 3);
  t.notRegex(r.stderr, /error: error:/);
}

test('kubectl not found (--kubectl /nonexistent): exit 3 with one clear message, nothing sent', async (t) => {
  const c = await clusterFor(t);
  for (const output of ['text', 'json']) {
    const r = await run(t, c, ['diagnose', 'prod', '--kubectl', '/nonexistent', '-o', output]);
    assertOneMessage(
      t,
      r,
      'error: kubectl was not found (install it, or pass --kubectl PATH)',
      'Install kubectl, or point to it with --kubectl PATH.',
      output === 'json',
    );
  }
  t.is(c.sim.requests.length, 0);
});

test('cluster unreachable (a kubeconfig pointing at a closed port): exit 3 with one clear message', async (t) => {
  const c = await clusterFor(t);
  const port = await closedPort();
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-unreachable-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const kubeconfig = writeKubeconfig(dir, kubeconfigYaml({ server: `https://127.0.0.1:${port}`, caPem: c.sim.caPem, token: c.sim.token }));
  const r = await run(t, c, ['diagnose', 'prod', '--kubeconfig', kubeconfig, '--request-timeout', '5s']);
  assertOneMessage(
    t,
    r,
    `error: The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`,
    'Check that the cluster is reachable from here (kubectl cluster-info), or raise --request-timeout.',
  );
  t.is(lines(r.stderr)[1], `  (while running: kubectl --kubeconfig=${kubeconfig} -n apigee get secrets,apigeerouteconfigs -o json --show-managed-fields)`);
});

test('Unauthorized (a wrong token): exit 3 with one clear message', async (t) => {
  const c = await clusterFor(t);
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-unauthorized-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const kubeconfig = writeKubeconfig(dir, kubeconfigYaml({ server: c.sim.url, caPem: c.sim.caPem, token: 'not-the-token' }));
  const r = await run(t, c, ['diagnose', 'prod', '--kubeconfig', kubeconfig]);
  assertOneMessage(
    t,
    r,
    'error: You must be logged in to the server (the server has asked for the client to provide credentials)',
    'Log in to the cluster again (e.g. gcloud container clusters get-credentials …), or check --context and --kubeconfig.',
  );
  t.true(c.sim.requests.length > 0);
  t.true(c.sim.requests.every((q) => q.status === 401 && q.user === ''));
});

const DNS_LABEL_RULE = "must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";
const USAGE_HINT = "See 'kubectl apigee-tls diagnose --help' for usage.";

test('names are checked before anything runs: invalid ones exit 2 and the cluster receives no request', async (t) => {
  const c = await clusterFor(t, mainObjects(), mainLogs);
  const long = 'a'.repeat(64);
  const dashed = `${'ab-'.repeat(21)}a`; // 64 characters in short segments: echoed
  const cases: Array<[string[], string]> = [
    [['diagnose', 'Bad_Name'], `error: invalid env group name "Bad_Name": ${DNS_LABEL_RULE}`],
    [['diagnose', 'a;rm -rf /'], `error: invalid env group name "a;rm -rf /": ${DNS_LABEL_RULE}`],
    // A long run of letters could be a pasted secret: it is described, not echoed.
    [['diagnose', long], `error: invalid env group name (a 64-character value, not shown): ${DNS_LABEL_RULE}`],
    [['diagnose', dashed], `error: invalid env group name "${dashed}": ${DNS_LABEL_RULE}`],
    [['diagnose', 'missing', '--org', 'Bad_Org'], `error: invalid org name "Bad_Org": ${DNS_LABEL_RULE}`],
    [['diagnose', 'missing', '-n', 'Bad_NS'], `error: invalid namespace name "Bad_NS": ${DNS_LABEL_RULE}`],
    [['diagnose', 'missing', '--host', 'a;b'], 'error: invalid hostname "a;b"'],
  ];
  for (const [args, message] of cases) {
    const r = await run(t, c, args);
    t.is(r.exitCode, 2, args.join(' '));
    t.is(r.stdout, '');
    t.is(r.stderr, `${message}\n${USAGE_HINT}\n`);
  }
  // A name that is a flag is never taken for an env group.
  for (const args of [
    ['diagnose', '-rf'],
    ['diagnose', '--', '-rf'],
    ['diagnose', '--all', 'missing'],
  ]) {
    const r = await run(t, c, args);
    t.is(r.exitCode, 2, args.join(' '));
    t.is(r.stdout, '');
    t.true(r.stderr.startsWith('error: '), r.stderr);
    t.true(r.stderr.endsWith(`\n${USAGE_HINT}\n`), r.stderr);
  }
  t.deepEqual(c.sim.requests, []);
});

test('names read from --overrides are checked before anything runs too: an invalid org or sslSecret exits 2, nothing sent', async (t) => {
  const c = await clusterFor(t, discoveryObjects());
  const cases: Array<[string, string, string]> = [
    ['bad-org.yaml', 'org: "Bad;Org"\nvirtualhosts:\n  - name: gamma\n    sslSecret: gamma-custom-tls\n', 'Bad;Org'],
    ['bad-secret.yaml', 'org: ovr-org\nvirtualhosts:\n  - name: gamma\n    sslSecret: "y$(id)"\n', 'y$(id)'],
  ];
  for (const [file, text, bad] of cases) {
    const path = join(c.dir, file);
    await writeFile(path, text);
    const r = await run(t, c, ['diagnose', 'gamma', '--overrides', path]);
    t.is(r.exitCode, 2, `${file}: ${lines(r.stdout)[0] ?? ''}`);
    t.is(r.stdout, '');
    const [first] = lines(r.stderr);
    t.true(first?.startsWith('error: invalid '), first);
    t.true(first?.includes(JSON.stringify(bad)), first);
    t.true(r.stderr.endsWith(`\n${USAGE_HINT}\n`), r.stderr);
  }
  t.deepEqual(c.sim.requests, []);
});
