// chain-order: the leaf first, each certificate signed by the next.
import test from 'ava';
import { chainOrder } from '../../src/checks/chain-order.js';
import { CHECK_CHECKS } from '../../src/checks/registry.js';
import { rootCa } from '../helpers/scenarios.js';
import { judge, judgeIn, materialOf, NOW, pki } from './helpers.js';

const ORDER_COMMAND = 'openssl crl2pkcs7 -nocrl -certfile cert.pem | openssl pkcs7 -print_certs -noout';

test('pass: a single certificate, and a leaf followed by its issuer', (t) => {
  const single = judge(chainOrder, materialOf({ cert: pki().leaf }));
  t.is(single.status, 'pass');
  t.is(single.summary, 'a single certificate (no intermediates to order)');
  t.deepEqual(single.commands, [ORDER_COMMAND]);
  const two = judge(chainOrder, materialOf({ cert: pki().leaf + pki().ca.certificatePem }));
  t.is(two.status, 'pass');
  t.is(two.summary, 'leaf first, each of the 2 certificates signed by the next');
});

test('chain-order: the root first, so openssl and the ingress read the root as the certificate', (t) => {
  const f = judge(chainOrder, materialOf({ cert: pki().ca.certificatePem + pki().leaf }), { now: NOW, expiryWarningMs: 0, applyFix: 'apigeectl apply' });
  t.is(f.status, 'fail');
  t.is(f.cause, 'chain-order');
  t.is(f.summary, 'the leaf certificate is #1, not first: openssl and the ingress read "CN=Test Root CA" as the certificate');
  t.deepEqual(f.evidence, ['#0 subject "CN=Test Root CA" issued by "CN=Test Root CA" (CA)', '#1 subject "CN=api.example.com" issued by "CN=Test Root CA"']);
  t.is(f.remediation, 'order the PEM file leaf first, then each issuer in turn (intermediates; the root may be left out); then apply it: apigeectl apply');
});

test('chain-order: a certificate followed by one that did not sign it', (t) => {
  const stranger = rootCa('Stranger CA', NOW);
  const f = judge(chainOrder, materialOf({ cert: pki().leaf + stranger.certificatePem }));
  t.is(f.cause, 'chain-order');
  t.is(f.summary, 'certificate #0 "CN=api.example.com" is not signed by the next one, #1');
  t.deepEqual(f.evidence, ['#0 subject "CN=api.example.com" issued by "CN=Test Root CA"', '#1 subject "CN=Stranger CA" issued by "CN=Stranger CA" (CA)']);
});

test('skip: the certificate did not parse', (t) => {
  const f = judgeIn(CHECK_CHECKS, 'chain-order', materialOf({ cert: '-----BEGIN CERTIFICATE-----\nAAAA\n' }));
  t.deepEqual(f, { check: 'chain-order', status: 'skip', cause: null, summary: 'not checked: the certificate did not parse', evidence: [], commands: [] });
});
