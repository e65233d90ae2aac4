// mtls-ca: with mutual TLS, the CA that verifies client certificates is there, parses, and is valid now.
import test from 'ava';
import { CERT_ADVICE } from '../../src/checks/advice.js';
import { mtlsCa } from '../../src/checks/mtls-ca.js';
import { DIAGNOSE_CHECKS } from '../../src/checks/registry.js';
import { evidence } from '../../src/checks/inputs.js';
import { runChecks } from '../../src/checks/run.js';
import { rootCa } from '../helpers/scenarios.js';
import { clusterOf, ctx, DAY, diagnoseCtx, diagnoseEvidence, judge, judgeIn, materialOf, NOW, pem, pki, secretOf } from './helpers.js';

test('pass: the CA bundle given, named by its subjects', (t) => {
  const f = judge(mtlsCa, materialOf({ cert: pki().leaf, ca: pki().ca.certificatePem, mtls: true }));
  t.is(f.status, 'pass');
  t.is(f.summary, 'the CA bundle ca.pem holds "CN=Test Root CA"');
  t.deepEqual(f.commands, ['openssl x509 -in ca.pem -text -noout']);
});

test("pass: diagnose reads the secret's cacert when the route config says MUTUAL", (t) => {
  const cluster = clusterOf({ mode: 'MUTUAL', secret: secretOf({ cert: pki().leaf, key: pem(pki().leafKey), ca: pki().ca.certificatePem }) });
  const f = judgeIn(DIAGNOSE_CHECKS, 'mtls-ca', diagnoseEvidence(cluster), diagnoseCtx(cluster));
  t.is(f.status, 'pass');
  t.is(f.summary, 'the CA bundle secret "my-org-prod" key "cacert" holds "CN=Test Root CA"');
});

test('skip (its own): mutual TLS is not configured', (t) => {
  const f = judge(mtlsCa, materialOf({ cert: pki().leaf, ca: 'anything' }));
  t.deepEqual(f, { check: 'mtls-ca', status: 'skip', cause: null, summary: 'mutual TLS is not configured', evidence: [], commands: [] });
});

test('mtls-ca-invalid: mutual TLS without a CA', (t) => {
  const cluster = clusterOf({ mode: 'MUTUAL' });
  const f = judgeIn(DIAGNOSE_CHECKS, 'mtls-ca', diagnoseEvidence(cluster), diagnoseCtx(cluster));
  t.is(f.status, 'fail');
  t.is(f.cause, 'mtls-ca-invalid');
  t.is(
    f.summary,
    'mutual TLS is configured but there is no CA certificate: looked in secret "my-org-prod" key "cacert", then secret "my-org-prod-cacert" key "cacert"',
  );
  t.deepEqual(f.evidence, ['no CA in secret "my-org-prod" key "cacert"', 'no CA in secret "my-org-prod-cacert" key "cacert"']);
  t.is(
    f.remediation,
    `add the CA bundle that issues your client certificates (caCertPath, or the cacert key of the secret); then apply it: ${cluster.applyFix}`,
  );
});

test('mtls-ca-invalid: a CA that is not a certificate', (t) => {
  const f = judge(mtlsCa, materialOf({ cert: pki().leaf, ca: pem(pki().otherKey), mtls: true }));
  t.is(f.cause, 'mtls-ca-invalid');
  t.regex(f.summary, /^the CA certificate ca\.pem is not well-formed: /);
  t.is(f.remediation, CERT_ADVICE['private-key-not-certificate']);
});

test('mtls-ca-invalid: an expired CA', (t) => {
  const old = rootCa('Old Client CA', new Date(NOW.getTime() - 3700 * DAY));
  const f = judge(mtlsCa, materialOf({ cert: pki().leaf, ca: old.certificatePem, mtls: true }), ctx({ expiryWarningMs: 0 }));
  t.is(f.cause, 'mtls-ca-invalid');
  t.is(f.summary, 'the CA certificate "CN=Old Client CA" has expired');
  t.deepEqual(f.evidence, ['#0 "CN=Old Client CA" expired 2026-10-12T00:00:00Z']);
  t.is(f.remediation, "renew the CA certificate and update caCertPath (or the secret's cacert)");
});

test('mtls-ca-invalid: a CA not valid yet verifies no client certificate', (t) => {
  // rootCa starts its validity 30 days before the date given: 40 days ahead is 10 days from now.
  const future = rootCa('Future Client CA', new Date(NOW.getTime() + 40 * DAY));
  const f = judge(mtlsCa, materialOf({ cert: pki().leaf, ca: future.certificatePem, mtls: true }), ctx({ expiryWarningMs: 0 }));
  t.is(f.status, 'fail');
  t.is(f.cause, 'mtls-ca-invalid');
  t.is(f.summary, 'the CA certificate "CN=Future Client CA" is not valid yet');
  t.deepEqual(f.evidence, ['#0 "CN=Future Client CA" not valid before 2026-12-11T00:00:00Z']);
});

test('skip: no mutual TLS facts at all, and none in a diagnose without a secret', (t) => {
  t.is(judge(mtlsCa, evidence({})).summary, 'not checked: no mtls');
  const cluster = clusterOf({ secret: null, mode: 'MUTUAL' });
  const findings = runChecks(DIAGNOSE_CHECKS, diagnoseEvidence(cluster), diagnoseCtx(cluster));
  t.false(
    findings.some((f) => f.check === 'mtls-ca'),
    'the secret section is one skip, of its first check',
  );
});
