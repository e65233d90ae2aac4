// `probe` end to end: the built bundle as a subprocess against real servers on 127.0.0.1 (node:tls
// and raw TCP servers that end the handshake each way an ingress gateway ends it, and
// `openssl s_server` as a server that is not Node), the simulated cluster for --envgroup, and
// `--from-curl-log` on the playbook's three curl samples and their OpenSSL-build equivalents
// (reference/signatures.md §1). Every certificate and key is minted at test time; every run is
// checked for leaked key lines and stack traces (helpers/scenarios.ts).
import { X509Certificate } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { apigeeCluster } from '../src/sim/index.js';
import { BUNDLE, REPO_ROOT, clusterFor, isolatedEnv, type RunResult } from './helpers/cluster.js';
import { tempDir } from './helpers/files.js';
import { iso, issue, type Issued } from './helpers/probe-pki.js';
import { assertClean, DAY, ecKey, finding, plant, rsaKey, run, runWith, verdicts, type DiagnosisJson, type FindingJson } from './helpers/scenarios.js';
import {
  alertServer,
  clientHelloServerName,
  closeServer,
  freePort,
  opensslServer,
  resetServer,
  sniRequiredServer,
  tlsServer,
  type LocalServer,
} from './helpers/tls-servers.js';

const HOST = 'api.example.com';
const OTHER_HOST = 'other.example.com';
const ORG = 'acme';
const ENVGROUP = 'prod';

const json = (r: RunResult): DiagnosisJson => JSON.parse(r.stdout) as DiagnosisJson;

// ---------------------------------------------------------------------------------------------
// PKI, minted once per test process. Dates are whole seconds (X.509 has no milliseconds), and
// lie half a day away from a day boundary so that "in N days" / "N days ago" are exact.

const now = Date.now();
const root = issue('Probe Test Root CA', rsaKey(), null, { from: now - 30 * DAY, to: now + 3650 * DAY, isCA: true });
const intermediate = issue('Probe Test Intermediate CA', rsaKey(), root, { from: now - 30 * DAY, to: now + 3650 * DAY, isCA: true });
const leafKey = rsaKey();
const otherKey = rsaKey();
const alertKey = ecKey();
const LEAF_KEY_PEM = plant(leafKey);
const OTHER_KEY_PEM = plant(otherKey);
const ALERT_KEY_PEM = plant(alertKey);
const VALID = { from: now - 10 * DAY, to: now + 365 * DAY + DAY / 2 };
/** Certificate A: the one the simulated cluster's secret holds. */
const leaf = issue(HOST, leafKey, intermediate, { sans: [HOST], ...VALID });
/** Certificate B: the same host, another key; what a gateway that missed a rotation serves. */
const otherLeaf = issue(HOST, otherKey, intermediate, { sans: [HOST], ...VALID });
const expiredLeaf = issue(HOST, leafKey, intermediate, { sans: [HOST], from: now - 400 * DAY, to: now - 30 * DAY - DAY / 2 });
const wrongHostLeaf = issue(OTHER_HOST, leafKey, intermediate, { sans: [OTHER_HOST], ...VALID });
const alertCert = issue(HOST, alertKey, null, { sans: [HOST], ...VALID });

const fingerprint = (c: Issued): string => new X509Certificate(c.pem).fingerprint256;

/** The served-chain evidence lines for a certificate, as the report prints them. */
function describe(c: Issued, index: number, issuer: string, sans: string[]): string[] {
  return [
    `#${index} subject "CN=${c.commonName}", issuer "CN=${issuer}"${sans.length ? `, SANs ${sans.join(' ')}` : ', no SANs'}, valid ${iso(c.notBefore)} to ${iso(c.notAfter)}`,
    `   sha256 fingerprint ${fingerprint(c)}`,
  ];
}

// ---------------------------------------------------------------------------------------------
// Running probe

interface Env {
  env: Record<string, string>;
  /** root.pem, the CA to pass with --ca. */
  rootFile: string;
  dir: string;
  /** $SSL_CERT_FILE: the system trust store of the run, which holds an unrelated root only. */
  systemBundle: string;
}

/** An isolated environment (no kubeconfig of the user's, a known system trust store) and the test root written to a file. */
function localEnv(t: ExecutionContext): Env {
  const dir = tempDir(t, 'apigee-tls-probe-');
  const systemBundle = dir.write('system-ca.pem', alertCert.pem);
  return { env: { ...isolatedEnv(dir.path), SSL_CERT_FILE: systemBundle }, rootFile: dir.write('root.pem', root.pem), dir: dir.path, systemBundle };
}

/** `probe api.example.com --connect-to 127.0.0.1:PORT …` */
const probeArgs = (port: number, ...more: string[]): string[] => ['probe', HOST, '--connect-to', `127.0.0.1:${port}`, '--timeout', '30s', ...more];

async function probeJson(t: ExecutionContext, e: Env, port: number, ...more: string[]): Promise<{ r: RunResult; d: DiagnosisJson }> {
  const r = await runWith(t, e.env, probeArgs(port, '-o', 'json', ...more));
  t.is(r.stderr, '', 'nothing on stderr');
  return { r, d: json(r) };
}

const curlCommand = (port: number): string => `curl -v https://${HOST}:${port}/ --connect-to ${HOST}:${port}:127.0.0.1:${port}`;
const sClient = (port: number, sni: string | null = HOST): string =>
  `openssl s_client -connect 127.0.0.1:${port} ${sni === null ? '-noservername' : `-servername ${sni}`} -showcerts </dev/null`;
const where = (port: number, sni: string | null = HOST): string => `127.0.0.1:${port} (${sni === null ? 'no SNI' : `SNI ${sni}`})`;

const CONNECT_FIX =
  'check the address and port of the ingress: its Service (kubectl -n <ns> get svc -l app=apigee-ingressgateway) or load balancer, the DNS name of the env group host, and the firewalls on the way';
const DIAGNOSE_NEXT =
  'the ingress has no usable certificate for this name: run `kubectl apigee-tls diagnose <envgroup>` for the env group that serves it (missing secret, malformed certificate, key mismatch)';
