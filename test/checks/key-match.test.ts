// key-match: the playbook's cause 3, for any key type; a key that belongs to a later certificate is
// chain-order's, not a mismatch.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import test from 'ava';
import { keyMatch } from '../../src/checks/key-match.js';
import { CHECK_CHECKS } from '../../src/checks/registry.js';
import { mirrorKey } from '../../src/evidence/mirrors.js';
import { analyseMaterial, materialEvidence } from '../../src/checks/analyse-material.js';
import { ctx, ecKey, fileMaterial, judge, judgeIn, leafOf, materialOf, pem, pki } from './helpers.js';

const spki = (key: KeyObject): string =>
  createHash('sha256')
    .update(createPublicKey(key).export({ type: 'spki', format: 'der' }))
    .digest('hex');

const PLAYBOOK_COMMANDS = [
  'diff -q <(openssl rsa -noout -modulus -in key.pem) <(openssl x509 -noout -modulus -in cert.pem)',
  'diff <(openssl x509 -noout -pubkey -in cert.pem) <(openssl pkey -pubout -passin pass: -in key.pem)',
];

test('pass: the RSA key of the leaf, with the playbook commands shown', (t) => {
  const f = judge(keyMatch, materialOf({ cert: pki().leaf + pki().ca.certificatePem, key: pem(pki().leafKey) }));
  t.is(f.status, 'pass');
  t.is(f.summary, 'the private key matches the leaf certificate "CN=api.example.com" (public keys compared)');
  t.deepEqual(f.commands, PLAYBOOK_COMMANDS);
});

test("pass: an EC key, which the playbook's modulus method cannot check", (t) => {
  const key = ecKey();
  const f = judge(keyMatch, materialOf({ cert: leafOf({ cn: 'ec.example.com', key }), key: pem(key) }));
  t.is(f.status, 'pass');
  t.is(
    f.summary,
    `the private key matches the leaf certificate "CN=ec.example.com" (public keys compared; the playbook's modulus method cannot check EC keys)`,
  );
});

test('key-mismatch: another key, both public keys named by their SPKI hash, with what openssl said', (t) => {
  const { leaf, leafKey, otherKey } = pki();
  const material = fileMaterial({ cert: leaf, key: pem(otherKey) });
  const out = (stdout: string) => ({ display: 'openssl …', exitCode: 0, stdout, stderr: '', opensslMissing: false });
  const mirrors = new Map([
    [mirrorKey('cert', 'x509-pubkey'), out('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')],
    [mirrorKey('key', 'pkey-pubout'), out('-----BEGIN PUBLIC KEY-----\nBBBB\n-----END PUBLIC KEY-----\n')],
  ]);
  const f = judge(keyMatch, materialEvidence(material, analyseMaterial(material), mirrors), ctx({ applyFix: 'helm upgrade my-org-prod apigee-virtualhost/' }));
  t.is(f.status, 'fail');
  t.is(f.cause, 'key-mismatch');
  t.is(f.summary, 'the private key does not belong to the leaf certificate "CN=api.example.com" nor to any certificate in the chain');
  t.deepEqual(f.evidence.slice(0, 2), [
    `certificate #0 "CN=api.example.com": RSA public key, SPKI sha256 ${spki(leafKey)}`,
    `private key: RSA 2048-bit private key (PKCS#8), SPKI sha256 ${spki(otherKey)}`,
  ]);
  t.regex(f.evidence[2]!, /^openssl public keys \(x509 -pubkey vs pkey -pubout\): differ \(certificate md5 [0-9a-f]{32}; key md5 [0-9a-f]{32}\)$/);
  t.is(f.evidence.length, 3);
  t.deepEqual(f.commands, PLAYBOOK_COMMANDS);
  t.is(
    f.remediation,
    'supply the private key that "CN=api.example.com" was issued for, or the certificate issued for this key; then apply it: helm upgrade my-org-prod apigee-virtualhost/',
  );
});

test("skip (its own): the key belongs to a later certificate, so the chain's order is the cause", (t) => {
  const { leaf, leafKey, ca } = pki();
  const findings = judgeIn(CHECK_CHECKS, 'key-match', materialOf({ cert: ca.certificatePem + leaf, key: pem(leafKey) }));
  t.is(findings.status, 'skip');
  t.is(findings.cause, null);
  t.is(findings.summary, 'not judged on the first certificate: the key belongs to certificate #1 "CN=api.example.com", which is not first (see chain-order)');
  t.is(findings.evidence[0], `certificate #0 "CN=Test Root CA": RSA public key, SPKI sha256 ${spki(ca.key)}`);
});

test('skip: no key given, a key that does not parse, a certificate that does not parse', (t) => {
  const { leaf, leafKey } = pki();
  t.is(judgeIn(CHECK_CHECKS, 'key-match', materialOf({ cert: leaf })).summary, 'no private key given (--key FILE)');
  t.is(judgeIn(CHECK_CHECKS, 'key-match', materialOf({ cert: leaf, key: 'not a key' })).summary, 'not checked: the private key did not parse');
  const f = judgeIn(CHECK_CHECKS, 'key-match', materialOf({ cert: 'not a certificate', key: pem(leafKey) }));
  t.is(f.status, 'skip');
  t.is(f.summary, 'not checked: the certificate did not parse');
});
