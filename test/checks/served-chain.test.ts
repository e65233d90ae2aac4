// served-chain: what the server sent, certificate by certificate, then judged like a secret's chain.
import { X509Certificate } from 'node:crypto';
import test from 'ava';
import { PROBE_CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { servedChain } from '../../src/checks/served-chain.js';
import { evidence, type CheckInputs } from '../../src/checks/inputs.js';
import { servedChainInputs, servedSource } from '../../src/checks/served-inputs.js';
import type { HandshakeEnd } from '../../src/evidence/handshake.js';
import { indexAnchors, verifyServedChain } from '../../src/pki/index.js';
import { connected, ctx, findingOf, judge, observation, pki, probeEvidence } from './helpers.js';

test('pass: each certificate served, with its sha256 fingerprint', (t) => {
  const { leaf, ca } = pki();
  const f = judge(servedChain, probeEvidence(observation(connected(leaf + ca.certificatePem))));
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, 'the server sent 2 certificates; leaf "CN=api.example.com"');
  t.deepEqual(f.evidence, [
    '#0 subject "CN=api.example.com", issuer "CN=Test Root CA", SANs api.example.com *.apps.example.com, valid 2026-11-21T00:00:00Z to 2027-12-01T00:00:00Z',
    `   sha256 fingerprint ${new X509Certificate(leaf).fingerprint256}`,
    '#1 subject "CN=Test Root CA", issuer "CN=Test Root CA", no SANs, valid 2026-11-01T00:00:00Z to 2036-11-28T00:00:00Z',
    `   sha256 fingerprint ${new X509Certificate(ca.certificatePem).fingerprint256}`,
  ]);
  t.deepEqual(f.commands, ['openssl s_client -connect api.example.com:443 -servername api.example.com -showcerts </dev/null']);
});

/** The trust input as the pipeline builds it: the served chain verified against `anchors`. */
const trustFor = (served: string, anchors: string[], label: string): CheckInputs['trust'] => {
  const end = connected(served) as Extract<HandshakeEnd, { kind: 'connected' }>;
  const certs = servedChainInputs(servedSource(observation(end), end.chainDer))!.certificates!;
  return { verdict: verifyServedChain(certs, indexAnchors(anchors.map((a) => new X509Certificate(a)))), anchors: label };
};

test("the served chain is judged by the secret's checks, under their ids, with commands that rerun the handshake", (t) => {
  const { leaf, ca } = pki();
  const untrusted = runChecks(PROBE_CHECKS, probeEvidence(observation(connected(leaf)), { trust: trustFor(leaf, [], 'the system trust store') }), ctx());
  t.deepEqual(
    untrusted.map((f) => f.check),
    ['handshake', 'served-chain', 'chain-order', 'served-chain-trust', 'validity', 'hostnames', 'strength'],
  );
  const trust = findingOf(untrusted, 'served-chain-trust');
  t.is(trust.status, 'fail');
  t.is(trust.cause, 'served-chain-untrusted');
  t.regex(trust.summary, /^the served chain does not verify to the system trust store: "CN=api\.example\.com" was issued by "CN=Test Root CA"/);
  t.true(trust.commands[0]!.startsWith('openssl s_client -connect api.example.com:443 -servername api.example.com -showcerts'));
  t.is(findingOf(untrusted, 'hostnames').status, 'pass');
  const trusted = runChecks(
    PROBE_CHECKS,
    probeEvidence(observation(connected(leaf)), { ca: ca.certificatePem, trust: trustFor(leaf, [ca.certificatePem], 'the CA given with --ca') }),
    ctx(),
  );
  t.is(findingOf(trusted, 'served-chain-trust').status, 'pass');
});

test('a misordered served chain: chain-order fails, and the rest is judged on the real leaf', (t) => {
  const { leaf, ca } = pki();
  const findings = runChecks(PROBE_CHECKS, probeEvidence(observation(connected(ca.certificatePem + leaf))), ctx());
  t.is(findingOf(findings, 'chain-order').cause, 'chain-order');
  t.is(findingOf(findings, 'served-chain').summary, 'the server sent 2 certificates; leaf "CN=Test Root CA"');
  t.is(findingOf(findings, 'hostnames').status, 'pass', 'judged on #1, the real leaf');
  t.is(findingOf(findings, 'served-chain-trust').summary, 'not checked: no trust');
});

test('skip: no served chain', (t) => {
  t.is(judge(servedChain, evidence({})).summary, 'not checked: no certificates');
});