const NON_SNI_NEXT =
  'clients that send no SNI need a wildcard ApigeeRoute (hostnames ["*"], enableNonSniClient: true) named in virtualhosts[].additionalGateways';

/** The report of a handshake that failed: only the handshake finding, and the target. */
function assertFailedHandshake(t: ExecutionContext, d: DiagnosisJson, port: number, sni: string | null = HOST): FindingJson {
  t.deepEqual(d.target, { host: HOST, port, sni });
  t.is(d.result, 'problems-found');
  t.is(d.findings.length, 1);
  return finding(d, 'handshake');
}

// ---------------------------------------------------------------------------------------------
// The three ways a handshake fails, against real servers

test('a server that resets the connection after the ClientHello is handshake-reset (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await resetServer(t);
  const { r, d } = await probeJson(t, e, server.port);
  t.is(r.exitCode, 1);
  t.is(server.connections(), 1);
  t.deepEqual(assertFailedHandshake(t, d, server.port), {
    check: 'handshake',
    status: 'fail',
    cause: 'handshake-reset',
    summary: `the server reset the connection during the handshake (curl: "Connection reset by peer"); ${where(server.port)}`,
    evidence: ['read ECONNRESET'],
    commands: [curlCommand(server.port), sClient(server.port)],
    remediation: DIAGNOSE_NEXT,
  });
});

test('a server that answers with a handshake_failure alert is handshake-alert, named "handshake_failure (40)" (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await alertServer(t, ALERT_KEY_PEM, alertCert.pem);
  const { r, d } = await probeJson(t, e, server.port);
  t.is(r.exitCode, 1);
  const f = assertFailedHandshake(t, d, server.port);
  // The evidence is OpenSSL's own line: its thread id and source line number vary by build.
  t.is(f.evidence.length, 1);
  t.regex(f.evidence[0]!, /^[0-9A-F]+:error:0A000410:SSL routines:[a-z0-9_]*:sslv3 alert handshake failure:[^:]+:\d+:SSL alert number 40$/);
  t.deepEqual(
    { ...f, evidence: [] },
    {
      check: 'handshake',
      status: 'fail',
      cause: 'handshake-alert',
      summary: `the server sent the TLS alert handshake_failure (40) (curl: "alert handshake failure"); ${where(server.port)}`,
      evidence: [],
      commands: [curlCommand(server.port), sClient(server.port)],
      remediation: DIAGNOSE_NEXT,
    },
  );
});

test('a server that closes the connection without an alert is handshake-closed (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await closeServer(t);
  const { r, d } = await probeJson(t, e, server.port);
  t.is(r.exitCode, 1);
  t.deepEqual(assertFailedHandshake(t, d, server.port), {
    check: 'handshake',
    status: 'fail',
    cause: 'handshake-closed',
    summary: `the server closed the connection during the handshake without an alert (curl: "SSL_ERROR_SYSCALL"); ${where(server.port)}`,
    evidence: ['Client network socket disconnected before secure TLS connection was established'],
    commands: [curlCommand(server.port), sClient(server.port)],
    remediation: DIAGNOSE_NEXT,
  });
});

test('a closed port is connect-failed: no TCP connection (exit 1)', async (t) => {
  const e = localEnv(t);
  const port = await freePort(); // nothing listens there any more
  const { r, d } = await probeJson(t, e, port);
  t.is(r.exitCode, 1);
  t.deepEqual(d, {
    apiVersion: 'apigee-tls/v1',
    kind: 'Diagnosis',
    target: { host: HOST, port, sni: HOST },
    result: 'problems-found',
    findings: [
      {
        check: 'handshake',
        status: 'fail',
        cause: 'connect-failed',
        summary: `no TCP connection: connection refused: nothing listens on the port; ${where(port)}`,
        evidence: [`connect ECONNREFUSED 127.0.0.1:${port}`],
        commands: [curlCommand(port), sClient(port)],
        remediation: CONNECT_FIX,
      },
    ],
  });
});

test('the failures read the same in the text report', async (t) => {
  const e = localEnv(t);
  const server = await resetServer(t);
  const r = await runWith(t, e.env, probeArgs(server.port));
  t.is(r.exitCode, 1);
  t.is(r.stderr, '');
  t.deepEqual(r.stdout.split('\n'), [
    `Host ${HOST}:${server.port}`,
    `  sni ${HOST}`,
    '',
    `FAIL   handshake      the server reset the connection during the handshake (curl: "Connection reset by peer"); ${where(server.port)}  [handshake-reset]`,
    '       read ECONNRESET',
    `       $ ${curlCommand(server.port)}`,
    `       $ ${sClient(server.port)}`,
    `       fix: ${DIAGNOSE_NEXT}`,
    '',
    'Result: problems found (1 failed, 0 warnings, 0 errors, 0 passed, 0 skipped)',
    '',
  ]);
});

// ---------------------------------------------------------------------------------------------
// A handshake that succeeds: the served chain, judged like a secret's

const SERVED_CHAIN_EVIDENCE = (served: Issued): string[] => [
  ...describe(served, 0, intermediate.commonName, [HOST]),
  ...describe(intermediate, 1, root.commonName, []),
];

/** Without --ca the test root is in no trust store: curl fails with exit 60, so does the probe. */
const UNTRUSTED_WITHOUT_CA = (port: number, systemBundle: string): FindingJson => ({
  check: 'served-chain-trust',
  status: 'fail',
  cause: 'served-chain-untrusted',
  summary: `the served chain does not verify to the system's trust store (${systemBundle}) and Node's bundled roots: "CN=${intermediate.commonName}" was issued by "CN=${root.commonName}", which the server did not send and is not a trust anchor (curl exit 60: "unable to get local issuer certificate")`,
  evidence: [`path: "CN=${HOST}" → "CN=${intermediate.commonName}"`],
  commands: [`openssl s_client -connect 127.0.0.1:${port} -servername ${HOST} -showcerts -verify_return_error </dev/null`],
  remediation: `put the intermediate "CN=${root.commonName}" (and any above it) in the secret's chain after the leaf, e.g. the issuer's fullchain.pem; if "CN=${root.commonName}" is a private root, clients need it as their CA (curl --cacert)`,
});

