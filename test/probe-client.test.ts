// `probe` never calls a failing client healthy (issue #14): every way a handshake fails, in the
// order a client meets it, against real servers on 127.0.0.1 (Node tls/net servers and
// `openssl s_server`: -Verify 1 for mutual TLS, -tls1_1 for a version the client refuses); mutual
// TLS with --cert/--key; trust against --ca or the system's anchors; the hostname judged against
// the name the client asks for. Then `--from-curl-log` on transcripts made by running the real
// curl against the same servers at test time, on macOS/LibreSSL and Schannel wordings as fixed
// text (their sources are cited in src/signatures/catalog.ts), and a property test: a transcript
// whose curl exit is non-zero never comes out healthy.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import fc from 'fast-check';
import { classifyCurlLog } from '../src/pipeline/probe.js';
import { UsageError } from '../src/errors.js';
import { isolatedEnv, type RunResult } from './helpers/cluster.js';
import { tempDir } from './helpers/files.js';
import { issue } from './helpers/probe-pki.js';
import { DAY, finding, plant, rsaKey, runWith, verdicts, type DiagnosisJson, type FindingJson } from './helpers/scenarios.js';
import { freePort, opensslServer, plainHttpServer, silentServer, tlsServer, type LocalServer } from './helpers/tls-servers.js';

const HOST = 'api.example.com';
const OTHER_HOST = 'other.example.com';
const json = (r: RunResult): DiagnosisJson => JSON.parse(r.stdout) as DiagnosisJson;

// ---------------------------------------------------------------------------------------------
// PKI, minted once per test process

const now = Date.now();
const VALID = { from: now - 10 * DAY, to: now + 365 * DAY + DAY / 2 };
const root = issue('Client Test Root CA', rsaKey(), null, { from: now - 30 * DAY, to: now + 3650 * DAY, isCA: true });
const intermediate = issue('Client Test Intermediate CA', rsaKey(), root, { from: now - 30 * DAY, to: now + 3650 * DAY, isCA: true });
const leafKey = rsaKey();
const LEAF_KEY_PEM = plant(leafKey);
const leaf = issue(HOST, leafKey, intermediate, { sans: [HOST], ...VALID });
const expiredLeaf = issue(HOST, leafKey, intermediate, { sans: [HOST], from: now - 400 * DAY, to: now - 30 * DAY });
const wrongHostLeaf = issue(OTHER_HOST, leafKey, intermediate, { sans: [OTHER_HOST], ...VALID });
/** The CA a mutual-TLS gateway accepts client certificates from, and a client certificate it issued. */
const clientCa = issue('Apigee Client CA', rsaKey(), null, { from: now - 30 * DAY, to: now + 3650 * DAY, isCA: true });
const clientKey = rsaKey();
const CLIENT_KEY_PEM = plant(clientKey);
const clientCert = issue('partner-app', clientKey, clientCa, { ...VALID });
/** A client certificate from a CA the gateway does not accept. */
const strangerCa = issue('Stranger CA', rsaKey(), null, { from: now - 30 * DAY, to: now + 3650 * DAY, isCA: true });
const strangerKey = rsaKey();
const STRANGER_KEY_PEM = plant(strangerKey);
const strangerCert = issue('stranger-app', strangerKey, strangerCa, { ...VALID });
/** An unrelated CA: what the test's "system trust store" holds, so the system's anchors are known. */
const unrelatedCa = issue('Unrelated System Root', rsaKey(), null, { from: now - 30 * DAY, to: now + 3650 * DAY, isCA: true });

interface Env {
  env: Record<string, string>;
  dir: string;
  rootFile: string;
  systemBundle: string;
}

/** An isolated environment whose system trust store ($SSL_CERT_FILE) holds `systemRoots`. */
function localEnv(t: ExecutionContext, systemRoots: string = unrelatedCa.pem): Env {
  const dir = tempDir(t, 'apigee-tls-probe-client-');
  const systemBundle = dir.write('system-ca.pem', systemRoots);
  return { env: { ...isolatedEnv(dir.path), SSL_CERT_FILE: systemBundle }, dir: dir.path, rootFile: dir.write('root.pem', root.pem), systemBundle };
}

const probeArgs = (port: number, ...more: string[]): string[] => ['probe', HOST, '--connect-to', `127.0.0.1:${port}`, '--timeout', '30s', ...more];

async function probeJson(t: ExecutionContext, e: Env, port: number, ...more: string[]): Promise<{ r: RunResult; d: DiagnosisJson }> {
  const r = await runWith(t, e.env, probeArgs(port, '-o', 'json', ...more));
  t.is(r.stderr, '', 'nothing on stderr');
  return { r, d: json(r) };
}

