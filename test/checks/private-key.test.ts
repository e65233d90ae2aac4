// private-key: the key must be an unencrypted PEM private key the ingress can read.
import test from 'ava';
import { KEY_ADVICE } from '../../src/checks/advice.js';
import { privateKey } from '../../src/checks/private-key-format.js';
import { CHECK_CHECKS, DIAGNOSE_CHECKS } from '../../src/checks/registry.js';
import { clusterOf, diagnoseCtx, diagnoseEvidence, ecKey, judge, judgeIn, materialOf, pem, pki, secretOf } from './helpers.js';

test('pass: an RSA key in PKCS#8', (t) => {
  const f = judge(privateKey, materialOf({ cert: pki().leaf, key: pem(pki().leafKey) }));
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, 'key.pem is an unencrypted RSA 2048-bit private key (PKCS#8)');
  t.deepEqual(f.commands, ['openssl pkey -in key.pem -noout -passin pass:']);
});

test('pass: an EC key in SEC1 and an RSA key in PKCS#1', (t) => {
  const sec1 = ecKey().export({ type: 'sec1', format: 'pem' }).toString();
  t.is(judge(privateKey, materialOf({ cert: pki().leaf, key: sec1 })).summary, 'key.pem is an unencrypted EC prime256v1 private key (SEC1)');
  const pkcs1 = pki().leafKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  t.is(judge(privateKey, materialOf({ cert: pki().leaf, key: pkcs1 })).summary, 'key.pem is an unencrypted RSA 2048-bit private key (PKCS#1)');
});

test('malformed-private-key: an encrypted key, which the ingress cannot open', (t) => {
  const encrypted = pki().leafKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
  const f = judge(privateKey, materialOf({ cert: pki().leaf, key: encrypted }));
  t.is(f.status, 'fail');
  t.is(f.cause, 'malformed-private-key');
  t.regex(f.summary, /^key\.pem is not a usable private key: /);
  t.is(f.remediation, KEY_ADVICE['encrypted-pkcs8']);
  t.deepEqual(f.commands, ['openssl pkey -in key.pem -noout -passin pass:']);
});

test('malformed-private-key: a certificate where the key belongs (the inputs switched)', (t) => {
  const f = judge(privateKey, materialOf({ cert: pki().leaf, key: pki().leaf }));
  t.is(f.cause, 'malformed-private-key');
  t.is(f.remediation, KEY_ADVICE['certificate-not-key']);
});

test("malformed-private-key: an empty key in the secret, with the secret's read command and the install's fix", (t) => {
  const cluster = clusterOf({ secret: secretOf({ cert: pki().leaf, key: '' }) });
  const f = judgeIn(DIAGNOSE_CHECKS, 'private-key', diagnoseEvidence(cluster), diagnoseCtx(cluster));
  t.is(f.cause, 'malformed-private-key');
  t.regex(f.summary, /^secret "my-org-prod" key "key" is not a usable private key: /);
  t.is(f.commands[0], "kubectl -n apigee get secret my-org-prod -o jsonpath='{.data.key}' | base64 -d | openssl pkey -noout -passin pass:");
  t.is(f.remediation, `${KEY_ADVICE.empty}; then apply it: ${cluster.applyFix}`);
});

test('skip: check without --key', (t) => {
  const f = judgeIn(CHECK_CHECKS, 'private-key', materialOf({ cert: pki().leaf }));
  t.deepEqual(f, { check: 'private-key', status: 'skip', cause: null, summary: 'no private key given (--key FILE)', evidence: [], commands: [] });
});
