// The ingress's own words (reference/apigee.md §12.1, §12.5): the ingress manager's (istiod) and the
// gateways' (Envoy) lines about the env group's secret, and the watcher's errors updating its routes,
// read through the one pod-log reader from the simulated cluster by the real kubectl. Every key and
// certificate is minted here; each test asserts the cause, the status, the exit code and the line.
import { generateKeyPairSync } from 'node:crypto';
import test from 'ava';
import {
  apigeeCluster,
  certificate,
  envoyRejectedLine,
  generatedRouteName,
  issuerNotFound,
  istiodLine,
  watcherWebhookX509Line,
  type EnvGroupSpec,
  type K8sObject,
} from '../src/sim/index.js';
import { clusterFor } from './helpers/cluster.js';
import { finding, fullChain, plant, rootCa, rsaKey, run, type DiagnosisJson } from './helpers/scenarios.js';
import { CERT_MANAGER_RULE_LINES } from './helpers/reliability.js';

const ORG = 'acme';
const NS = 'apigee';
const now = new Date();
const ca = rootCa('Ingress Test Root CA', now);
const rsa = rsaKey();
const otherRsa = rsaKey();
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
const RSA_PEM = plant(rsa);
const OTHER_PEM = plant(otherRsa);
const P384_PEM = plant(p384);
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const host = (eg: string) => `${eg}.${ORG}.example.com`;

/** The secret as last written at `at` (managedFields, which kubectl shows with --show-managed-fields). */
const writtenAt = (objects: K8sObject[], secret: string, at: Date): K8sObject[] =>
  objects.map((o) =>
    o.kind === 'Secret' && o.metadata.name === secret
      ? {
          ...o,
          metadata: {
            ...o.metadata,
            managedFields: [{ manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: at.toISOString().replace(/\.\d{3}Z$/, 'Z') }],
          },
        }
      : o,
  );

async function diagnose(
  t: Parameters<typeof run>[0] & { teardown(fn: () => Promise<void>): void },
  envgroup: EnvGroupSpec,
  o: { written?: Date; label?: 'apigee-istiod'; drop?: (o: K8sObject) => boolean; faults?: Parameters<typeof clusterFor>[3] } = {},
) {
  const s = apigeeCluster({ org: ORG, envgroups: [envgroup], now, jsonLogs: true, ...(o.label ? { ingressManagerLabel: o.label } : {}) });
  const secretName = envgroup.secretName ?? `${ORG}-${envgroup.name}`;
  const objects = (o.written ? writtenAt(s.objects, secretName, o.written) : s.objects).filter((x) => !o.drop?.(x));
  const c = await clusterFor(t, objects, s.logs, o.faults ?? {});
  const r = await run(t, c, ['diagnose', envgroup.name, '-n', NS, '-o', 'json']);
  return { r, d: JSON.parse(r.stdout) as DiagnosisJson, s };
}

const quotedIn = (evidence: readonly string[], text: string): boolean =>
  evidence.some((e) => e.endsWith(text.split('\t').slice(1).join('\t')) || e.includes(text.replace(/^\S+\t/, '')));

test('a mismatched key whose gateway logs KEY_VALUES_MISMATCH: key-mismatch carries the line, and the gateway check fails ingress-rejected-secret (exit 1)', async (t) => {
  const line = envoyRejectedLine('key-mismatch', minutesAgo(5));
  const { r, d, s } = await diagnose(
    t,
    { name: 'prod', secret: { cert: fullChain(ca, host('prod'), rsa, { now }), key: OTHER_PEM }, logs: { gateway: [line], at: minutesAgo(5) } },
    { written: minutesAgo(30) },
  );
  t.is(r.exitCode, 1);
  const key = finding(d, 'key-match');
  t.is(key.status, 'fail');
  t.is(key.cause, 'key-mismatch');
  const envoyText = line.split('\t').slice(3).join('\t');
  t.true(
    key.evidence.some((e) => e.startsWith(`the ingress logged: ${s.ingressPod}/istio-proxy at `) && e.includes(envoyText)),
    key.evidence.join('\n'),
  );
  const g = finding(d, 'ingress-gateways');
  t.is(g.status, 'fail');
  t.is(g.cause, 'ingress-rejected-secret');
  t.is(g.summary, `gateway ${s.ingressPod} rejects the secret: the secret's key does not belong to its leaf certificate`);
  t.true(g.evidence[0]!.startsWith(`${s.ingressPod}/istio-proxy at ${minutesAgo(5).toISOString().slice(0, 16)}`), g.evidence[0]);
  t.true(g.evidence[0]!.includes('OPENSSL_internal:KEY_VALUES_MISMATCH'));
});

