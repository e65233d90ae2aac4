// curl-transcript: a saved `curl -v` transcript, each failure it shows reported under the check it
// belongs to, quoting the lines.
import test from 'ava';
import { curlTranscript } from '../../src/checks/curl-transcript.js';
import { evidence } from '../../src/checks/inputs.js';
import { CURL_LOG_CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { causeEntry } from '../../src/causes/catalog.js';
import type { CauseId, Finding, Status } from '../../src/report/finding.js';
import { readCurlTranscript } from '../../src/signatures/index.js';
import { ctx, findingOf, judge } from './helpers.js';

const transcript = (...lines: string[]): string =>
  ['*   Trying 10.0.0.7:443...', '* Connected to api.example.com (10.0.0.7) port 443', '* ALPN: curl offers h2,http/1.1', ...lines].join('\n');

const classify = (text: string): Finding[] => runChecks(CURL_LOG_CHECKS, evidence({ transcript: readCurlTranscript(text) }), ctx());

const CASES: Array<{ line: string; check: string; cause: CauseId; status: Status; signature: string }> = [
  {
    line: '* Recv failure: Connection reset by peer',
    check: 'handshake',
    cause: 'handshake-reset',
    status: 'fail',
    signature: 'curl-recv-failure-connection-reset',
  },
  {
    line: '* LibreSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.example.com:443',
    check: 'handshake',
    cause: 'handshake-closed',
    status: 'fail',
    signature: 'curl-libressl-ssl-error-syscall',
  },
  {
    line: '* TLSv1.3 (IN), TLS alert, handshake failure (552):',
    check: 'handshake',
    cause: 'handshake-alert',
    status: 'fail',
    signature: 'curl-tls-alert-handshake-failure',
  },
  {
    line: '* SSL certificate problem: certificate has expired',
    check: 'validity',
    cause: 'certificate-expired',
    status: 'fail',
    signature: 'curl-certificate-expired',
  },
  {
    line: '* SSL certificate problem: certificate is not yet valid',
    check: 'validity',
    cause: 'certificate-not-yet-valid',
    status: 'fail',
    signature: 'curl-certificate-not-yet-valid',
  },
  {
    line: "* SSL: no alternative certificate subject name matches target host name 'api.example.com'",
    check: 'hostnames',
    cause: 'hostname-not-covered',
    status: 'fail',
    signature: 'curl-no-alternative-subject-name',
  },
  {
    line: '* SSL certificate problem: unable to get local issuer certificate',
    check: 'served-chain-trust',
    cause: 'served-chain-untrusted',
    status: 'fail',
    signature: 'curl-unable-to-get-local-issuer',
  },
  {
    line: '* TLSv1.3 (IN), TLS alert, protocol version (582):',
    check: 'handshake',
    cause: 'tls-version-refused',
    status: 'fail',
    signature: 'curl-tls-alert-protocol-version',
  },
  {
    line: '* TLSv1.3 (IN), TLS alert, unknown (628):',
    check: 'handshake',
    cause: 'client-certificate-required',
    status: 'fail',
    signature: 'curl-tls-alert-certificate-required',
  },
];

for (const c of CASES) {
  test(`${c.cause}: reported under ${c.check}, quoting the line`, (t) => {
    const findings = classify(transcript(c.line));
    t.is(findings.length, 1, findings.map((f) => f.check).join(', '));
    const f = findingOf(findings, c.check);
    t.is(f.status, c.status);
    t.is(f.cause, c.cause);
    t.regex(f.summary, /^the transcript shows /);
    t.deepEqual(f.evidence, [`line 4: ${c.line}  (${c.signature})`]);
    t.deepEqual(f.commands, []);
    // The next step in the playbook's own tools, or the catalog's fix for the cause.
    t.true(/kubectl apigee-tls (diagnose|probe)/.test(f.remediation!) || f.remediation === causeEntry(c.cause).fix, f.remediation);
  });
}

/** Causes decided by curl's exit code and what it printed before it (not by one line). */
const BY_EXIT: Array<{ lines: string[]; cause: CauseId; summary: RegExp }> = [
  {
    lines: ["curl: (7) Failed to connect to api.example.com port 443 after 0 ms: Couldn't connect to server"],
    cause: 'connect-failed',
    summary: /TCP connection \(curl exit 7\)/,
  },
  { lines: ['curl: (28) Operation timed out after 10001 milliseconds with 0 bytes received'], cause: 'handshake-timeout', summary: /after "Connected to"/ },
  {
    lines: ['* error:0A00010B:SSL routines::wrong version number', 'curl: (35) error:0A00010B:SSL routines::wrong version number'],
    cause: 'not-tls',
    summary: /not TLS|plain-HTTP/,
  },
];

for (const c of BY_EXIT) {
  test(`${c.cause}: decided from curl's exit and its lines, under handshake`, (t) => {
    const f = findingOf(classify(transcript(...c.lines)), 'handshake');
    t.is(f.status, 'fail');
    t.is(f.cause, c.cause);
    t.regex(f.summary, c.summary);
    t.is(f.evidence.at(-1), `line ${3 + c.lines.length}: ${c.lines.at(-1)}  (${f.evidence.at(-1)!.match(/\(([^()]+)\)$/)![1]})`);
  });
}

test('every cause the check declares has a case here', (t) => {
  t.deepEqual([...curlTranscript.causes].sort(), [...CASES.map((c) => c.cause), ...BY_EXIT.map((c) => c.cause)].sort());
});

test('two failures in one transcript: one finding each, under their own checks', (t) => {
  const findings = classify(transcript('* SSL certificate problem: certificate has expired', '* Recv failure: Connection reset by peer'));
  t.is(findingOf(findings, 'validity').cause, 'certificate-expired');
  t.is(findingOf(findings, 'handshake').cause, 'handshake-reset');
  t.is(
    findingOf(findings, 'handshake').summary,
    'the transcript shows the server reset the connection during the TLS handshake (e.g. no certificate for the requested host name)',
  );
});

test('skip (its own): a transcript without a known TLS failure', (t) => {
  const findings = classify(transcript('< HTTP/2 200', '< content-type: application/json'));
  t.deepEqual(findings, [
    { check: 'curl-transcript', status: 'skip', cause: null, summary: 'no known TLS failure in the transcript', evidence: [], commands: [] },
  ]);
});

test('skip: no transcript', (t) => {
  t.is(judge(curlTranscript, evidence({})).summary, 'not checked: no transcript');
});