const where = (port: number): string => `127.0.0.1:${port} (SNI ${HOST})`;
const curlCommand = (port: number): string => `curl -v https://${HOST}:${port}/ --connect-to ${HOST}:${port}:127.0.0.1:${port}`;
const sClient = (port: number): string => `openssl s_client -connect 127.0.0.1:${port} -servername ${HOST} -showcerts </dev/null`;

// The fixes name the Apigee side (issue #14, point 6); they are the cause catalog's.
const FIX = {
  notTls:
    "call the TLS port of the ingress: its Service maps port 443 to the gateway's 8443 (kubectl -n <ns> get svc -l app=apigee-ingressgateway -o wide); a port that answers plain HTTP (80, 15021) is not it",
  timeout:
    'check that the port leads to the ingress gateway (not a proxy or a firewall that holds connections) and that its pods are ready (kubectl -n <ns> get pods -l app=apigee-ingressgateway)',
  version:
    "the ApigeeRouteConfig's spec.tls.minProtocolVersion/maxProtocolVersion (set from virtualhosts[].minTLSProtocolVersion/maxTLSProtocolVersion in overrides.yaml) exclude the client's versions: widen them, or call with a version inside them (curl --tlsv1.2/--tlsv1.3)",
  mtls: "the env group's virtualhosts[] entry sets tlsMode: MUTUAL, with caCertPath (the CA in the secret's cacert/ca.crt) naming the CAs it accepts: call it with a client certificate that CA issued (curl --cert client.crt --key client.key), or set tlsMode: SIMPLE if mutual TLS is not wanted",
  connect:
    'check the address and port of the ingress: its Service (kubectl -n <ns> get svc -l app=apigee-ingressgateway) or load balancer, the DNS name of the env group host, and the firewalls on the way',
  untrusted:
    "put the intermediate certificates in the secret's chain, after the leaf (the issuer's full chain, e.g. fullchain.pem), then apply it the way the env group was installed; a private root belongs in the clients' trust store (curl --cacert)",
};

/** The report of a handshake that failed: the handshake finding alone, failed, exit 1. */
function failedHandshake(t: ExecutionContext, r: RunResult, d: DiagnosisJson): FindingJson {
  t.is(r.exitCode, 1);
  t.is(d.result, 'problems-found');
  t.deepEqual(
    d.findings.map((f) => f.check),
    ['handshake'],
  );
  return finding(d, 'handshake');
}

/** mutual TLS (TLS 1.3 by default): s_server -Verify 1 with the client CA, serving leaf + intermediate. */
const mtlsServer = (t: ExecutionContext, e: Env, ...extraArgs: string[]) =>
  opensslServer(t, { dir: e.dir, leafPem: leaf.pem, chainPem: intermediate.pem, keyPem: LEAF_KEY_PEM, requireClientCertificateFrom: clientCa.pem, extraArgs });

/** The stranger's certificate and key as files in the test's directory. */
function strangerFiles(e: Env): string[] {
  const cert = join(e.dir, 'stranger.crt');
  const key = join(e.dir, 'stranger.key');
  writeFileSync(cert, strangerCert.pem);
  writeFileSync(key, STRANGER_KEY_PEM, { mode: 0o600 });
  return ['--cert', cert, '--key', key];
}

/** The client certificate and its key as files, as a partner holds them. */
function clientFiles(t: ExecutionContext): { cert: string; key: string } {
  const dir = tempDir(t, 'apigee-tls-client-files-');
  return { cert: dir.write('client.crt', clientCert.pem), key: dir.write('client.key', CLIENT_KEY_PEM) };
}

// ---------------------------------------------------------------------------------------------
// The live probe: each failure in the order a client meets it

test('a plain-HTTP port is not-tls, quoting the first bytes back (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await plainHttpServer(t);
  const { r, d } = await probeJson(t, e, server.port);
  const f = failedHandshake(t, r, d);
  t.like(f, {
    status: 'fail',
    cause: 'not-tls',
    summary: `the server answered with something other than TLS (curl: "wrong version number"): a plain-HTTP port?; ${where(server.port)}`,
    commands: [curlCommand(server.port), sClient(server.port)],
    remediation: FIX.notTls,
  });
  t.is(f.evidence[0], 'the first bytes back: "HTTP/1.1 400 Bad Request\\r\\ncontent-length"…');
  t.regex(f.evidence[1]!, /wrong version number|packet length too long/);
});

test('a server that accepts and never answers is handshake-timeout after --handshake-timeout, not a deadline (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await silentServer(t);
  const { r, d } = await probeJson(t, e, server.port, '--handshake-timeout', '1s');
  const f = failedHandshake(t, r, d);
  t.deepEqual(f, {
    check: 'handshake',
    status: 'fail',
    cause: 'handshake-timeout',
    summary: `the server accepted the TCP connection but did not finish the TLS handshake within 1s (curl: exit 28 after "Connected to"); ${where(server.port)}`,
    evidence: ['the server accepted the connection but did not finish the handshake within 1000 ms', 'the server sent nothing'],
    commands: [curlCommand(server.port), sClient(server.port)],
    remediation: FIX.timeout,
  });
  t.is(server.connections(), 1, 'one connection, held');
});

