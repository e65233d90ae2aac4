// What pki/ tells about certificate and key bytes. Pure data: verdicts are made in checks/.
import type { KeyObject, X509Certificate } from 'node:crypto';

/** Harmless quirks that every tool accepts; reported as notes, never as failures. */
export type InputNote = 'bom' | 'crlf';

/** Why certificate bytes are not a well-formed PEM X.509 chain. */
export type CertProblem =
  | 'empty'
  | 'bad-end-line' //              END line damaged (e.g. one dash short)
  | 'missing-end-line' //          BEGIN without END (truncated paste)
  | 'bad-base64' //                illegal characters in the body
  | 'no-newline-between-blocks' // -----END CERTIFICATE----------BEGIN CERTIFICATE-----
  | 'trailing-garbage' //          text after the last END line that is not whitespace
  | 'leading-garbage' //           text before the first BEGIN line (incl. indented PEM)
  | 'der' //                       binary DER where PEM is expected
  | 'double-base64' //             base64 of a PEM (starts LS0tLS1)
  | 'private-key-not-certificate' // a private key where the certificate belongs
  | 'bad-der' //                   base64 fine, the ASN.1 inside is broken
  | 'no-certificate-block'; //     PEM blocks, but none is a CERTIFICATE (or not PEM at all)

/** Why key bytes are not a usable unencrypted private key. */
export type KeyProblem =
  | 'empty'
  | 'bad-end-line'
  | 'missing-end-line'
  | 'bad-base64'
  | 'trailing-garbage'
  | 'leading-garbage'
  | 'der'
  | 'double-base64'
  | 'encrypted-pkcs8' //   -----BEGIN ENCRYPTED PRIVATE KEY-----
  | 'encrypted-legacy' //  Proc-Type: 4,ENCRYPTED
  | 'openssh' //           -----BEGIN OPENSSH PRIVATE KEY-----
  | 'certificate-not-key'
  | 'public-key-not-private-key'
  | 'bad-der'
  | 'no-key-block';

export interface SubjectAltNames {
  dns: string[];
  ip: string[];
}

export interface ParsedCertificate {
  /** Position of the PEM block in the input, 0-based. */
  index: number;
  x509: X509Certificate;
  subject: string; //   one line, e.g. "CN=api.example.com, O=Example"
  issuer: string;
  serialNumber: string;
  fingerprint256: string;
  notBefore: Date;
  notAfter: Date;
  sans: SubjectAltNames;
  publicKeyType: string; // 'rsa' | 'ec' | 'ed25519' | 'rsa-pss' | ...
  publicKeyBits?: number; // RSA modulus length
  curve?: string; //         EC named curve, e.g. 'prime256v1'
  signatureAlgorithm: string; // e.g. 'sha256WithRSAEncryption', 'ecdsa-with-SHA256', 'sha1WithRSAEncryption'
  isCA: boolean;
  selfIssued: boolean; // subject == issuer and its own key verifies it
}

export type CertificateAnalysis =
  | {
      ok: true;
      certificates: ParsedCertificate[];
      notes: InputNote[];
      /** More than MAX_BLOCKS (1000) PEM blocks: only the first 1000 were analysed. */
      truncated?: boolean;
    }
  | {
      ok: false;
      problem: CertProblem;
      /** One sentence for people; never contains input bytes. */
      detail: string;
      /** node:crypto error code that decided it, e.g. ERR_OSSL_PEM_BAD_END_LINE. */
      nodeErrorCode?: string;
      /** Which PEM block (0-based) was broken, when it is known. */
      blockIndex?: number;
      notes: InputNote[];
    };

export type KeyFormat = 'pkcs8' | 'pkcs1' | 'sec1';

export type KeyAnalysis =
  | {
      ok: true;
      key: KeyObject; // in memory only; never printed, logged or written
      keyType: string; // 'rsa' | 'ec' | 'ed25519' | ...
      format: KeyFormat;
      bits?: number;
      curve?: string;
      notes: InputNote[];
    }
  | { ok: false; problem: KeyProblem; detail: string; nodeErrorCode?: string; notes: InputNote[] };

export type ChainOrder = { ok: true } | { ok: false; reason: 'leaf-not-first'; leafIndex: number } | { ok: false; reason: 'not-signed-by-next'; index: number };

export interface ChainAnalysis {
  order: ChainOrder;
  /** The chain ends at a self-signed certificate or one issued by a known root. */
  complete: boolean;
  /** Subject of the certificate the chain ends with and its issuer (for evidence). */
  lastSubject: string;
  lastIssuer: string;
  /** Subject of the root that closed the chain, when one did. */
  anchoredBy?: string;
}

/** Where a certificate stands against an injected clock (validity.ts). */
export type ValidityState = 'valid' | 'expired' | 'not-yet-valid' | 'expiring-soon';