const p384Group = (at: Date): EnvGroupSpec => ({
  name: 'curve',
  secret: { cert: fullChain(ca, host('curve'), p384, { now }), key: P384_PEM },
  logs: { gateway: [envoyRejectedLine('p256-only', at)], at },
});

test('a P-384 secret the gateway rejects is ingress-rejected-secret (exit 1); the strength check notes the curve', async (t) => {
  const { r, d, s } = await diagnose(t, p384Group(minutesAgo(5)), { written: minutesAgo(30) });
  t.is(r.exitCode, 1);
  const g = finding(d, 'ingress-gateways');
  t.is(g.status, 'fail');
  t.is(g.cause, 'ingress-rejected-secret');
  t.is(g.summary, `gateway ${s.ingressPod} rejects the secret: the leaf's key is ECDSA P-384`);
  t.true(g.evidence[0]!.endsWith('Failed to load certificate chain from <inline>, only P-256 ECDSA certificates are supported\tthread=15'), g.evidence[0]);
  const strength = finding(d, 'strength');
  t.is(strength.status, 'pass');
  t.regex(strength.evidence.join('\n'), /P-384: .*Envoy before 1\.33/);
  t.deepEqual(
    d.findings.filter((f) => f.status === 'fail').map((f) => f.check),
    ['ingress-gateways'],
  );
});

test('the same P-384 secret with only an older rejection line is healthy (exit 0): the line is history on the passing finding', async (t) => {
  const written = minutesAgo(10);
  const { r, d } = await diagnose(t, p384Group(minutesAgo(20)), { written });
  t.is(r.exitCode, 0, r.stdout);
  const g = finding(d, 'ingress-gateways');
  t.is(g.status, 'pass');
  t.is(g.cause, null);
  t.is(g.evidence[0], `rejected before the secret was last written at ${written.toISOString().replace(/\.\d{3}Z$/, 'Z')}:`);
  t.true(g.evidence[1]!.endsWith('only P-256 ECDSA certificates are supported\tthread=15'), g.evidence[1]);
});

for (const label of ['apigee-ingressgateway-manager', 'apigee-istiod'] as const) {
  test(`a wrong-keys secret carries istiod's "didn't have expected keys" line (manager labelled app=${label})`, async (t) => {
    const line = istiodLine('wrong-keys', `${ORG}-keys`, NS, minutesAgo(5), 'certificate, private');
    const { r, d, s } = await diagnose(
      t,
      { name: 'keys', secret: { extraData: { certificate: 'x', private: 'y' } }, logs: { manager: [line], at: minutesAgo(5) } },
      { written: minutesAgo(30), ...(label === 'apigee-istiod' ? { label } : {}) },
    );
    t.is(r.exitCode, 1);
    const keys = finding(d, 'secret-keys');
    t.is(keys.status, 'fail');
    t.is(keys.cause, 'secret-missing-keys');
    const text =
      "failed to fetch key and certificate for kubernetes://acme-keys: found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: certificate, private";
    t.true(
      keys.evidence.some((e) => e.startsWith(`the ingress logged: ${s.ingressManagerPods[0]}/discovery at `) && e.endsWith(text)),
      keys.evidence.join('\n'),
    );
    const m = finding(d, 'ingress-manager');
    t.is(m.status, 'fail');
    t.is(m.cause, 'ingress-rejected-secret');
    t.is(m.summary, `the ingress manager cannot load secret "acme-keys": ${text}`);
    t.true(quotedIn(m.evidence, line));
  });
}