test('--handshake-timeout stays inside --timeout: a longer one is cut to the run deadline and still names the symptom', async (t) => {
  const e = localEnv(t);
  const server = await silentServer(t);
  const r = await runWith(t, e.env, ['probe', HOST, '--connect-to', `127.0.0.1:${server.port}`, '--timeout', '2s', '--handshake-timeout', '30s', '-o', 'json']);
  t.is(r.exitCode, 1);
  t.deepEqual(verdicts(json(r)), ['handshake fail handshake-timeout']);
});

test('a closed port and a name that does not resolve are connect-failed (exit 1)', async (t) => {
  const e = localEnv(t);
  const port = await freePort();
  const closed = await probeJson(t, e, port);
  t.like(failedHandshake(t, closed.r, closed.d), {
    cause: 'connect-failed',
    summary: `no TCP connection: connection refused: nothing listens on the port; ${where(port)}`,
    remediation: FIX.connect,
  });
  const r = await runWith(t, e.env, ['probe', 'nowhere.invalid', '--timeout', '30s', '-o', 'json']);
  const d = json(r);
  const f = failedHandshake(t, r, d);
  t.is(f.cause, 'connect-failed');
  t.is(f.summary, 'no TCP connection: the name does not resolve; nowhere.invalid:443 (SNI nowhere.invalid)');
  t.regex(f.evidence[0]!, /^getaddrinfo (ENOTFOUND|EAI_AGAIN) nowhere\.invalid$/);
});

test('a TLS 1.1-only server (openssl s_server -tls1_1) refuses the versions offered: tls-version-refused (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await opensslServer(t, {
    dir: e.dir,
    leafPem: leaf.pem,
    chainPem: intermediate.pem,
    keyPem: LEAF_KEY_PEM,
    extraArgs: ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0'],
  });
  const { r, d } = await probeJson(t, e, server.port);
  const f = failedHandshake(t, r, d);
  t.like(f, {
    cause: 'tls-version-refused',
    summary: `the server refused the TLS versions offered (alert protocol_version (70)); ${where(server.port)}`,
    remediation: FIX.version,
  });
  t.is(f.evidence[0], 'this client offered TLSv1.2 to TLSv1.3');
  t.regex(f.evidence[1]!, /tlsv1 alert protocol version.*SSL alert number 70/);
});

// ---------------------------------------------------------------------------------------------
// Mutual TLS

test('s_server -Verify 1 (TLS 1.3) without a client certificate: client-certificate-required, naming the CAs it accepts (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await mtlsServer(t, e);
  const { r, d } = await probeJson(t, e, server.port, '--ca', e.rootFile);
  const f = failedHandshake(t, r, d);
  t.like(f, {
    status: 'fail',
    cause: 'client-certificate-required',
    summary: `the server asks for a client certificate (mutual TLS) and none was presented (alert certificate_required (116)); ${where(server.port)}`,
    remediation: FIX.mtls,
  });
  t.deepEqual(f.evidence.slice(0, 2), ['the server sent a CertificateRequest', 'the server accepts client certificates issued by: "CN=Apigee Client CA"']);
  t.regex(f.evidence[2]!, /tlsv13 alert certificate required/);
});

test('s_server -Verify 1 -tls1_2 without a client certificate: the CertificateRequest then handshake_failure is client-certificate-required (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await mtlsServer(t, e, '-tls1_2');
  const { r, d } = await probeJson(t, e, server.port, '--ca', e.rootFile);
  const f = failedHandshake(t, r, d);
  t.is(f.cause, 'client-certificate-required');
  t.is(f.summary, `the server asks for a client certificate (mutual TLS) and none was presented (alert handshake_failure (40)); ${where(server.port)}`);
  t.deepEqual(f.evidence.slice(0, 2), ['the server sent a CertificateRequest', 'the server accepts client certificates issued by: "CN=Apigee Client CA"']);
});

test('s_server -Verify 1 with --cert/--key of a certificate its CA signed: healthy, and the CAs the server accepts (TLS 1.3 and 1.2)', async (t) => {
  const e = localEnv(t);
  const files = clientFiles(t);
  for (const extra of [[], ['-tls1_2']]) {
    const server = await mtlsServer(t, e, ...extra);
    const { r, d } = await probeJson(t, e, server.port, '--ca', e.rootFile, '--cert', files.cert, '--key', files.key);
    t.is(r.exitCode, 0);
    t.is(d.result, 'healthy');
    t.deepEqual(verdicts(d), [
      'client-credentials pass',
      'handshake pass',
      'client-certificate pass',
      'served-chain pass',
      'chain-order pass',
      'served-chain-trust pass',
      'validity pass',
      'hostnames pass',
      'strength pass',
    ]);
    t.deepEqual(finding(d, 'client-certificate'), {
      check: 'client-certificate',
      status: 'pass',
      cause: null,
      summary: 'the server asked for a client certificate (mutual TLS) and accepted the one presented',
      evidence: ['the server accepts client certificates issued by: "CN=Apigee Client CA"'],
      commands: [`${sClient(server.port)} 2>/dev/null | sed -n '/Acceptable client certificate CA names/,/Requested Signature/p'`],
    });
    t.is(
      finding(d, 'client-credentials').summary,
      'client certificate "CN=partner-app" issued by "CN=Apigee Client CA", with its RSA 2048-bit private key (PKCS#8)',
    );
  }
});

