// served-certificate: with --envgroup, the gateway serves the leaf of the env group's secret.
import test from 'ava';
import { analyseCertificate } from '../../src/pki/index.js';
import { PROBE_CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { servedCertificate } from '../../src/checks/served-chain.js';
import { connected, ctx, DAY, judge, leafOf, NOW, observation, pki, probeEvidence } from './helpers.js';

const leafOfPem = (pemText: string) => {
  const a = analyseCertificate(Buffer.from(pemText));
  if (!a.ok) throw new Error(a.detail);
  return a.certificates[0]!;
};

test("pass: the gateway serves the secret's leaf", (t) => {
  const leaf = pki().leaf;
  const e = probeEvidence(observation(connected(leaf)), { servedSecret: { leaf: leafOfPem(leaf), label: 'secret "my-org-prod"' } });
  const f = judge(servedCertificate, e);
  t.is(f.status, 'pass');
  t.is(f.summary, 'the gateway serves the leaf of secret "my-org-prod"');
  t.deepEqual(f.evidence, [`sha256 fingerprint ${leafOfPem(leaf).fingerprint256}`]);
});

test("served-certificate-differs: an old certificate still served after a rotation, the restart built for the run's cluster", (t) => {
  const old = pki().leaf;
  const renewed = leafOf({ notBefore: NOW, notAfter: new Date(NOW.getTime() + 90 * DAY) });
  const e = probeEvidence(observation(connected(old)), { servedSecret: { leaf: leafOfPem(renewed), label: 'secret "my-org-prod"' } });
  const f = judge(servedCertificate, e, ctx({ scope: { namespace: 'apigee', context: 'prod' } }));
  t.is(f.status, 'fail');
  t.is(f.cause, 'served-certificate-differs');
  t.is(f.summary, 'the gateway serves "CN=api.example.com", not the leaf of secret "my-org-prod" ("CN=api.example.com")');
  t.deepEqual(f.evidence, [
    `served: sha256 ${leafOfPem(old).fingerprint256}, valid until 2027-12-01T00:00:00.000Z`,
    `secret: sha256 ${leafOfPem(renewed).fingerprint256}, valid until 2027-03-01T00:00:00.000Z`,
  ]);
  t.regex(f.remediation!, /\(kubectl --context=prod -n apigee rollout restart deployment -l app=apigee-ingressgateway\)$/);
});

test('the secret could not be read: its reason, as gather gave it', (t) => {
  const unavailable = {
    status: 'skip' as const,
    cause: null,
    summary: 'secret "my-org-prod" does not exist: run kubectl apigee-tls diagnose prod',
    evidence: [],
    commands: [],
  };
  const f = judge(servedCertificate, probeEvidence(observation(connected(pki().leaf)), { servedSecret: { unavailable } }));
  t.deepEqual(f, { check: 'served-certificate', ...unavailable });
});

test('optional: without --envgroup it is left out of the report, not skipped', (t) => {
  const findings = runChecks(PROBE_CHECKS, probeEvidence(observation(connected(pki().leaf))), ctx());
  t.false(findings.some((f) => f.check === 'served-certificate'));
  t.is(findings.length, 7);
});