const withoutCommands = ({ commands: _commands, ...rest }: FindingJson): Omit<FindingJson, 'commands'> => rest;

/** Without --ca: every check passes but served-chain-trust (the test root is in no trust store). */
function assertServedWithoutCa(t: ExecutionContext, d: DiagnosisJson, port: number, systemBundle: string): void {
  t.deepEqual(d.target, { host: HOST, port, sni: HOST });
  t.is(d.result, 'problems-found');
  t.deepEqual(verdicts(d), [
    'handshake pass',
    'served-chain pass',
    'chain-order pass',
    'served-chain-trust fail served-chain-untrusted',
    'validity pass',
    'hostnames pass',
    'strength pass',
  ]);
  const handshake = finding(d, 'handshake');
  t.regex(handshake.summary, new RegExp(`^TLSv1\\.3 handshake with 127\\.0\\.0\\.1:${port} \\(SNI ${HOST.replace(/\./g, '\\.')}\\), cipher TLS_[A-Z0-9_]+$`));
  t.deepEqual(handshake.evidence, ["verification by Node's default trust store: UNABLE_TO_GET_ISSUER_CERT_LOCALLY"]);
  t.deepEqual(handshake.commands, [curlCommand(port), sClient(port)]);
  t.deepEqual(finding(d, 'served-chain'), {
    check: 'served-chain',
    status: 'pass',
    cause: null,
    summary: `the server sent 2 certificates; leaf "CN=${HOST}"`,
    evidence: SERVED_CHAIN_EVIDENCE(leaf),
    commands: [sClient(port)],
  });
  t.deepEqual(finding(d, 'served-chain-trust'), UNTRUSTED_WITHOUT_CA(port, systemBundle));
  t.is(finding(d, 'validity').summary, `valid now; the leaf expires ${iso(leaf.notAfter)} (in 365 days)`);
  t.is(finding(d, 'hostnames').summary, `the leaf covers ${HOST}`);
}

/** With --ca root.pem: the chain the server sent (leaf + intermediate) ends below a trusted root. */
function assertServedWithCa(t: ExecutionContext, d: DiagnosisJson, port: number, rootFile: string): void {
  t.is(d.result, 'healthy');
  t.deepEqual(verdicts(d), [
    'handshake pass',
    'served-chain pass',
    'chain-order pass',
    'served-chain-trust pass',
    'validity pass',
    'hostnames pass',
    'strength pass',
  ]);
  t.deepEqual(finding(d, 'handshake').evidence, [], 'the chain verifies against --ca');
  // What the server SENT: two certificates, not the path Node built with the --ca root appended.
  t.deepEqual(finding(d, 'served-chain'), {
    check: 'served-chain',
    status: 'pass',
    cause: null,
    summary: `the server sent 2 certificates; leaf "CN=${HOST}"`,
    evidence: SERVED_CHAIN_EVIDENCE(leaf),
    commands: [sClient(port)],
  });
  t.is(finding(d, 'chain-order').summary, 'leaf first, each of the 2 certificates signed by the next');
  t.deepEqual(finding(d, 'served-chain-trust'), {
    check: 'served-chain-trust',
    status: 'pass',
    cause: null,
    summary: `the served chain verifies to "CN=${root.commonName}" (the CA given with --ca (${rootFile}))`,
    evidence: [`path: "CN=${HOST}" → "CN=${intermediate.commonName}"`],
    commands: [`openssl s_client -connect 127.0.0.1:${port} -servername ${HOST} -showcerts -CAfile ${rootFile} -verify_return_error </dev/null`],
  });
}

test('a node:tls server with leaf + intermediate of a private root, without --ca: served-chain-untrusted, as curl exit 60 (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem + intermediate.pem });
  const { r, d } = await probeJson(t, e, server.port);
  t.is(r.exitCode, 1);
  assertServedWithoutCa(t, d, server.port, e.systemBundle);
});

test('a node:tls server with leaf + intermediate and --ca root.pem: the served chain is complete', async (t) => {
  const e = localEnv(t);
  const server = await tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem + intermediate.pem });
  const { r, d } = await probeJson(t, e, server.port, '--ca', e.rootFile);
  t.is(r.exitCode, 0);
  assertServedWithCa(t, d, server.port, e.rootFile);
});

test('openssl s_server with leaf + intermediate: the same verdicts as node:tls, without and with --ca', async (t) => {
  const e = localEnv(t);
  const server = await opensslServer(t, { dir: e.dir, leafPem: leaf.pem, chainPem: intermediate.pem, keyPem: LEAF_KEY_PEM });
  const without = await probeJson(t, e, server.port);
  t.is(without.r.exitCode, 1);
  assertServedWithoutCa(t, without.d, server.port, e.systemBundle);
  const withCa = await probeJson(t, e, server.port, '--ca', e.rootFile);
  t.is(withCa.r.exitCode, 0);
  assertServedWithCa(t, withCa.d, server.port, e.rootFile);
});