test('s_server -Verify 1 -verify_return_error refuses a client certificate of another CA: client-certificate-required, "refused" (exit 1)', async (t) => {
  const e = localEnv(t);
  const server = await mtlsServer(t, e, '-verify_return_error');
  const { r, d } = await probeJson(t, e, server.port, '--ca', e.rootFile, ...strangerFiles(e));
  t.is(r.exitCode, 1);
  t.deepEqual(verdicts(d), ['client-credentials pass', 'handshake fail client-certificate-required']);
  const f = finding(d, 'handshake');
  t.is(f.summary, `the server refused the client certificate presented (alert unknown_ca (48)); ${where(server.port)}`);
  // The shown commands present the same certificate, so they rerun what the probe did.
  const [cert, key] = [join(e.dir, 'stranger.crt'), join(e.dir, 'stranger.key')];
  t.deepEqual(f.commands, [
    `${curlCommand(server.port)} --cert ${cert} --key ${key}`,
    `openssl s_client -connect 127.0.0.1:${server.port} -servername ${HOST} -showcerts -cert ${cert} -key ${key} </dev/null`,
  ]);
  t.deepEqual(f.evidence.slice(0, 2), ['the server sent a CertificateRequest', 'the server accepts client certificates issued by: "CN=Apigee Client CA"']);
});

test('mutual TLS in the text report: without and with the client certificate', async (t) => {
  const e = localEnv(t);
  const files = clientFiles(t);
  const server = await mtlsServer(t, e);
  const without = await runWith(t, e.env, probeArgs(server.port, '--ca', e.rootFile));
  t.is(without.exitCode, 1);
  const lines = without.stdout.split('\n');
  t.deepEqual(lines.slice(0, 6), [
    `Host ${HOST}:${server.port}`,
    `  sni ${HOST}`,
    '',
    `FAIL   handshake      the server asks for a client certificate (mutual TLS) and none was presented (alert certificate_required (116)); ${where(server.port)}  [client-certificate-required]`,
    '       the server sent a CertificateRequest',
    '       the server accepts client certificates issued by: "CN=Apigee Client CA"',
  ]);
  t.deepEqual(lines.slice(7), [
    `       $ ${curlCommand(server.port)}`,
    `       $ ${sClient(server.port)}`,
    `       fix: ${FIX.mtls}`,
    '',
    'Result: problems found (1 failed, 0 warnings, 0 errors, 0 passed, 0 skipped)',
    '',
  ]);
  const withCert = await runWith(t, e.env, probeArgs(server.port, '--ca', e.rootFile, '--cert', files.cert, '--key', files.key));
  t.is(withCert.exitCode, 0);
  const ok = withCert.stdout.split('\n');
  t.deepEqual(ok.slice(0, 4), [
    `Host ${HOST}:${server.port}`,
    `  sni ${HOST}`,
    '',
    'PASS   client-credentials client certificate "CN=partner-app" issued by "CN=Apigee Client CA", with its RSA 2048-bit private key (PKCS#8)',
  ]);
  t.regex(ok[4]!, /^PASS {3}handshake {6}TLSv1\.3 handshake with 127\.0\.0\.1:\d+ \(SNI api\.example\.com\), cipher TLS_[A-Z0-9_]+$/);
  t.is(ok[5], 'PASS   client-certificate the server asked for a client certificate (mutual TLS) and accepted the one presented');
  t.is(ok[ok.length - 2], 'Result: healthy (0 failed, 0 warnings, 0 errors, 9 passed, 0 skipped)');
});

