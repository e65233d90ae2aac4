// The probe's checks on evidence built here, for the endings the live servers of
// test/probe-client.test.ts do not produce: the client refusing an old version itself, a reset or
// close after a CertificateRequest, a client key that is not the certificate's, and trust paths
// served out of order. Plus the server-flight reader on bytes: TLS or not, ServerHello, a TLS 1.2
// CertificateRequest with its CA names.
import test from 'ava';
import { runChecks } from '../../src/checks/run.js';
import { REGISTRIES } from '../../src/checks/registry.js';
import type { CheckInputs } from '../../src/checks/inputs.js';
import type { HandshakeEnd, HandshakeObservation, ServerFlight } from '../../src/evidence/handshake.js';
import { readServerFlight } from '../../src/gather/tls-records.js';
import { analyseCertificate, analysePrivateKey, indexAnchors, verifyServedChain } from '../../src/pki/index.js';
import { mintCertificate } from '../../src/sim/mint-certificate.js';
import { DAY, rsaKey } from '../helpers/scenarios.js';
import type { Finding } from '../../src/report/finding.js';

const NOW = { now: new Date(), expiryWarningMs: 0 };

function observation(end: HandshakeEnd, flight: ServerFlight = { isTls: true }, clientCertificate = false): HandshakeObservation {
  return {
    request: { address: '127.0.0.1', port: 8443, servername: 'api.example.com', handshakeTimeoutMs: 10_000, clientCertificate },
    end,
    offered: { min: 'TLSv1.2', max: 'TLSv1.3' },
    flight,
    ms: 3,
  };
}

const probeFindings = (inputs: CheckInputs): Finding[] => runChecks(REGISTRIES.probe, { inputs, absent: {} }, NOW);
const handshakeOf = (o: HandshakeObservation): Finding =>
  probeFindings({ handshake: { observation: o, host: 'api.example.com', customTrust: false } }).find((f) => f.check === 'handshake')!;

test('handshake: the client refusing the version the server chose is tls-version-refused', (t) => {
  const f = handshakeOf(
    observation({ kind: 'failed', message: 'unsupported protocol', code: 'ERR_SSL_UNSUPPORTED_PROTOCOL' }, { isTls: true, version: 'TLSv1' }),
  );
  t.is(f.cause, 'tls-version-refused');
  t.is(f.summary, 'the server only speaks TLSv1 this client does not accept; 127.0.0.1:8443 (SNI api.example.com)');
  t.deepEqual(f.evidence, ['this client offered TLSv1.2 to TLSv1.3', 'unsupported protocol']);
});

test('handshake: a reset or a close after a CertificateRequest is client-certificate-required, not the playbook cause', (t) => {
  const flight: ServerFlight = { isTls: true, version: 'TLSv1.2', certificateRequest: { caNames: ['CN=Partner CA, O=Example'] } };
  for (const end of [
    { kind: 'reset', message: 'read ECONNRESET' },
    { kind: 'closed', message: 'socket hang up' },
  ] as const) {
    const f = handshakeOf(observation(end, flight));
    t.is(f.cause, 'client-certificate-required', end.kind);
    t.deepEqual(f.evidence, [
      'the server sent a CertificateRequest',
      'the server accepts client certificates issued by: "CN=Partner CA, O=Example"',
      end.message,
    ]);
  }
  const plain = handshakeOf(observation({ kind: 'reset', message: 'read ECONNRESET' }));
  t.is(plain.cause, 'handshake-reset');
});

test('handshake: bad_certificate after presenting a certificate says it was refused', (t) => {
  const f = handshakeOf(observation({ kind: 'alert', message: 'sslv3 alert bad certificate', alertNumber: 42 }, { isTls: true }, true));
  t.is(f.cause, 'client-certificate-required');
  t.is(f.summary, 'the server refused the client certificate presented (alert bad_certificate (42)); 127.0.0.1:8443 (SNI api.example.com)');
});

const key = rsaKey();
const otherKey = rsaKey();
const caKey = rsaKey();
const ca = mintCertificate({
  commonName: 'Unit Root',
  key: caKey,
  notBefore: new Date(Date.now() - DAY),
  notAfter: new Date(Date.now() + 30 * DAY),
  isCA: true,
});
const intKey = rsaKey();
const int = mintCertificate({
  commonName: 'Unit Intermediate',
  key: intKey,
  notBefore: new Date(Date.now() - DAY),
  notAfter: new Date(Date.now() + 30 * DAY),
  isCA: true,
  issuer: { certificatePem: ca, commonName: 'Unit Root', key: caKey },
});
const leaf = mintCertificate({
  commonName: 'api.example.com',
  key,
  sans: ['api.example.com'],
  notBefore: new Date(Date.now() - DAY),
  notAfter: new Date(Date.now() + 30 * DAY),
  issuer: { certificatePem: int, commonName: 'Unit Intermediate', key: intKey },
});