test('a server that sends only its leaf, probed with --ca root.pem: served-chain-untrusted in the text report (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem });
  const r = await runWith(t, e.env, probeArgs(server.port, '--ca', e.rootFile));
  t.is(r.exitCode, 1);
  t.is(r.stderr, '');
  const lines = r.stdout.split('\n');
  t.regex(
    lines[3]!,
    new RegExp(`^PASS   handshake      TLSv1\\.3 handshake with 127\\.0\\.0\\.1:${server.port} \\(SNI api\\.example\\.com\\), cipher TLS_[A-Z0-9_]+$`),
  );
  t.deepEqual(
    [...lines.slice(0, 3), ...lines.slice(4)],
    [
      `Host ${HOST}:${server.port}`,
      `  sni ${HOST}`,
      '',
      `PASS   served-chain   the server sent 1 certificate; leaf "CN=${HOST}"`,
      'PASS   chain-order    a single certificate (no intermediates to order)',
      `FAIL   served-chain-trust the served chain does not verify to the CA given with --ca (${e.rootFile}): "CN=${HOST}" was issued by "CN=${intermediate.commonName}", which the server did not send and is not a trust anchor (curl exit 60: "unable to get local issuer certificate")  [served-chain-untrusted]`,
      `       path: "CN=${HOST}"`,
      `       $ openssl s_client -connect 127.0.0.1:${server.port} -servername ${HOST} -showcerts -CAfile ${e.rootFile} -verify_return_error </dev/null`,
      `       fix: put the intermediate "CN=${intermediate.commonName}" (and any above it) in the secret's chain after the leaf, e.g. the issuer's fullchain.pem; if "CN=${intermediate.commonName}" is a private root, clients need it as their CA (curl --cacert)`,
      `PASS   validity       valid now; the leaf expires ${iso(leaf.notAfter)} (in 365 days)`,
      `PASS   hostnames      the leaf covers ${HOST}`,
      'PASS   strength       sha256WithRSAEncryption signature, RSA 2048-bit key',
      '',
      'Result: problems found (1 failed, 0 warnings, 0 errors, 6 passed, 0 skipped)',
      '',
    ],
  );
});

test('a served chain out of order is judged as it was served: three certificates, chain-order fail (exit 1)', async (t) => {
  const e = localEnv(t);
  // leaf, root, intermediate: OpenSSL sends the extra certificates in the order given.
  const server = await tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem + root.pem + intermediate.pem });
  const { r, d } = await probeJson(t, e, server.port);
  t.is(r.exitCode, 1);
  t.deepEqual(finding(d, 'served-chain').evidence, [
    ...describe(leaf, 0, intermediate.commonName, [HOST]),
    ...describe(root, 1, root.commonName, []),
    ...describe(intermediate, 2, root.commonName, []),
  ]);
  t.deepEqual(withoutCommands(finding(d, 'chain-order')), {
    check: 'chain-order',
    status: 'fail',
    cause: 'chain-order',
    summary: `certificate #0 "CN=${HOST}" is not signed by the next one, #1`,
    evidence: [
      `#0 subject "CN=${HOST}" issued by "CN=${intermediate.commonName}"`,
      `#1 subject "CN=${root.commonName}" issued by "CN=${root.commonName}" (CA)`,
      `#2 subject "CN=${intermediate.commonName}" issued by "CN=${root.commonName}" (CA)`,
    ],
    remediation: 'order the PEM file leaf first, then each issuer in turn (intermediates; the root may be left out)',
  });
});

// ---------------------------------------------------------------------------------------------
// What is served is wrong

test('a server with an expired certificate: the handshake passes, validity fails with certificate-expired (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await tlsServer(t, { key: LEAF_KEY_PEM, cert: expiredLeaf.pem + intermediate.pem });
  const { r, d } = await probeJson(t, e, server.port, '--ca', e.rootFile);
  t.is(r.exitCode, 1);
  t.is(d.result, 'problems-found');
  t.deepEqual(verdicts(d), [
    'handshake pass',
    'served-chain pass',
    'chain-order pass',
    'served-chain-trust pass',
    'validity fail certificate-expired',
    'hostnames pass',
    'strength pass',
  ]);
  // With --ca, trust is the chain check's to judge; Node's default-store verdict is not shown.
  t.deepEqual(finding(d, 'handshake').evidence, []);
  t.deepEqual(finding(d, 'served-chain').evidence.slice(0, 2), describe(expiredLeaf, 0, intermediate.commonName, [HOST]));
  t.deepEqual(withoutCommands(finding(d, 'validity')), {
    check: 'validity',
    status: 'fail',
    cause: 'certificate-expired',
    summary: `the leaf certificate "CN=${HOST}" has expired`,
    evidence: [`#0 "CN=${HOST}" expired ${iso(expiredLeaf.notAfter)} (30 days ago)`],
    remediation: 'renew the certificate and replace it',
  });
});

const HOSTNAME_NOT_COVERED: Omit<FindingJson, 'commands'> = {
  check: 'hostnames',
  status: 'fail',
  cause: 'hostname-not-covered',
  summary: `the leaf "CN=${OTHER_HOST}" does not cover ${HOST}`,
  evidence: [`SANs: DNS:${OTHER_HOST}`, `not covered: ${HOST}`],
  remediation: `reissue the certificate with subjectAltName entries for ${HOST}`,
};

test('a node:tls server with a certificate for another host: hostname-not-covered (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await tlsServer(t, { key: LEAF_KEY_PEM, cert: wrongHostLeaf.pem + intermediate.pem });
  const { r, d } = await probeJson(t, e, server.port, '--ca', e.rootFile);
  t.is(r.exitCode, 1);
  t.deepEqual(verdicts(d), [
    'handshake pass',
    'served-chain pass',
    'chain-order pass',
    'served-chain-trust pass',
    'validity pass',
    'hostnames fail hostname-not-covered',
    'strength pass',
  ]);
  t.deepEqual(withoutCommands(finding(d, 'hostnames')), HOSTNAME_NOT_COVERED);
  t.deepEqual(finding(d, 'hostnames').commands, [`${sClient(server.port)} 2>/dev/null | openssl x509 -noout -ext subjectAltName`]);
});

test('openssl s_server with a certificate for another host: hostname-not-covered (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await opensslServer(t, { dir: e.dir, leafPem: wrongHostLeaf.pem, chainPem: intermediate.pem, keyPem: LEAF_KEY_PEM });
  const { r, d } = await probeJson(t, e, server.port, '--ca', e.rootFile);
  t.is(r.exitCode, 1);
  t.deepEqual(verdicts(d), [
    'handshake pass',
    'served-chain pass',
    'chain-order pass',
    'served-chain-trust pass',
    'validity pass',
    'hostnames fail hostname-not-covered',
    'strength pass',
  ]);
  t.deepEqual(finding(d, 'served-chain').evidence, [
    ...describe(wrongHostLeaf, 0, intermediate.commonName, [OTHER_HOST]),
    ...describe(intermediate, 1, root.commonName, []),
  ]);
  t.deepEqual(withoutCommands(finding(d, 'hostnames')), HOSTNAME_NOT_COVERED);
});