test('an encrypted --key is malformed-private-key without a prompt, and no handshake is tried (exit 1)', async (t) => {
  const e = localEnv(t);
  const dir = tempDir(t, 'apigee-tls-client-enc-');
  const cert = dir.write('client.crt', clientCert.pem);
  const key = dir.write('client.key', clientKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString());
  const server = await tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem + intermediate.pem });
  const { r, d } = await probeJson(t, e, server.port, '--cert', cert, '--key', key);
  t.is(r.exitCode, 1);
  t.deepEqual(verdicts(d), ['client-credentials fail malformed-private-key', 'handshake skip']);
  const f = finding(d, 'client-credentials');
  t.regex(f.summary, new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a usable private key: the private key is encrypted`));
  t.is(
    f.remediation,
    `the key is encrypted and probe never asks for a passphrase: decrypt a copy once (openssl pkey -in ${key} -out client-plain.key), pass that, and delete it afterwards`,
  );
  t.is(finding(d, 'handshake').summary, 'not attempted: the client certificate and key given cannot be used (see client-credentials)');
  t.is(server.connections(), 0, 'no connection was made');
  t.false(r.stdout.includes('ENCRYPTED PRIVATE KEY-----\n'), 'the key is not printed');
});

test('--cert without --key is a usage error (exit 2)', async (t) => {
  const e = localEnv(t);
  const r = await runWith(t, e.env, ['probe', HOST, '--cert', e.rootFile]);
  t.is(r.exitCode, 2);
  t.regex(r.stderr, /--cert and --key go together/);
});

// ---------------------------------------------------------------------------------------------
// Trust, and the name the client asks for

test('trust: a leaf-only server fails against the system store and --ca alike; the system store ($SSL_CERT_FILE) holding the root passes', async (t) => {
  const untrusted = localEnv(t);
  const leafOnly = await tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem });
  const { r, d } = await probeJson(t, untrusted, leafOnly.port);
  t.is(r.exitCode, 1);
  t.like(finding(d, 'served-chain-trust'), {
    status: 'fail',
    cause: 'served-chain-untrusted',
    summary: `the served chain does not verify to the system's trust store (${untrusted.systemBundle}) and Node's bundled roots: "CN=${HOST}" was issued by "CN=${intermediate.commonName}", which the server did not send and is not a trust anchor (curl exit 60: "unable to get local issuer certificate")`,
  });
  const trusting = localEnv(t, root.pem);
  const full = await tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem + intermediate.pem });
  const ok = await probeJson(t, trusting, full.port);
  t.is(ok.r.exitCode, 0);
  t.is(
    finding(ok.d, 'served-chain-trust').summary,
    `the served chain verifies to "CN=${root.commonName}" (the system's trust store (${trusting.systemBundle}) and Node's bundled roots)`,
  );
  // A self-signed root sent in the chain is not trusted for being sent.
  const withRoot = await tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem + intermediate.pem + root.pem });
  const selfSigned = await probeJson(t, untrusted, withRoot.port);
  t.like(finding(selfSigned.d, 'served-chain-trust'), {
    cause: 'served-chain-untrusted',
    summary: `the served chain ends at the self-signed "CN=${root.commonName}", which is not among the system's trust store (${untrusted.systemBundle}) and Node's bundled roots (curl exit 60: "self-signed certificate in certificate chain")`,
  });
});

test('127.0.0.1:PORT --sni NAME judges NAME; without --sni an IP cannot be judged (skip)', async (t) => {
  const e = localEnv(t);
  const server = await tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem + intermediate.pem });
  const run = async (...more: string[]) => {
    const r = await runWith(t, e.env, ['probe', `127.0.0.1:${server.port}`, '--ca', e.rootFile, '--timeout', '30s', '-o', 'json', ...more]);
    return { r, d: json(r) };
  };
  const other = await run('--sni', OTHER_HOST);
  t.is(other.r.exitCode, 1);
  t.deepEqual(other.d.target, { host: '127.0.0.1', port: server.port, sni: OTHER_HOST });
  t.like(finding(other.d, 'hostnames'), { status: 'fail', cause: 'hostname-not-covered', summary: `the leaf "CN=${HOST}" does not cover ${OTHER_HOST}` });
  const named = await run('--sni', HOST);
  t.is(named.r.exitCode, 0);
  t.is(finding(named.d, 'hostnames').summary, `the leaf covers ${HOST}`);
  const ip = await run();
  t.is(ip.r.exitCode, 0);
  t.deepEqual(finding(ip.d, 'hostnames'), {
    check: 'hostnames',
    status: 'skip',
    cause: null,
    summary: 'not judged: 127.0.0.1 is an IP address and no --sni names the host the client asks for',
    evidence: [],
    commands: [],
  });
});

// ---------------------------------------------------------------------------------------------
// --from-curl-log on transcripts of the real curl against the same servers

const CURL_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

/** `curl -v` against a local server, dialled like probe's --connect-to; its exit code and stderr. */
async function realCurl(t: ExecutionContext, port: number, ...more: string[]): Promise<{ exitCode: number; transcript: string }> {
  const r = await execa('curl', ['-sSv', '--max-time', '30', `https://${HOST}:${port}/`, '--connect-to', `${HOST}:${port}:127.0.0.1:${port}`, ...more], {
    reject: false,
    stdin: 'ignore',
    env: CURL_ENV,
    extendEnv: false,
  });
  t.log(`curl exit ${r.exitCode}`);
  return { exitCode: r.exitCode ?? -1, transcript: r.stderr };
}

