// secret-keys: the secret holds one of the pairs the ingress reads, cert+key or tls.crt+tls.key.
import test from 'ava';
import { DIAGNOSE_CHECKS } from '../../src/checks/registry.js';
import { secretKeys } from '../../src/checks/secret-keys.js';
import { clusterOf, diagnoseCtx, diagnoseEvidence, judge, judgeIn, pem, pki, secretOf } from './helpers.js';

const run = (secret: Parameters<typeof clusterOf>[0]) => {
  const cluster = clusterOf(secret);
  return judge(secretKeys, diagnoseEvidence(cluster), diagnoseCtx(cluster));
};

test('pass: the generic layout (cert, key) and the kubernetes.io/tls layout (tls.crt, tls.key)', (t) => {
  const generic = run({ secret: secretOf({ cert: pki().leaf, key: pem(pki().leafKey), ca: pki().ca.certificatePem }) });
  t.is(generic.status, 'pass');
  t.is(generic.summary, 'holds cert and key (generic layout)');
  t.deepEqual(generic.evidence, ['data keys: cacert, cert, key']);
  t.deepEqual(generic.commands, ['kubectl -n apigee describe secret my-org-prod']);
  const tls = run({ secret: secretOf({ layout: 'kubernetes.io/tls', cert: pki().leaf, key: pem(pki().leafKey) }) });
  t.is(tls.summary, 'holds tls.crt and tls.key (kubernetes.io/tls layout)');
  t.deepEqual(tls.evidence, ['data keys: tls.crt, tls.key']);
});

test('secret-missing-keys: a certificate without its key, and keys of neither pair', (t) => {
  const certOnly = run({ secret: secretOf({ cert: pki().leaf }) });
  t.is(certOnly.status, 'fail');
  t.is(certOnly.cause, 'secret-missing-keys');
  t.is(certOnly.summary, 'Secret "my-org-prod" holds neither cert+key nor tls.crt+tls.key');
  t.deepEqual(certOnly.evidence, ['data keys: cert']);
  t.is(
    certOnly.remediation,
    'store the certificate chain and key under cert and key (or tls.crt and tls.key): apigeectl apply -f overrides/overrides.yaml --settings virtualhosts',
  );
  const mixed = run({ secret: secretOf({ extraData: { 'tls.crt': pki().leaf, key: pem(pki().leafKey) } }) });
  t.is(mixed.cause, 'secret-missing-keys');
  t.deepEqual(mixed.evidence, ['data keys: key, tls.crt']);
  const empty = run({ secret: secretOf({}) });
  t.deepEqual(empty.evidence, ['data keys: none']);
});

test('skip: no secret to read', (t) => {
  const cluster = clusterOf({ secret: null });
  const f = judgeIn(DIAGNOSE_CHECKS, 'secret-keys', diagnoseEvidence(cluster), diagnoseCtx(cluster));
  t.deepEqual(f, { check: 'secret-keys', status: 'skip', cause: null, summary: 'no secret to read', evidence: [], commands: [] });
});