// ---------------------------------------------------------------------------------------------
// SNI

test('a server that requires SNI: the handshake passes with SNI and is handshake-reset with --no-sni', async (t) => {
  const e = localEnv(t);
  const server = await sniRequiredServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem + intermediate.pem });

  const withSni = await probeJson(t, e, server.port, '--ca', e.rootFile);
  t.is(withSni.r.exitCode, 0);
  t.deepEqual(verdicts(withSni.d), [
    'handshake pass',
    'served-chain pass',
    'chain-order pass',
    'served-chain-trust pass',
    'validity pass',
    'hostnames pass',
    'strength pass',
  ]);

  const noSni = await probeJson(t, e, server.port, '--no-sni');
  t.is(noSni.r.exitCode, 1);
  t.deepEqual(assertFailedHandshake(t, noSni.d, server.port, null), {
    check: 'handshake',
    status: 'fail',
    cause: 'handshake-reset',
    summary: `the server reset the connection during the handshake (curl: "Connection reset by peer"); ${where(server.port, null)}`,
    evidence: ['read ECONNRESET'],
    commands: [curlCommand(server.port), sClient(server.port, null)],
    remediation: NON_SNI_NEXT,
  });
});

test('the SNI test server reads server_name from a real ClientHello', (t) => {
  // A minimal TLS 1.2 ClientHello with server_name "api.example.com", and the same without it.
  const name = Buffer.from(HOST, 'latin1');
  const sni = Buffer.concat([Buffer.from([0x00, 0x00]), u16(name.length + 5), u16(name.length + 3), Buffer.from([0x00]), u16(name.length), name]);
  const hello = (extensions: Buffer): Buffer => {
    const body = Buffer.concat([
      Buffer.from([0x03, 0x03]),
      Buffer.alloc(32),
      Buffer.from([0x00]),
      u16(2),
      Buffer.from([0xc0, 0x2f]),
      Buffer.from([0x01, 0x00]),
      u16(extensions.length),
      extensions,
    ]);
    const handshake = Buffer.concat([Buffer.from([0x01, 0x00]), u16(body.length), body]);
    return Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), u16(handshake.length), handshake]);
  };
  t.is(clientHelloServerName(hello(sni)), HOST);
  t.is(clientHelloServerName(hello(Buffer.alloc(0))), '');
  t.is(clientHelloServerName(hello(sni).subarray(0, 20)), null);
});

const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};

// ---------------------------------------------------------------------------------------------
// --envgroup: the served certificate against the simulated cluster's secret

test('--envgroup: a gateway serving another certificate than the secret is served-certificate-differs; the same one passes', async (t) => {
  const scenario = apigeeCluster({
    org: ORG,
    envgroups: [{ name: ENVGROUP, hostnames: [HOST], secret: { cert: leaf.pem + intermediate.pem, key: LEAF_KEY_PEM } }],
  });
  const c = await clusterFor(t, scenario.objects, scenario.logs);
  const rootFile = tempDir(t, 'apigee-tls-probe-').write('root.pem', root.pem);
  const envgroupArgs = ['--envgroup', ENVGROUP, '--org', ORG, '--ca', rootFile];

  const stale = await tlsServer(t, { key: OTHER_KEY_PEM, cert: otherLeaf.pem + intermediate.pem });
  const differs = await run(t, c, probeArgs(stale.port, '-o', 'json', ...envgroupArgs));
  t.is(differs.exitCode, 1);
  const dd = json(differs);
  t.is(dd.result, 'problems-found');
  t.deepEqual(verdicts(dd), [
    'handshake pass',
    'served-chain pass',
    'chain-order pass',
    'served-chain-trust pass',
    'validity pass',
    'hostnames pass',
    'strength pass',
    'served-certificate fail served-certificate-differs',
  ]);
  t.deepEqual(finding(dd, 'served-certificate'), {
    check: 'served-certificate',
    status: 'fail',
    cause: 'served-certificate-differs',
    summary: `the gateway serves "CN=${HOST}", not the leaf of secret "${ORG}-${ENVGROUP}" ("CN=${HOST}")`,
    evidence: [
      `served: sha256 ${fingerprint(otherLeaf)}, valid until ${otherLeaf.notAfter.toISOString()}`,
      `secret: sha256 ${fingerprint(leaf)}, valid until ${leaf.notAfter.toISOString()}`,
    ],
    commands: [sClient(stale.port)],
    remediation:
      'the ingress has not picked up the secret: check the route config and the ingress gateway logs, then restart the ingress gateway pods (kubectl -n apigee rollout restart deployment -l app=apigee-ingressgateway)',
  });

  const current = await tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem + intermediate.pem });
  const same = await run(t, c, probeArgs(current.port, '-o', 'json', ...envgroupArgs));
  t.is(same.exitCode, 0);
  const ds = json(same);
  t.is(ds.result, 'healthy');
  t.deepEqual(finding(ds, 'served-certificate'), {
    check: 'served-certificate',
    status: 'pass',
    cause: null,
    summary: `the gateway serves the leaf of secret "${ORG}-${ENVGROUP}"`,
    evidence: [`sha256 fingerprint ${fingerprint(leaf)}`],
    commands: [sClient(current.port)],
  });
});

// ---------------------------------------------------------------------------------------------
// Usage errors: nothing is run

const usageError = async (t: ExecutionContext, args: string[], message: string): Promise<void> => {
  const e = localEnv(t);
  const r = await runWith(t, e.env, args);
  t.is(r.exitCode, 2, args.join(' '));
  t.is(r.stdout, '', args.join(' '));
  t.is(r.stderr, `error: ${message}\nSee 'kubectl apigee-tls probe --help' for usage.\n`, args.join(' '));
};

test('an invalid host is a usage error (exit 2)', async (t) => {
  await usageError(t, ['probe', 'a;b'], 'invalid hostname "a;b"');
});