test('a webhook x509 failure in zap JSON is watcher-update-failed (exit 1), quoting the error about this env group only', async (t) => {
  const arc = `${ORG}-routes`;
  const route = generatedRouteName(arc);
  const other = generatedRouteName(`${ORG}-routes-2`);
  const line = watcherWebhookX509Line([other, route], NS, minutesAgo(5));
  const { r, d, s } = await diagnose(
    t,
    { name: 'routes', secret: { cert: fullChain(ca, host('routes'), rsa, { now }), key: RSA_PEM }, logs: { watcher: [line], at: minutesAgo(5) } },
    { written: minutesAgo(30) },
  );
  t.is(r.exitCode, 1);
  const w = finding(d, 'watcher-updates');
  t.is(w.status, 'fail');
  t.is(w.cause, 'watcher-update-failed');
  t.true(
    w.summary.startsWith(
      `apigee-watcher cannot update the ApigeeRoutes of env group routes: INTERNAL: INTERNAL: failed to update ApigeeRoute ${route}, namespace apigee:`,
    ),
    w.summary,
  );
  t.is(w.evidence.length, 1);
  t.true(w.evidence[0]!.startsWith(`${s.watcherPod}/apigee-watcher at `));
  t.true(w.evidence[0]!.includes(`failed to update ApigeeRoute ${route}, namespace apigee`));
  t.false(w.evidence[0]!.includes(other));
  t.regex(w.remediation ?? '', /admission webhook "mapigeeroute\.apigee\.cloud\.google\.com" is refused \(x509: certificate has expired or is not yet valid/);
});

test('an absent ingress manager is a named skip, and the healthy env group stays healthy (exit 0)', async (t) => {
  const { r, d } = await diagnose(
    t,
    { name: 'calm', secret: { cert: fullChain(ca, host('calm'), rsa, { now }), key: RSA_PEM } },
    { drop: (o) => o.metadata.name.startsWith('apigee-ingressgateway-manager') },
  );
  t.is(r.exitCode, 0, r.stdout);
  const m = finding(d, 'ingress-manager');
  t.is(m.status, 'skip');
  t.is(
    m.summary,
    'no apigee-ingressgateway-manager pod in namespace "apigee" (label app=apigee-ingressgateway-manager or app=apigee-istiod, or a name starting apigee-ingressgateway-manager-)',
  );
  t.is(finding(d, 'ingress-gateways').status, 'pass');
});

test('a forbidden ingress manager is a named error; the key mismatch is still the verdict (exit 1)', async (t) => {
  const { r, d } = await diagnose(
    t,
    { name: 'locked', secret: { cert: fullChain(ca, host('locked'), rsa, { now }), key: OTHER_PEM } },
    // RBAC without pods/log on the manager's pods: the listing works, each log read is refused.
    { faults: { faults: [{ match: '/pods/apigee-ingressgateway-manager-[^/]+/log', code: 403 }] } },
  );
  t.is(r.exitCode, 1);
  t.is(finding(d, 'key-match').cause, 'key-mismatch');
  const m = finding(d, 'ingress-manager');
  t.is(m.status, 'error');
  t.true(m.summary.startsWith('could not read the apigee-ingressgateway-manager logs: Error from server (Forbidden):'), m.summary);
});

// --- cert-manager (reference/apigee.md §12.4) ------------------------------------------------

test('a cert-manager Certificate whose issuer is missing is certificate-not-issued (exit 1), the issuer named in the evidence', async (t) => {
  const name = `${ORG}-issued`;
  const s = apigeeCluster({ org: ORG, envgroups: [{ name: 'issued', owner: 'cert-manager', secret: null, certificateReady: false }], now, jsonLogs: true });
  const c = await clusterFor(t, [...s.objects, ...issuerNotFound(name)], s.logs, { certManager: true });
  const r = await run(t, c, ['diagnose', 'issued', '-n', NS, '-o', 'json']);
  t.is(r.exitCode, 1);
  const d = JSON.parse(r.stdout) as DiagnosisJson;
  const f = finding(d, 'certificate-issued');
  t.is(f.status, 'fail');
  t.is(f.cause, 'certificate-not-issued');
  t.is(
    f.summary,
    `Certificate "${name}" (cert-manager) issues secret "${name}", issuer ClusterIssuer "apigee-ca-issuer": not Ready: Referenced "ClusterIssuer" not found: clusterissuer.cert-manager.io "apigee-ca-issuer" not found`,
  );
  t.deepEqual(f.evidence, [
    `Certificate "${name}": Ready=False DoesNotExist: Issuing certificate as Secret does not exist`,
    'issuer: ClusterIssuer "apigee-ca-issuer"',
    `latest CertificateRequest "${name}-1": Ready=False Pending: Referenced "ClusterIssuer" not found: clusterissuer.cert-manager.io "apigee-ca-issuer" not found`,
    `event CertificateRequest ${name}-1: Warning IssuerNotFound: Referenced "ClusterIssuer" not found: clusterissuer.cert-manager.io "apigee-ca-issuer" not found`,
  ]);
  t.is(f.commands[0], `cmctl status certificate ${name} -n ${NS}`);
  t.is(finding(d, 'ingress-secret').cause, 'missing-ingress-secret');
});

test('cert-manager absent changes nothing: a missing secret is missing-ingress-secret, and no certificate finding appears', async (t) => {
  const s = apigeeCluster({ org: ORG, envgroups: [{ name: 'plain', secret: null }], now, jsonLogs: true });
  const c = await clusterFor(t, s.objects, s.logs);
  const r = await run(t, c, ['diagnose', 'plain', '-n', NS, '-o', 'json']);
  t.is(r.exitCode, 1);
  const d = JSON.parse(r.stdout) as DiagnosisJson;
  t.is(finding(d, 'ingress-secret').cause, 'missing-ingress-secret');
  t.false(d.findings.some((f) => f.check === 'certificate-issued'));
  t.deepEqual(
    d.findings.filter((f) => f.status === 'fail').map((f) => `${f.check} ${f.cause}`),
    ['ingress-secret missing-ingress-secret'],
  );
});

test('a Certificate not Ready while its secret still serves is certificate-not-issued as a warning (exit 0, or 1 with --fail-on warn)', async (t) => {
  const name = `${ORG}-renewing`;
  const s = apigeeCluster({
    org: ORG,
    envgroups: [{ name: 'renewing', owner: 'cert-manager', secret: { cert: fullChain(ca, host('renewing'), rsa, { now }), key: RSA_PEM } }],
    now,
    jsonLogs: true,
  });
  // The issuerRef was changed to an issuer that does not exist: cert-manager marks the Certificate
  // not Ready (its readiness policy SecretIssuerAnnotationsNotUpToDate), the old certificate serves on.
  const notReady = certificate({
    name,
    secretName: name,
    dnsNames: [host('renewing')],
    ready: false,
    reason: 'IncorrectIssuer',
    message: 'Issuing certificate as Secret was previously issued by "ClusterIssuer.cert-manager.io/old-issuer"',
  });
  const objects = [...s.objects.filter((o) => o.kind !== 'Certificate'), notReady, ...issuerNotFound(name)];
  const c = await clusterFor(t, objects, s.logs, { certManager: true });
  const r = await run(t, c, ['diagnose', 'renewing', '-n', NS, '-o', 'json']);
  t.is(r.exitCode, 0, r.stdout);
  const d = JSON.parse(r.stdout) as DiagnosisJson;
  t.is(d.result, 'healthy');
  const f = finding(d, 'certificate-issued');
  t.is(f.status, 'warn');
  t.is(f.cause, 'certificate-not-issued');
  t.is(
    f.summary,
    `Certificate "${name}" (cert-manager) issues secret "${name}", issuer ClusterIssuer "apigee-ca-issuer": not Ready (the current certificate still serves): Referenced "ClusterIssuer" not found: clusterissuer.cert-manager.io "apigee-ca-issuer" not found`,
  );
  t.is(
    f.remediation,
    `create the ClusterIssuer "apigee-ca-issuer" the Certificate names (or point its issuerRef at one that exists), then: cmctl renew ${name} -n ${NS}`,
  );
  const strict = await run(t, c, ['diagnose', 'renewing', '-n', NS, '-o', 'json', '--fail-on', 'warn']);
  t.is(strict.exitCode, 1);
});

test("a secret cert-manager annotated, whose Certificates cannot be listed: certificate-issued is an error naming cert-manager's rules (exit 3)", async (t) => {
  const s = apigeeCluster({
    org: ORG,
    envgroups: [{ name: 'guarded', owner: 'cert-manager', secret: { cert: fullChain(ca, host('guarded'), rsa, { now }), key: RSA_PEM } }],
    now,
    jsonLogs: true,
  });
  const c = await clusterFor(t, s.objects, s.logs, { certManager: true, faults: [{ match: '/certificates\\?', code: 403 }] });
  const r = await run(t, c, ['diagnose', 'guarded', '-n', NS, '-o', 'json']);
  t.is(r.exitCode, 3, r.stdout);
  const d = JSON.parse(r.stdout) as DiagnosisJson;
  t.is(d.result, 'incomplete');
  // Every other verdict stands: the secret itself is healthy.
  t.deepEqual(
    d.findings.filter((f) => f.status === 'fail' || f.status === 'error').map((f) => `${f.check} ${f.status}`),
    ['certificate-issued error'],
  );
  const f = finding(d, 'certificate-issued');
  t.is(f.cause, null);
  t.true(
    f.summary.startsWith(
      `could not read cert-manager's Certificates in namespace "${NS}" (the secret is issued by Certificate "${ORG}-guarded"): Error from server (Forbidden):`,
    ),
    f.summary,
  );
  t.is(f.remediation, `grant read access to cert-manager's objects: add these rules to the Role (in namespace "${NS}"):\n${CERT_MANAGER_RULE_LINES}`);
});