async function fromLog(t: ExecutionContext, e: Env, name: string, transcript: string): Promise<{ r: RunResult; d: DiagnosisJson }> {
  const file = tempDir(t, 'apigee-tls-curl-log-').write(`${name}.log`, transcript);
  const r = await runWith(t, e.env, ['probe', '--from-curl-log', file, '-o', 'json']);
  return { r, d: json(r) };
}

interface RealCase {
  name: string;
  server: (t: ExecutionContext, e: Env) => Promise<LocalServer | { port: number }>;
  curlArgs: (e: Env) => string[];
  curlExit: number;
  verdict: string;
  /** The live probe on the same server says the same (probe flags). */
  live?: (e: Env) => string[];
}

const REAL_CASES: RealCase[] = [
  { name: 'a plain-HTTP port', server: (t) => plainHttpServer(t), curlArgs: () => [], curlExit: 35, verdict: 'handshake fail not-tls', live: () => [] },
  {
    name: 'a silent server (curl --max-time 2)',
    server: (t) => silentServer(t),
    curlArgs: () => ['--max-time', '2'],
    curlExit: 28,
    verdict: 'handshake fail handshake-timeout',
    live: () => ['--handshake-timeout', '1s'],
  },
  {
    name: 'a closed port',
    server: async () => ({ port: await freePort() }),
    curlArgs: () => [],
    curlExit: 7,
    verdict: 'handshake fail connect-failed',
    live: () => [],
  },
  {
    name: 's_server -Verify 1 (TLS 1.3, curl exit 56)',
    server: (t, e) => mtlsServer(t, e),
    curlArgs: (e) => ['--cacert', e.rootFile],
    curlExit: 56,
    verdict: 'handshake fail client-certificate-required',
    live: (e) => ['--ca', e.rootFile],
  },
  {
    name: 's_server -Verify 1 -tls1_2 (Request CERT, then handshake failure)',
    server: (t, e) => mtlsServer(t, e, '-tls1_2'),
    curlArgs: (e) => ['--cacert', e.rootFile],
    curlExit: 35,
    verdict: 'handshake fail client-certificate-required',
    live: (e) => ['--ca', e.rootFile],
  },
  {
    name: 's_server -Verify 1 -verify_return_error, given a certificate of another CA (unknown_ca, curl exit 56)',
    server: (t, e) => mtlsServer(t, e, '-verify_return_error'),
    curlArgs: (e) => ['--cacert', e.rootFile, ...strangerFiles(e)],
    curlExit: 56,
    verdict: 'handshake fail client-certificate-required',
    live: (e) => ['--ca', e.rootFile, ...strangerFiles(e)],
  },
  {
    name: 'a TLS 1.1-only server (curl --tlsv1.2)',
    server: (t, e) =>
      opensslServer(t, {
        dir: e.dir,
        leafPem: leaf.pem,
        chainPem: intermediate.pem,
        keyPem: LEAF_KEY_PEM,
        extraArgs: ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0'],
      }),
    curlArgs: () => ['--tlsv1.2'],
    curlExit: 35,
    verdict: 'handshake fail tls-version-refused',
    live: () => [],
  },
  {
    name: 'a leaf-only server (curl --cacert root)',
    server: (t) => tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem }),
    curlArgs: (e) => ['--cacert', e.rootFile],
    curlExit: 60,
    verdict: 'served-chain-trust fail served-chain-untrusted',
  },
  {
    name: 'a chain ending in a self-signed root no one trusts',
    server: (t) => tlsServer(t, { key: LEAF_KEY_PEM, cert: leaf.pem + intermediate.pem + root.pem }),
    curlArgs: () => [],
    curlExit: 60,
    verdict: 'served-chain-trust fail served-chain-untrusted',
  },
  {
    name: 'an expired certificate (curl --cacert root)',
    server: (t) => tlsServer(t, { key: LEAF_KEY_PEM, cert: expiredLeaf.pem + intermediate.pem }),
    curlArgs: (e) => ['--cacert', e.rootFile],
    curlExit: 60,
    verdict: 'validity fail certificate-expired',
  },
  {
    name: 'a certificate for another host (curl --cacert root)',
    server: (t) => tlsServer(t, { key: LEAF_KEY_PEM, cert: wrongHostLeaf.pem + intermediate.pem }),
    curlArgs: (e) => ['--cacert', e.rootFile],
    curlExit: 60,
    verdict: 'hostnames fail hostname-not-covered',
  },
];

