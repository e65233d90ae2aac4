// strength: no SHA-1/MD5 signature and no RSA key under 2048 bits (a root's own signature aside).
import test from 'ava';
import { CHECK_CHECKS } from '../../src/checks/registry.js';
import { strength } from '../../src/checks/strength.js';
import { mintCertificate } from '../../src/sim/mint-certificate.js';
import { ctx, DAY, ecKey, judge, judgeIn, leafOf, materialOf, NOW, pki, rsaKey } from './helpers.js';

const window = { notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + 90 * DAY) };
const COMMAND = "openssl x509 -noout -text -in cert.pem | grep -E 'Signature Algorithm|Public-Key'";

test('pass: SHA-256 and RSA 2048, and an EC key', (t) => {
  const f = judge(strength, materialOf({ cert: pki().leaf + pki().ca.certificatePem }));
  t.is(f.status, 'pass');
  t.is(f.summary, 'sha256WithRSAEncryption signature, RSA 2048-bit key');
  t.deepEqual(f.commands, [COMMAND]);
  const ec = judge(strength, materialOf({ cert: leafOf({ key: ecKey() }) }));
  t.is(ec.summary, 'sha256WithRSAEncryption signature, EC prime256v1 key');
});

test("pass: a self-signed root's own SHA-1 signature is never checked by clients", (t) => {
  const rootKey = rsaKey();
  const root = mintCertificate({ commonName: 'SHA-1 Root', key: rootKey, isCA: true, hash: 'sha1', ...window });
  const leaf = mintCertificate({
    commonName: 'api.example.com',
    key: pki().leafKey,
    issuer: { certificatePem: root, commonName: 'SHA-1 Root', key: rootKey },
    ...window,
  });
  t.is(judge(strength, materialOf({ cert: leaf + root })).status, 'pass');
});

test('weak-certificate: a SHA-1 signature on the leaf', (t) => {
  const { ca, leafKey } = pki();
  const leaf = mintCertificate({ commonName: 'api.example.com', key: leafKey, issuer: { ...ca }, hash: 'sha1', ...window });
  const f = judge(strength, materialOf({ cert: leaf }), ctx({ applyFix: 'apigeectl apply' }));
  t.is(f.status, 'warn');
  t.is(f.cause, 'weak-certificate');
  t.is(f.summary, 'weak certificate: #0 "CN=api.example.com": SHA-1 signature (sha1WithRSAEncryption)');
  t.deepEqual(f.evidence, ['#0 "CN=api.example.com": SHA-1 signature (sha1WithRSAEncryption)']);
  t.is(f.remediation, 'reissue with a SHA-256 (or stronger) signature and an RSA key of at least 2048 bits, or an EC key; then apply it: apigeectl apply');
});

test('weak-certificate: an RSA key of 1024 bits', (t) => {
  const f = judge(strength, materialOf({ cert: leafOf({ key: rsaKey(1024) }) }));
  t.is(f.cause, 'weak-certificate');
  t.deepEqual(f.evidence, ['#0 "CN=api.example.com": RSA key of 1024 bits (under 2048)']);
});

test('skip: the certificate did not parse', (t) => {
  const f = judgeIn(CHECK_CHECKS, 'strength', materialOf({ cert: 'x' }));
  t.deepEqual(f, { check: 'strength', status: 'skip', cause: null, summary: 'not checked: the certificate did not parse', evidence: [], commands: [] });
});
