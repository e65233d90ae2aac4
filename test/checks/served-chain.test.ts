// served-chain: what the server sent, certificate by certificate, then judged like a secret's chain.
import { X509Certificate } from 'node:crypto';
import test from 'ava';
import { PROBE_CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { servedChain } from '../../src/checks/served-chain.js';
import { evidence } from '../../src/checks/inputs.js';
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

test("the served chain is judged by the secret's checks, under their ids, with commands that rerun the handshake", (t) => {
  const findings = runChecks(PROBE_CHECKS, probeEvidence(observation(connected(pki().leaf))), ctx());
  t.deepEqual(
    findings.map((f) => f.check),
    ['handshake', 'served-chain', 'chain-order', 'chain-complete', 'validity', 'hostnames', 'strength'],
  );
  const complete = findingOf(findings, 'chain-complete');
  t.is(complete.cause, 'chain-incomplete');
  t.is(
    complete.commands[0],
    'openssl verify -untrusted <(openssl s_client -connect api.example.com:443 -servername api.example.com -showcerts </dev/null 2>/dev/null) <(openssl s_client -connect api.example.com:443 -servername api.example.com -showcerts </dev/null 2>/dev/null)',
  );
  t.is(findingOf(findings, 'hostnames').status, 'pass');
  const trusted = runChecks(PROBE_CHECKS, probeEvidence(observation(connected(pki().leaf)), { ca: pki().ca.certificatePem }), ctx());
  t.is(findingOf(trusted, 'chain-complete').status, 'pass');
});

test('a misordered served chain: chain-order fails, chain-complete waits for it', (t) => {
  const findings = runChecks(PROBE_CHECKS, probeEvidence(observation(connected(pki().ca.certificatePem + pki().leaf))), ctx());
  t.is(findingOf(findings, 'chain-order').cause, 'chain-order');
  t.is(findingOf(findings, 'chain-complete').summary, 'not checked: the chain is out of order (see chain-order)');
  t.is(findingOf(findings, 'served-chain').summary, 'the server sent 2 certificates; leaf "CN=Test Root CA"');
});

test('skip: no served chain', (t) => {
  t.is(judge(servedChain, evidence({})).summary, 'not checked: no certificates');
});