for (const c of REAL_CASES) {
  test(`--from-curl-log, real curl against ${c.name}: curl exit ${c.curlExit} is ${c.verdict.split(' ').pop()!} (exit 1)`, async (t) => {
    const e = localEnv(t);
    const server = await c.server(t, e);
    const curl = await realCurl(t, server.port, ...c.curlArgs(e));
    t.is(curl.exitCode, c.curlExit, curl.transcript);
    const { r, d } = await fromLog(t, e, 'curl', curl.transcript);
    t.is(r.exitCode, 1, curl.transcript);
    t.is(d.result, 'problems-found');
    t.deepEqual(verdicts(d), [c.verdict], curl.transcript);
    const f = d.findings[0]!;
    t.true(f.evidence.length > 0 && f.evidence.every((l) => /^line \d+: .+ {2}\(.+\)$/.test(l)), 'every evidence line quotes the transcript');
    if (c.live) {
      const live = await probeJson(t, e, server.port, ...c.live(e));
      t.deepEqual(
        verdicts(live.d).filter((v) => v !== 'client-credentials pass'),
        [c.verdict],
        'the live probe names the same cause',
      );
    }
  });
}

test('--from-curl-log, real curl: a name that does not resolve (exit 6) is connect-failed, quoting curl', async (t) => {
  const e = localEnv(t);
  const r = await execa('curl', ['-sSv', '--max-time', '10', 'https://nowhere.invalid/'], { reject: false, stdin: 'ignore', env: CURL_ENV, extendEnv: false });
  t.is(r.exitCode, 6);
  const { r: out, d } = await fromLog(t, e, 'resolve', r.stderr);
  t.is(out.exitCode, 1);
  t.deepEqual(verdicts(d), ['handshake fail connect-failed']);
  const lines = r.stderr.split('\n');
  const n = lines.findIndex((l) => l.startsWith('curl: (6)')) + 1;
  t.true(finding(d, 'handshake').evidence.includes(`line ${n}: curl: (6) Could not resolve host: nowhere.invalid  (curl-could-not-resolve-host)`));
  t.is(finding(d, 'handshake').remediation, FIX.connect);
});

// ---------------------------------------------------------------------------------------------
// --from-curl-log on fixed text: macOS (LibreSSL), Schannel, and curl's exit codes

interface FixedCase {
  name: string;
  lines: string[];
  verdict: string;
  exitCode: number;
}

const CONNECTED = ['*   Trying 203.0.113.10:443...', '* Connected to api.example.com (203.0.113.10) port 443 (#0)'];

const FIXED: FixedCase[] = [
  {
    name: 'macOS curl (LibreSSL 3.3.6): tlsv1 alert protocol version',
    lines: [
      'Connected to localhost (127.0.0.1) port 8080 (#0)',
      '* ALPN: offers h2,http/1.1',
      '* (304) (OUT), TLS handshake, Client hello (1):',
      '* LibreSSL/3.3.6: error:1404B42E:SSL routines:ST_CONNECT:tlsv1 alert protocol version',
      '* Closing connection 0',
    ],
    verdict: 'handshake fail tls-version-refused',
    exitCode: 1,
  },
  {
    name: 'macOS curl (LibreSSL 3.3.6): protocol version after the handshake (exit 56)',
    lines: ['curl: (56) LibreSSL SSL_read: LibreSSL/3.3.6: error:1404C42E:SSL routines:ST_OK:tlsv1 alert protocol version, errno 0'],
    verdict: 'handshake fail tls-version-refused',
    exitCode: 1,
  },
  {
    name: 'LibreSSL curl: wrong version number (a plain-HTTP port)',
    lines: ['* (304) (OUT), TLS handshake, Client hello (1):', 'curl: (35) error:1400410B:SSL routines:CONNECT_CR_SRVR_HELLO:wrong version number'],
    verdict: 'handshake fail not-tls',
    exitCode: 1,
  },
  {
    name: 'curl exit 28 before "Connected to"',
    lines: [
      '*   Trying 203.0.113.10:443...',
      '* Connection timed out after 10001 milliseconds',
      '* Closing connection 0',
      'curl: (28) Connection timed out after 10001 milliseconds',
    ],
    verdict: 'handshake fail connect-failed',
    exitCode: 1,
  },
  {
    name: 'Schannel: untrusted root',
    lines: [
      ...CONNECTED,
      '* schannel: disabled automatic use of client certificate',
      '* schannel: SEC_E_UNTRUSTED_ROOT (0x80090325) - The certificate chain was issued by an authority that is not trusted.',
      'curl: (60) schannel: SEC_E_UNTRUSTED_ROOT (0x80090325) - The certificate chain was issued by an authority that is not trusted.',
    ],
    verdict: 'served-chain-trust fail served-chain-untrusted',
    exitCode: 1,
  },
  {
    name: 'Schannel: expired certificate',
    lines: [...CONNECTED, 'curl: (35) schannel: next InitializeSecurityContext failed: SEC_E_CERT_EXPIRED (0x80090328)'],
    verdict: 'validity fail certificate-expired',
    exitCode: 1,
  },
  {
    name: 'Schannel: the target principal name is incorrect',
    lines: [...CONNECTED, 'curl: (60) schannel: SNI or certificate check failed: SEC_E_WRONG_PRINCIPAL (0x80090322) - The target principal name is incorrect.'],
    verdict: 'hostnames fail hostname-not-covered',
    exitCode: 1,
  },
  {
    name: 'curl exit 28 after the TLS handshake finished: not a TLS failure (error, exit 3)',
    lines: [
      ...CONNECTED,
      '* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384',
      '> GET / HTTP/1.1',
      'curl: (28) Operation timed out after 30000 milliseconds with 0 bytes received',
    ],
    verdict: 'curl-transcript error',
    exitCode: 3,
  },
  {
    name: 'a curl failure no signature knows (error naming curl, exit 3)',
    lines: [...CONNECTED, '* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384', '> GET / HTTP/1.1', 'curl: (52) Empty reply from server'],
    verdict: 'curl-transcript error',
    exitCode: 3,
  },
];