test('--sni with --no-sni is a usage error (exit 2), in either order', async (t) => {
  // 127.0.0.1:9 (discard) is never dialled: a usage error runs nothing.
  await usageError(t, ['probe', HOST, '--connect-to', '127.0.0.1:9', '--sni', 'x', '--no-sni'], '--sni and --no-sni do not go together');
  await usageError(t, ['probe', HOST, '--connect-to', '127.0.0.1:9', '--no-sni', '--sni', 'x'], '--sni and --no-sni do not go together');
});

test('--sni given twice is a usage error (exit 2), like every other single-valued flag', async (t) => {
  await usageError(t, ['probe', HOST, '--connect-to', '127.0.0.1:9', '--sni', 'a.example.com', '--sni', 'b.example.com'], '--sni was given more than once');
});

// ---------------------------------------------------------------------------------------------
// --from-curl-log: transcripts

/** The playbook's three samples (PLAYBOOK.md, macOS curl with LibreSSL 3.3.6), verbatim. */
const PLAYBOOK_CLOSED = [
  '* TLSv1.2 (OUT), TLS handshake, Client hello (1):',
  '* LibreSSL SSL_connect: SSL_ERROR_SYSCALL in connection to example.apis.com:443',
  '* Closing connection 0',
  'curl: (35) LibreSSL SSL_connect: SSL_ERROR_SYSCALL in connection to example.apis.com:443',
];
const PLAYBOOK_RESET = [
  '* (304) (OUT), TLS handshake, Client hello (1):',
  '* Recv failure: Connection reset by peer',
  '* LibreSSL/3.3.6: error:02FFF036:system library:func(4095):Connection reset by peer',
  '* Closing connection',
  'curl: (35) Recv failure: Connection reset by peer',
];
const PLAYBOOK_ALERT = [
  '* (304) (OUT), TLS handshake, Client hello (1):',
  '* LibreSSL/3.3.6: error:1404B410:SSL routines:ST_CONNECT:sslv3 alert handshake failure',
  '* Closing connection',
  'curl: (35) LibreSSL/3.3.6: error:1404B410:SSL routines:ST_CONNECT:sslv3 alert handshake failure',
];

/** The same three from curl 7.88.1 / OpenSSL 3.0.19 (reference/signatures.md §1). */
const OPENSSL_RESET = [
  '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
  '* Recv failure: Connection reset by peer',
  '* OpenSSL SSL_connect: Connection reset by peer in connection to api.example.com:443 ',
  '* Closing connection 0',
  'curl: (35) Recv failure: Connection reset by peer',
];
const OPENSSL_ALERT = [
  '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
  '* TLSv1.3 (IN), TLS alert, handshake failure (552):',
  '* OpenSSL/3.0.19: error:0A000410:SSL routines::sslv3 alert handshake failure',
  '* Closing connection 0',
  'curl: (35) OpenSSL/3.0.19: error:0A000410:SSL routines::sslv3 alert handshake failure',
];
const OPENSSL_CLOSED = [
  '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
  '* OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.example.com:443 ',
  '* Closing connection 0',
  'curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.example.com:443 ',
];
/** curl built with OpenSSL 1.x (reference/signatures.md §1). */
const OPENSSL1_ALERT = [
  '* TLSv1.2 (OUT), TLS handshake, Client hello (1):',
  'curl: (35) error:14094410:SSL routines:SSL3_READ_BYTES:sslv3 alert handshake failure',
];

const VERIFY_PREFIX = [
  '*   Trying 127.0.0.1:443...',
  '* Connected to api.example.com (127.0.0.1) port 443 (#0)',
  '* ALPN: offers h2,http/1.1',
  '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
  '*  CAfile: /etc/ssl/certs/ca-certificates.crt',
  '*  CApath: /etc/ssl/certs',
  '* TLSv1.3 (IN), TLS handshake, Server hello (2):',
  '* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):',
  '* TLSv1.3 (IN), TLS handshake, Certificate (11):',
];
/** curl exit 60 on an expired certificate (observed curl 7.88.1, as printed). */
const CURL_EXPIRED = [
  ...VERIFY_PREFIX,
  '* TLSv1.3 (OUT), TLS alert, certificate expired (557):',
  '* SSL certificate problem: certificate has expired',
  '* Closing connection 0',
  'curl: (60) SSL certificate problem: certificate has expired',
  'More details here: https://curl.se/docs/sslcerts.html',
];
/** curl exit 60 on a certificate whose SANs do not cover the host. */
const CURL_SAN_MISMATCH = [
  ...VERIFY_PREFIX,
  '* TLSv1.3 (IN), TLS handshake, CERT verify (15):',
  '* TLSv1.3 (IN), TLS handshake, Finished (20):',
  '* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384',
  '* Server certificate:',
  '*  subject: CN=other.example.com',
  '*  subjectAltName does not match api.example.com',
  "* SSL: no alternative certificate subject name matches target host name 'api.example.com'",
  '* Closing connection 0',
  "curl: (60) SSL: no alternative certificate subject name matches target host name 'api.example.com'",
];
/** curl exit 60 on a CN-only certificate for another name (signatures.md §1). */
const CURL_CN_MISMATCH = ["curl: (60) SSL: certificate subject name 'other.example.com' does not match target host name 'api.example.com'"];
/** A healthy request: nothing to classify. */
const CURL_OK = [
  ...VERIFY_PREFIX,
  '* TLSv1.3 (IN), TLS handshake, CERT verify (15):',
  '* TLSv1.3 (IN), TLS handshake, Finished (20):',
  '* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384',
  '* Server certificate:',
  '*  subject: CN=api.example.com',
  '*  subjectAltName: host "api.example.com" matched cert\'s "api.example.com"',
  '*  SSL certificate verify ok.',
  '> GET / HTTP/1.1',
  '> Host: api.example.com',
  '< HTTP/1.1 200 OK',
  '< content-length: 0',
  '* Connection #0 to host api.example.com left intact',
];

const HANDSHAKE_NEXT =
  'the ingress had no usable certificate for the name: run kubectl apigee-tls diagnose <envgroup> (ingress-secret, certificate, key-match)';
const ALERT_NEXT =
  'run kubectl apigee-tls diagnose <envgroup> (certificate, key-match, mtls-ca), and kubectl apigee-tls probe <host> to see what the gateway serves';