test("client-credentials: a key that is not the certificate's is key-mismatch, and no handshake is tried", (t) => {
  const cert = analyseCertificate(Buffer.from(leaf));
  const wrong = analysePrivateKey(Buffer.from(otherKey.export({ type: 'pkcs8', format: 'pem' }) as string));
  t.true(cert.ok && wrong.ok);
  const findings = runChecks(
    REGISTRIES.probe,
    {
      inputs: { clientCredentials: { certFile: 'client.crt', keyFile: 'client.key', cert, key: wrong, matches: false } },
      absent: { handshake: 'not attempted: the client certificate and key given cannot be used (see client-credentials)' },
    },
    NOW,
  );
  t.deepEqual(
    findings.map((f) => `${f.check} ${f.status} ${f.cause ?? ''}`.trim()),
    ['client-credentials fail key-mismatch', 'handshake skip'],
  );
});

test('trust: a path is built from the served certificates in any order, and names what is missing', (t) => {
  const parsed = (pems: string[]) => {
    const a = analyseCertificate(Buffer.from(pems.join('')));
    if (!a.ok) throw new Error('test chain does not parse');
    return a.certificates;
  };
  const anchors = indexAnchors(parsed([ca]).map((c) => c.x509));
  t.deepEqual(verifyServedChain(parsed([leaf, ca, int]), anchors), {
    trusted: true,
    path: ['CN=api.example.com', 'CN=Unit Intermediate'],
    anchor: 'CN=Unit Root',
  });
  t.deepEqual(verifyServedChain(parsed([leaf]), anchors), {
    trusted: false,
    reason: 'issuer-not-found',
    path: ['CN=api.example.com'],
    missingIssuer: 'CN=Unit Intermediate',
  });
  t.deepEqual(verifyServedChain(parsed([leaf, int, ca]), indexAnchors([])), {
    trusted: false,
    reason: 'untrusted-self-signed',
    path: ['CN=api.example.com', 'CN=Unit Intermediate', 'CN=Unit Root'],
    root: 'CN=Unit Root',
    depth: 2,
  });
});

/** A TLS 1.2 server flight: ServerHello, then a CertificateRequest naming one CA. */
function tls12Flight(caDer: Buffer): Buffer {
  const handshake = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, 0, body.length >> 8, body.length & 0xff]), body]);
  const serverHello = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32, 7), Buffer.from([0]), Buffer.from([0xc0, 0x2f]), Buffer.from([0])]);
  const name = Buffer.concat([Buffer.from([caDer.length >> 8, caDer.length & 0xff]), caDer]);
  const certificateRequest = Buffer.concat([Buffer.from([1, 1]), Buffer.from([0, 2, 4, 1]), Buffer.from([name.length >> 8, name.length & 0xff]), name]);
  const body = Buffer.concat([handshake(2, serverHello), handshake(13, certificateRequest)]);
  return Buffer.concat([Buffer.from([22, 3, 3, body.length >> 8, body.length & 0xff]), body]);
}

test('server flight: not TLS, a TLS 1.2 ServerHello, and the CA names of its CertificateRequest', (t) => {
  t.deepEqual(readServerFlight(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')), { isTls: false });
  const flight = readServerFlight(tls12Flight(fixedName()));
  t.deepEqual(flight, { isTls: true, version: 'TLSv1.2', certificateRequest: { caNames: ['CN=Partner CA'] } });
});

/** DER of the Name CN=Partner CA, built field by field. */
function fixedName(): Buffer {
  const value = Buffer.from('Partner CA');
  const utf8 = Buffer.concat([Buffer.from([0x0c, value.length]), value]);
  const oid = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]);
  const attr = Buffer.concat([Buffer.from([0x30, oid.length + utf8.length]), oid, utf8]);
  const set = Buffer.concat([Buffer.from([0x31, attr.length]), attr]);
  return Buffer.concat([Buffer.from([0x30, set.length]), set]);
}