for (const c of FIXED) {
  test(`--from-curl-log, fixed text: ${c.name} is ${c.verdict}`, async (t) => {
    const e = localEnv(t);
    const { r, d } = await fromLog(t, e, 'fixed', `${c.lines.join('\n')}\n`);
    t.is(r.exitCode, c.exitCode);
    t.deepEqual(verdicts(d), [c.verdict]);
  });
}

test('--from-curl-log: the error for an unknown curl failure names what curl said', async (t) => {
  const e = localEnv(t);
  const { d } = await fromLog(t, e, 'unknown', `${FIXED[FIXED.length - 1]!.lines.join('\n')}\n`);
  t.deepEqual(d.findings, [
    {
      check: 'curl-transcript',
      status: 'error',
      cause: null,
      summary: 'curl failed with exit 52 ("Empty reply from server"), which is no known TLS failure',
      evidence: ['line 5: curl: (52) Empty reply from server'],
      commands: [],
    },
  ]);
});

test('--from-curl-log: an empty transcript, or one with no curl -v lines, is a usage error (exit 2)', async (t) => {
  const e = localEnv(t);
  const dir = tempDir(t, 'apigee-tls-curl-log-');
  for (const [name, text] of [
    ['empty.log', ''],
    ['prose.log', 'the call failed again this morning\nplease advise\n'],
  ] as const) {
    const file = dir.write(name, text);
    const r = await runWith(t, e.env, ['probe', '--from-curl-log', file, '-o', 'json']);
    t.is(r.exitCode, 2, name);
    t.is(r.stdout, '', name);
    t.regex(r.stderr, new RegExp(`${name} holds no curl -v conversation`), name);
  }
});

// ---------------------------------------------------------------------------------------------
// No transcript of a failed call is healthy

/** Lines a curl -v transcript is made of: trace, handshake steps, signature lines, noise. */
const TRANSCRIPT_LINES = [
  '*   Trying 127.0.0.1:443...',
  '* Connected to api.example.com (127.0.0.1) port 443 (#0)',
  '* ALPN: offers h2,http/1.1',
  '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
  '* TLSv1.3 (IN), TLS handshake, Server hello (2):',
  '* TLSv1.3 (IN), TLS handshake, Request CERT (13):',
  '* TLSv1.3 (IN), TLS alert, unknown (628):',
  '* TLSv1.3 (OUT), TLS alert, unknown CA (560):',
  '* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384',
  '*  SSL certificate verify ok.',
  '* SSL certificate problem: unable to get local issuer certificate',
  '* OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number',
  '* Recv failure: Connection reset by peer',
  '> GET / HTTP/1.1',
  '< HTTP/1.1 200 OK',
  '* Closing connection 0',
  'More details here: https://curl.se/docs/sslcerts.html',
  '',
];
const EXIT_MESSAGES = [
  'Empty reply from server',
  'Recv failure: Connection reset by peer',
  'SSL certificate problem: certificate has expired',
  'Failed writing body',
  '',
];

test('property: a transcript whose curl exit is non-zero never yields healthy', (t) => {
  const transcript = fc.record({
    body: fc.array(fc.oneof(fc.constantFrom(...TRANSCRIPT_LINES), fc.string({ maxLength: 60 })), { maxLength: 30 }),
    code: fc.integer({ min: 1, max: 99 }),
    message: fc.oneof(fc.constantFrom(...EXIT_MESSAGES), fc.string({ maxLength: 80 })),
    crlf: fc.boolean(),
  });
  let classified = 0;
  fc.assert(
    fc.property(transcript, ({ body, code, message, crlf }) => {
      const text = [...body, `curl: (${code}) ${message}`].join(crlf ? '\r\n' : '\n');
      try {
        const d = classifyCurlLog(text, 'generated.log');
        classified += 1;
        return d.result !== 'healthy';
      } catch (err) {
        return err instanceof UsageError;
      }
    }),
    { numRuns: 3000 },
  );
  t.true(classified > 2000, 'most generated transcripts are classified, not refused');
});