interface TranscriptCase {
  name: string;
  lines: string[];
  /** The one finding expected, without `commands` (always empty for a transcript). */
  expected: Omit<FindingJson, 'commands'>;
}

/** `line N: TEXT  (signature id)`: how the report quotes a transcript line. */
const quote = (lines: string[], n: number, id: string): string => `line ${n}: ${lines[n - 1]!}  (${id})`;

const TRANSCRIPTS: TranscriptCase[] = [
  {
    name: "the playbook's SSL_ERROR_SYSCALL sample (LibreSSL)",
    lines: PLAYBOOK_CLOSED,
    expected: {
      check: 'handshake',
      status: 'fail',
      cause: 'handshake-closed',
      summary: 'the transcript shows the server closed the connection during the TLS handshake without sending an alert (curl with LibreSSL)',
      evidence: [quote(PLAYBOOK_CLOSED, 2, 'curl-libressl-ssl-error-syscall'), quote(PLAYBOOK_CLOSED, 4, 'curl-libressl-ssl-error-syscall')],
      remediation: HANDSHAKE_NEXT,
    },
  },
  {
    name: "the playbook's connection-reset sample (LibreSSL)",
    lines: PLAYBOOK_RESET,
    expected: {
      check: 'handshake',
      status: 'fail',
      cause: 'handshake-reset',
      summary: 'the transcript shows the server reset the connection during the TLS handshake (e.g. no certificate for the requested host name)',
      evidence: [
        quote(PLAYBOOK_RESET, 2, 'curl-recv-failure-connection-reset'),
        quote(PLAYBOOK_RESET, 3, 'libressl-connection-reset'),
        quote(PLAYBOOK_RESET, 5, 'curl-recv-failure-connection-reset'),
      ],
      remediation: HANDSHAKE_NEXT,
    },
  },
  {
    name: "the playbook's handshake-failure alert sample (LibreSSL)",
    lines: PLAYBOOK_ALERT,
    expected: {
      check: 'handshake',
      status: 'fail',
      cause: 'handshake-alert',
      summary: 'the transcript shows the server answered the TLS handshake with a handshake_failure alert (LibreSSL)',
      evidence: [quote(PLAYBOOK_ALERT, 2, 'libressl-alert-handshake-failure'), quote(PLAYBOOK_ALERT, 4, 'libressl-alert-handshake-failure')],
      remediation: ALERT_NEXT,
    },
  },
  {
    name: 'a connection reset (curl with OpenSSL 3)',
    lines: OPENSSL_RESET,
    expected: {
      check: 'handshake',
      status: 'fail',
      cause: 'handshake-reset',
      summary: 'the transcript shows the server reset the connection during the TLS handshake (e.g. no certificate for the requested host name)',
      evidence: [
        quote(OPENSSL_RESET, 2, 'curl-recv-failure-connection-reset'),
        quote(OPENSSL_RESET, 3, 'curl-openssl-ssl-connect-reset'),
        quote(OPENSSL_RESET, 5, 'curl-recv-failure-connection-reset'),
      ],
      remediation: HANDSHAKE_NEXT,
    },
  },
  {
    name: 'a handshake-failure alert (curl with OpenSSL 3)',
    lines: OPENSSL_ALERT,
    expected: {
      check: 'handshake',
      status: 'fail',
      cause: 'handshake-alert',
      summary: 'the transcript shows curl received a fatal handshake_failure alert from the server',
      evidence: [
        quote(OPENSSL_ALERT, 2, 'curl-tls-alert-handshake-failure'),
        quote(OPENSSL_ALERT, 3, 'openssl3-alert-handshake-failure'),
        quote(OPENSSL_ALERT, 5, 'openssl3-alert-handshake-failure'),
      ],
      remediation: ALERT_NEXT,
    },
  },
  {
    name: 'a close without an alert (curl with OpenSSL 3)',
    lines: OPENSSL_CLOSED,
    expected: {
      check: 'handshake',
      status: 'fail',
      cause: 'handshake-closed',
      summary: 'the transcript shows the server closed the connection during the TLS handshake without sending an alert (curl with OpenSSL)',
      evidence: [quote(OPENSSL_CLOSED, 2, 'curl-openssl-ssl-error-syscall'), quote(OPENSSL_CLOSED, 4, 'curl-openssl-ssl-error-syscall')],
      remediation: HANDSHAKE_NEXT,
    },
  },
  {
    name: 'a handshake-failure alert (curl with OpenSSL 1.x)',
    lines: OPENSSL1_ALERT,
    expected: {
      check: 'handshake',
      status: 'fail',
      cause: 'handshake-alert',
      summary: 'the transcript shows the server answered the TLS handshake with a handshake_failure alert (OpenSSL 1.x)',
      evidence: [quote(OPENSSL1_ALERT, 2, 'openssl1-alert-handshake-failure')],
      remediation: ALERT_NEXT,
    },
  },
  {
    name: 'curl exit 60: certificate has expired',
    lines: CURL_EXPIRED,
    expected: {
      check: 'validity',
      status: 'fail',
      cause: 'certificate-expired',
      summary: 'the transcript shows the server presented an expired certificate (curl exit 60)',
      evidence: [quote(CURL_EXPIRED, 11, 'curl-certificate-expired'), quote(CURL_EXPIRED, 13, 'curl-certificate-expired')],
      remediation: 'renew the certificate; kubectl apigee-tls diagnose <envgroup> shows its dates',
    },
  },
  {
    name: 'curl exit 60: no alternative subject name matches the host',
    lines: CURL_SAN_MISMATCH,
    expected: {
      check: 'hostnames',
      status: 'fail',
      cause: 'hostname-not-covered',
      summary: "the transcript shows none of the certificate's subject alternative names covers the host name (curl exit 60)",
      evidence: [quote(CURL_SAN_MISMATCH, 16, 'curl-no-alternative-subject-name'), quote(CURL_SAN_MISMATCH, 18, 'curl-no-alternative-subject-name')],
      remediation: "kubectl apigee-tls diagnose <envgroup> --host <host> compares the names with the certificate's SANs",
    },
  },
  {
    name: 'curl exit 60: the subject name does not match the host',
    lines: CURL_CN_MISMATCH,
    expected: {
      check: 'hostnames',
      status: 'fail',
      cause: 'hostname-not-covered',
      summary: "the transcript shows the certificate's common name does not match the host name, and it has no matching alternative name (curl exit 60)",
      evidence: [quote(CURL_CN_MISMATCH, 1, 'curl-subject-name-mismatch')],
      remediation: "kubectl apigee-tls diagnose <envgroup> --host <host> compares the names with the certificate's SANs",
    },
  },
];

