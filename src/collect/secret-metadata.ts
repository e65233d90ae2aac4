// What the archive says about the env group's secret: names, type, key names and sizes, and the
// facts of the certificates in it. Never a value: no data, no annotation values (a
// last-applied-configuration annotation repeats the data), no key bytes. Pure.
import type { KubeObject } from '../apigee/resources.js';
import { nameOf } from '../apigee/resources.js';
import { LAYOUTS, decodeSecretValue } from '../apigee/secret-layout.js';
import { analyseCertificate, analysePrivateKey, type ParsedCertificate } from '../pki/index.js';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  dnsNames: string[];
  ipAddresses: string[];
  sha256Fingerprint: string;
  publicKey: string;
  signatureAlgorithm: string;
  isCA: boolean;
  selfIssued: boolean;
}

export interface SecretKeyMetadata {
  /** The data key, e.g. `cert` or `tls.crt`. */
  name: string;
  /** Decoded size in bytes. */
  size: number;
  /** What the key holds for the ingress, by its name. */
  role?: 'certificate chain' | 'private key' | 'CA certificate';
  certificates?: CertificateFacts[];
  /** The private key's kind (type, size, format), never its bytes. */
  privateKey?: string;
  /** Why the value does not read as what its name says; never quotes the value. */
  problem?: string;
}

export type SecretMetadata =
  | {
      state: 'found';
      name: string;
      namespace: string;
      type: string;
      creationTimestamp?: string;
      labels: Record<string, string>;
      /** Annotation names only: values may repeat the data. */
      annotationNames: string[];
      keys: SecretKeyMetadata[];
    }
  | { state: 'missing' | 'error'; name: string; namespace: string; reason: string };

function roleOf(key: string): SecretKeyMetadata['role'] {
  for (const layout of LAYOUTS) {
    if (key === layout.cert) return 'certificate chain';
    if (key === layout.key) return 'private key';
    if (key === layout.ca) return 'CA certificate';
  }
  return undefined;
}

function publicKeyText(c: ParsedCertificate): string {
  if (c.publicKeyBits) return `${c.publicKeyType} ${c.publicKeyBits} bits`;
  if (c.curve) return `${c.publicKeyType} ${c.curve}`;
  return c.publicKeyType;
}

export function certificateFacts(c: ParsedCertificate): CertificateFacts {
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    dnsNames: [...c.sans.dns],
    ipAddresses: [...c.sans.ip],
    sha256Fingerprint: c.fingerprint256,
    publicKey: publicKeyText(c),
    signatureAlgorithm: c.signatureAlgorithm,
    isCA: c.isCA,
    selfIssued: c.selfIssued,
  };
}

function keyMetadata(name: string, value: string): SecretKeyMetadata {
  const bytes = decodeSecretValue(value);
  const meta: SecretKeyMetadata = { name, size: bytes.length };
  const role = roleOf(name);
  if (role) meta.role = role;
  const text = bytes.toString('latin1');
  if (role === 'private key') {
    const key = analysePrivateKey(bytes);
    if (key.ok) meta.privateKey = [key.keyType, key.bits ? `${key.bits} bits` : key.curve, key.format.toUpperCase()].filter(Boolean).join(', ');
    else meta.problem = key.detail;
  } else if (role || text.includes('-----BEGIN CERTIFICATE-----')) {
    const certs = analyseCertificate(bytes);
    if (certs.ok) meta.certificates = certs.certificates.map(certificateFacts);
    else meta.problem = certs.detail;
  }
  return meta;
}

export function secretMetadata(secret: KubeObject, fallbackNamespace: string): SecretMetadata {
  const data = secret.data && typeof secret.data === 'object' ? secret.data : {};
  const keys = Object.keys(data)
    .filter((k) => typeof data[k] === 'string')
    .sort()
    .map((k) => keyMetadata(k, data[k]!));
  const created = (secret.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp;
  return {
    state: 'found',
    name: nameOf(secret),
    namespace: secret.metadata?.namespace ?? fallbackNamespace,
    type: typeof secret.type === 'string' ? secret.type : 'Opaque',
    ...(typeof created === 'string' ? { creationTimestamp: created } : {}),
    labels: { ...(secret.metadata?.labels ?? {}) },
    annotationNames: Object.keys(secret.metadata?.annotations ?? {}).sort(),
    keys,
  };
}
