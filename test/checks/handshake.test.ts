// handshake: how a live TLS handshake ended, named with the playbook's curl symptoms.
import test from 'ava';
import { handshake } from '../../src/checks/handshake.js';
import { evidence } from '../../src/checks/inputs.js';
import { PROBE_CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { connected, ctx, judge, observation, pki, probeEvidence } from './helpers.js';

const S_CLIENT = 'openssl s_client -connect api.example.com:443 -servername api.example.com -showcerts </dev/null';
const NEXT =
  'the ingress has no usable certificate for this name: run `kubectl apigee-tls diagnose <envgroup>` for the env group that serves it (missing secret, malformed certificate, key mismatch)';

test('pass: the protocol and cipher, with the curl and openssl commands that repeat it', (t) => {
  const f = judge(handshake, probeEvidence(observation(connected(pki().leaf))));
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, 'TLSv1.3 handshake with api.example.com:443 (SNI api.example.com), cipher TLS_AES_256_GCM_SHA384');
  t.deepEqual(f.evidence, []);
  t.deepEqual(f.commands, ['curl -v https://api.example.com/', S_CLIENT]);
});

test("pass: Node's trust-store verdict is evidence, unless --ca was given", (t) => {
  const o = observation(connected(pki().leaf, { authorizationError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }));
  t.deepEqual(judge(handshake, probeEvidence(o)).evidence, ["verification by Node's default trust store: UNABLE_TO_GET_ISSUER_CERT_LOCALLY"]);
  t.deepEqual(judge(handshake, probeEvidence(o, { ca: pki().ca.certificatePem })).evidence, []);
});

test('pass: --connect-to shows in the curl command, and the address dialled in the summary', (t) => {
  const f = judge(handshake, probeEvidence(observation(connected(pki().leaf), { address: '10.0.0.7', port: 8443 })));
  t.is(f.summary, 'TLSv1.3 handshake with 10.0.0.7:8443 (SNI api.example.com), cipher TLS_AES_256_GCM_SHA384');
  t.is(f.commands[0], 'curl -v https://api.example.com:8443/ --connect-to api.example.com:8443:10.0.0.7:8443');
});

test('handshake-reset: "Connection reset by peer", and what to run next', (t) => {
  const f = judge(handshake, probeEvidence(observation({ kind: 'reset', message: 'read ECONNRESET' })));
  t.is(f.status, 'fail');
  t.is(f.cause, 'handshake-reset');
  t.is(f.summary, 'the server reset the connection during the handshake (curl: "Connection reset by peer"); api.example.com:443 (SNI api.example.com)');
  t.deepEqual(f.evidence, ['read ECONNRESET']);
  t.is(f.remediation, NEXT);
});

test('handshake-reset without SNI: the fix is a wildcard route for non-SNI clients', (t) => {
  const f = judge(handshake, probeEvidence(observation({ kind: 'reset', message: 'read ECONNRESET' }, { servername: null })));
  t.is(f.cause, 'handshake-reset');
  t.regex(f.summary, /; api\.example\.com:443 \(no SNI\)$/);
  t.is(f.commands[1], 'openssl s_client -connect api.example.com:443 -noservername -showcerts </dev/null');
  t.is(
    f.remediation,
    'clients that send no SNI need a wildcard ApigeeRoute (hostnames ["*"], enableNonSniClient: true) named in virtualhosts[].additionalGateways',
  );
});

test('handshake-closed: closed without an alert ("SSL_ERROR_SYSCALL")', (t) => {
  const f = judge(
    handshake,
    probeEvidence(observation({ kind: 'closed', message: 'Client network socket disconnected before secure TLS connection was established' })),
  );
  t.is(f.status, 'fail');
  t.is(f.cause, 'handshake-closed');
  t.regex(f.summary, /^the server closed the connection during the handshake without an alert \(curl: "SSL_ERROR_SYSCALL"\); /);
  t.is(f.remediation, NEXT);
});

test('handshake-alert: the alert by name and number, as curl prints it', (t) => {
  const message = 'C0D7:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:ssl/record/rec_layer_s3.c:1605:SSL alert number 40';
  const f = judge(handshake, probeEvidence(observation({ kind: 'alert', message, alertNumber: 40 })));
  t.is(f.status, 'fail');
  t.is(f.cause, 'handshake-alert');
  t.is(f.summary, 'the server sent the TLS alert handshake_failure (40) (curl: "alert handshake failure"); api.example.com:443 (SNI api.example.com)');
  t.deepEqual(f.evidence, [message]);
  // Without the alert's number (only Node's ERR_SSL_*_ALERT_* code) it is still an alert.
  const unnumbered = judge(handshake, probeEvidence(observation({ kind: 'alert', message: 'unknown ca', code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' })));
  t.is(unnumbered.cause, 'handshake-alert');
  t.is(unnumbered.summary, 'the server sent a TLS alert; api.example.com:443 (SNI api.example.com)');
  t.deepEqual(unnumbered.evidence, ['unknown ca']);
  // A number with no name is said as a number, with no made-up curl wording.
  const unnamed = judge(handshake, probeEvidence(observation({ kind: 'alert', message: 'SSL alert number 99', alertNumber: 99 })));
  t.is(unnamed.summary, 'the server sent the TLS alert number 99; api.example.com:443 (SNI api.example.com)');
});

test('error: no handshake at all (refused), no cause and no fix', (t) => {
  const f = judge(handshake, probeEvidence(observation({ kind: 'failed', message: 'connect ECONNREFUSED 127.0.0.1:443', code: 'ECONNREFUSED' })));
  t.is(f.status, 'error');
  t.is(f.cause, null);
  t.is(f.summary, 'no handshake: connect ECONNREFUSED 127.0.0.1:443; api.example.com:443 (SNI api.example.com)');
  t.deepEqual(f.evidence, ['code ECONNREFUSED']);
  t.is(f.remediation, undefined);
});

test('a failed handshake is the whole probe report: the served chain section is left out', (t) => {
  const findings = runChecks(PROBE_CHECKS, probeEvidence(observation({ kind: 'reset', message: 'read ECONNRESET' })), ctx());
  t.deepEqual(
    findings.map((f) => [f.check, f.status]),
    [['handshake', 'fail']],
  );
});

test('skip: no handshake observed', (t) => {
  t.is(judge(handshake, evidence({})).summary, 'not checked: no handshake');
});
