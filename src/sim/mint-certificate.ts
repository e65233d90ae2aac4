// Mints X.509 certificates for any key type node:crypto has (RSA, EC, Ed25519): node-forge's asn1
// layer writes the DER, node:crypto signs it. node-forge alone signs RSA only, and the simulated
// cluster needs EC and Ed25519 certificates too. Used by `demo` and the tests, never for trust.
import { createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

const { asn1 } = forge;
const T = asn1.Type;
const C = asn1.Class;

export interface CertificateSpec {
  commonName: string;
  /** DNS names and IP addresses for subjectAltName. */
  sans?: string[];
  /** The subject's key pair (its public half goes in the certificate). */
  key: KeyObject;
  /** Issuer certificate PEM and key; absent = self-signed. */
  issuer?: { certificatePem: string; commonName: string; key: KeyObject };
  notBefore: Date;
  notAfter: Date;
  isCA?: boolean;
  /** 'sha1' makes a deliberately weak certificate. */
  hash?: 'sha256' | 'sha384' | 'sha1';
}

const seq = (items: forge.asn1.Asn1[]) => asn1.create(C.UNIVERSAL, T.SEQUENCE, true, items);
const oid = (dotted: string) => asn1.create(C.UNIVERSAL, T.OID, false, asn1.oidToDer(dotted).getBytes());
const fromDer = (buf: Buffer) => asn1.fromDer(forge.util.createBuffer(buf.toString('binary')));
const toDer = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');

function name(commonName: string): forge.asn1.Asn1 {
  const attr = seq([oid('2.5.4.3'), asn1.create(C.UNIVERSAL, T.UTF8, false, forge.util.encodeUtf8(commonName))]);
  return seq([asn1.create(C.UNIVERSAL, T.SET, true, [attr])]);
}

function time(date: Date): forge.asn1.Asn1 {
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  return date.getUTCFullYear() < 2050
    ? asn1.create(C.UNIVERSAL, T.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(C.UNIVERSAL, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function extension(id: string, critical: boolean, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  const parts = [oid(id)];
  if (critical) parts.push(asn1.create(C.UNIVERSAL, T.BOOLEAN, false, String.fromCharCode(0xff)));
  parts.push(asn1.create(C.UNIVERSAL, T.OCTETSTRING, false, asn1.toDer(value).getBytes()));
  return seq(parts);
}

function ipBytes(ip: string): string {
  if (isIP(ip) === 4) return String.fromCharCode(...ip.split('.').map(Number));
  const full = ip.includes('::') ? expandIpv6(ip) : ip.split(':');
  return String.fromCharCode(...full.flatMap((h) => [parseInt(h, 16) >> 8, parseInt(h, 16) & 0xff]));
}

function expandIpv6(ip: string): string[] {
  const [head, tail] = ip.split('::') as [string, string];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
}

function sanExtension(sans: readonly string[]): forge.asn1.Asn1 {
  const names = sans.map((s) => (isIP(s) ? asn1.create(C.CONTEXT_SPECIFIC, 7, false, ipBytes(s)) : asn1.create(C.CONTEXT_SPECIFIC, 2, false, s)));
  return extension('2.5.29.17', false, seq(names));
}

function basicConstraints(isCA: boolean): forge.asn1.Asn1 {
  return extension('2.5.29.19', true, seq(isCA ? [asn1.create(C.UNIVERSAL, T.BOOLEAN, false, String.fromCharCode(0xff))] : []));
}

/** The signature algorithm for the signer's key type, and the hash node:crypto.sign takes. */
function signatureAlgorithm(signer: KeyObject, hash: 'sha256' | 'sha384' | 'sha1'): { id: forge.asn1.Asn1; digest: string | null } {
  const type = signer.asymmetricKeyType;
  if (type === 'ed25519') return { id: seq([oid('1.3.101.112')]), digest: null };
  if (type === 'ec') {
    const curve = signer.asymmetricKeyDetails?.namedCurve;
    const h = hash === 'sha1' ? 'sha1' : curve === 'secp384r1' ? 'sha384' : hash;
    const ids = { sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3' };
    return { id: seq([oid(ids[h])]), digest: h };
  }
  const ids = { sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12' };
  return { id: seq([oid(ids[hash]), asn1.create(C.UNIVERSAL, T.NULL, false, '')]), digest: hash };
}

function serialNumber(): forge.asn1.Asn1 {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive and no leading zero byte
  return asn1.create(C.UNIVERSAL, T.INTEGER, false, bytes.toString('binary'));
}

/** A PEM certificate for the spec. */
export function mintCertificate(spec: CertificateSpec): string {
  const signerKey = spec.issuer?.key ?? spec.key;
  const algorithm = signatureAlgorithm(signerKey, spec.hash ?? 'sha256');
  const extensions = [basicConstraints(spec.isCA ?? false)];
  if (spec.sans?.length) extensions.push(sanExtension(spec.sans));
  const spki = fromDer(createPublicKey(spec.key).export({ type: 'spki', format: 'der' }));
  const tbs = seq([
    asn1.create(C.CONTEXT_SPECIFIC, 0, true, [asn1.create(C.UNIVERSAL, T.INTEGER, false, String.fromCharCode(2))]),
    serialNumber(),
    algorithm.id,
    name(spec.issuer?.commonName ?? spec.commonName),
    seq([time(spec.notBefore), time(spec.notAfter)]),
    name(spec.commonName),
    spki,
    asn1.create(C.CONTEXT_SPECIFIC, 3, true, [seq(extensions)]),
  ]);
  const tbsDer = toDer(tbs);
  const signature = sign(algorithm.digest, tbsDer, signerKey);
  const certificate = seq([fromDer(tbsDer), algorithm.id, asn1.create(C.UNIVERSAL, T.BITSTRING, false, `\u0000${signature.toString('binary')}`)]);
  const body = toDer(certificate)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