for (const c of TRANSCRIPTS) {
  test(`--from-curl-log FILE: ${c.name} is ${c.expected.cause} (exit 1)`, async (t) => {
    const dir = tempDir(t, 'apigee-tls-probe-');
    const file = dir.write('curl.log', `${c.lines.join('\n')}\n`);
    const r = await runWith(t, isolatedEnv(dir.path), ['probe', '--from-curl-log', file, '-o', 'json']);
    t.is(r.exitCode, 1);
    t.is(r.stderr, '');
    t.deepEqual(json(r), {
      apiVersion: 'apigee-tls/v1',
      kind: 'Diagnosis',
      target: { curlLog: file },
      result: 'problems-found',
      findings: [{ ...c.expected, commands: [] }],
    });
  });
}

test('--from-curl-log FILE: a transcript with no TLS failure is healthy, with a skip finding (exit 0)', async (t) => {
  const dir = tempDir(t, 'apigee-tls-probe-');
  const file = dir.write('curl.log', `${CURL_OK.join('\n')}\n`);
  const r = await runWith(t, isolatedEnv(dir.path), ['probe', '--from-curl-log', file, '-o', 'json']);
  t.is(r.exitCode, 0);
  t.deepEqual(json(r), {
    apiVersion: 'apigee-tls/v1',
    kind: 'Diagnosis',
    target: { curlLog: file },
    result: 'healthy',
    findings: [{ check: 'curl-transcript', status: 'skip', cause: null, summary: 'no known TLS failure in the transcript', evidence: [], commands: [] }],
  });
});

/** The built bundle with `input` on stdin (runCli gives the bundle no stdin). */
async function cliWithStdin(t: ExecutionContext, env: Record<string, string>, args: string[], input: string): Promise<RunResult> {
  const r = await execa(process.execPath, [BUNDLE, ...args], {
    env,
    extendEnv: false,
    cwd: REPO_ROOT,
    input,
    reject: false,
    timeout: 60_000,
    stripFinalNewline: false,
  });
  const result = { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  assertClean(t, result, args);
  return result;
}

test('--from-curl-log -: each of the playbook samples from stdin, in JSON', async (t) => {
  const dir = tempDir(t, 'apigee-tls-probe-');
  for (const c of TRANSCRIPTS.slice(0, 3)) {
    const r = await cliWithStdin(t, isolatedEnv(dir.path), ['probe', '--from-curl-log', '-', '-o', 'json'], `${c.lines.join('\n')}\n`);
    t.is(r.exitCode, 1, c.name);
    t.is(r.stderr, '', c.name);
    const d = json(r);
    t.deepEqual(d.target, { curlLog: '-' }, c.name);
    t.deepEqual(d.findings, [{ ...c.expected, commands: [] }], c.name);
  }
});

test('--from-curl-log -: the text report of a pasted transcript (CRLF line endings, as pasted on Windows)', async (t) => {
  const dir = tempDir(t, 'apigee-tls-probe-');
  const r = await cliWithStdin(t, isolatedEnv(dir.path), ['probe', '--from-curl-log', '-'], `${PLAYBOOK_RESET.join('\r\n')}\r\n`);
  t.is(r.exitCode, 1);
  t.is(r.stderr, '');
  const reset = TRANSCRIPTS[1]!.expected;
  t.deepEqual(r.stdout.split('\n'), [
    'curl transcript from stdin',
    '',
    `FAIL   handshake      ${reset.summary}  [handshake-reset]`,
    ...reset.evidence.map((e) => `       ${e}`),
    `       fix: ${HANDSHAKE_NEXT}`,
    '',
    'Result: problems found (1 failed, 0 warnings, 0 errors, 0 passed, 0 skipped)',
    '',
  ]);
});

// ---------------------------------------------------------------------------------------------
// Real curl against the same servers: its transcript names the same cause as the live probe

/** `curl -v` against a local server, dialled like probe's --connect-to: its stderr (the transcript). */
async function curlTranscript(t: ExecutionContext, server: LocalServer): Promise<string> {
  const r = await execa(
    'curl',
    ['-sSv', '--max-time', '30', `https://${HOST}:${server.port}/`, '--connect-to', `${HOST}:${server.port}:127.0.0.1:${server.port}`],
    {
      reject: false,
      stdin: 'ignore',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
      extendEnv: false,
    },
  );
  t.is(r.exitCode, 35, 'curl exit 35: the handshake-failure class');
  return r.stderr;
}

test('a real curl transcript of each failing server is classified as the live probe names it', async (t) => {
  const dir = tempDir(t, 'apigee-tls-probe-');
  const env = isolatedEnv(dir.path);
  const servers: Array<[string, LocalServer]> = [
    ['handshake-reset', await resetServer(t)],
    ['handshake-alert', await alertServer(t, ALERT_KEY_PEM, alertCert.pem)],
    ['handshake-closed', await closeServer(t)],
  ];
  for (const [cause, server] of servers) {
    const transcript = await curlTranscript(t, server);
    const file = dir.write(`${cause}.log`, transcript);
    const fromLog = json(await runWith(t, env, ['probe', '--from-curl-log', file, '-o', 'json']));
    t.deepEqual(verdicts(fromLog), [`handshake fail ${cause}`], `${cause}: ${transcript}`);
    const live = json(await runWith(t, env, probeArgs(server.port, '-o', 'json')));
    t.deepEqual(verdicts(live), [`handshake fail ${cause}`], cause);
  }
});
