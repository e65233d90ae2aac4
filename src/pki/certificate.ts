// Certificate bytes → every certificate in them, or the one reason they are not a PEM chain.
// The text layer (pem.ts) names the damage; node:crypto decides whether each block's DER is a
// certificate and supplies the error code as evidence. Never throws.
import { X509Certificate } from 'node:crypto';
import { codeSuffix, codeThrownBy, errorCode } from './errors.js';
import { describeLabel, isPrivateKeyLabel } from './labels.js';
import { canonicalPem, decodeBase64Text, ordinal, prepareInput, scanPem, type PemProblemKind } from './pem.js';
import { parseSubjectAltName } from './san.js';
import { signatureAlgorithmOf } from './signature-algorithm.js';
import type { CertProblem, CertificateAnalysis, ParsedCertificate } from './types.js';

const PROBLEM_OF_SCAN: Record<PemProblemKind, CertProblem> = {
  'bad-begin-line': 'no-certificate-block',
  'bad-end-line': 'bad-end-line',
  'missing-end-line': 'missing-end-line',
  'bad-base64': 'bad-base64',
  'no-newline-between-blocks': 'no-newline-between-blocks',
  'trailing-garbage': 'trailing-garbage',
  'leading-garbage': 'leading-garbage',
};

export function analyseCertificate(bytes: Buffer): CertificateAnalysis {
  try {
    return analyse(bytes);
  } catch {
    // Nothing above is expected to throw; this keeps the promise for inputs no test imagined.
    return { ok: false, problem: 'no-certificate-block', detail: 'The certificate bytes could not be analysed.', notes: [] };
  }
}

function analyse(bytes: Buffer): CertificateAnalysis {
  const input = prepareInput(bytes);
  const { notes } = input;
  const failure = (problem: CertProblem, detail: string, nodeErrorCode?: string, blockIndex?: number): CertificateAnalysis => {
    const result: CertificateAnalysis = { ok: false, problem, detail, notes };
    if (nodeErrorCode) result.nodeErrorCode = nodeErrorCode;
    if (blockIndex !== undefined) result.blockIndex = blockIndex;
    return result;
  };

  switch (input.shape) {
    case 'empty':
      return failure('empty', 'The certificate is empty.');
    case 'utf16':
      return failure('no-certificate-block', 'The certificate is UTF-16 text; PEM must be saved as ASCII (or UTF-8).');
    case 'binary':
      return failure('no-certificate-block', 'The certificate is binary data, neither PEM nor DER.');
    case 'cr-line-ends':
      return failure(
        'no-certificate-block',
        "The certificate's lines end in a bare CR (old Mac line endings); PEM needs LF or CRLF.",
        codeThrownBy(() => new X509Certificate(input.text)),
      );
    case 'der': {
      const code = codeThrownBy(() => new X509Certificate(bytes.subarray(notes.includes('bom') ? 3 : 0)));
      return failure(
        'der',
        code
          ? `The certificate is binary DER, not PEM, and it is not even a readable DER certificate${codeSuffix(code)}.`
          : 'The certificate is binary DER, not PEM; convert it with openssl x509 -inform DER -outform PEM.',
      );
    }
    case 'double-base64':
      return failure('double-base64', 'The certificate is base64-encoded twice: decoding it once gives PEM text (-----BEGIN …), not a certificate.');
    case 'bare-base64': {
      const der = decodeBase64Text(input.text);
      return failure(
        'no-certificate-block',
        der[0] === 0x30
          ? 'The certificate is base64 without its -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines.'
          : 'The certificate is base64 text with no PEM BEGIN/END lines, and it does not decode to DER.',
      );
    }
    case 'text':
      break;
  }

  const scan = scanPem(input.text);
  if (scan.problem) {
    const { kind, detail, blockIndex, nodeInput } = scan.problem;
    return failure(
      PROBLEM_OF_SCAN[kind],
      detail,
      codeThrownBy(() => new X509Certificate(nodeInput)),
      blockIndex,
    );
  }
  if (scan.blocks.length === 0) {
    return failure(
      'no-certificate-block',
      'There is no -----BEGIN CERTIFICATE----- line: the input is not PEM.',
      codeThrownBy(() => new X509Certificate(input.text)),
    );
  }

  const certificates: ParsedCertificate[] = [];
  for (const block of scan.blocks) {
    if (isPrivateKeyLabel(block.label)) {
      return failure(
        'private-key-not-certificate',
        `The ${ordinal(block.index)} PEM block is ${describeLabel(block.label)}, where the certificate belongs: were the certificate and key swapped?`,
        undefined,
        block.index,
      );
    }
    if (block.label !== 'CERTIFICATE') {
      // Go's crypto/tls (kubectl create secret tls) and Apigee want plain CERTIFICATE blocks.
      return failure(
        'no-certificate-block',
        `The ${ordinal(block.index)} PEM block is ${describeLabel(block.label)}, not a CERTIFICATE.`,
        undefined,
        block.index,
      );
    }
    if (block.headers.length > 0) {
      return failure(
        'bad-base64',
        `The ${ordinal(block.index)} PEM block has header lines (Name: value) before its body; a certificate has none.`,
        codeThrownBy(() => new X509Certificate(block.text)),
        block.index,
      );
    }
    let x509: X509Certificate;
    try {
      // Canonical PEM, not the DER: OpenSSL's PEM path rejects trailing bytes that d2i would ignore.
      x509 = new X509Certificate(canonicalPem('CERTIFICATE', block.base64));
    } catch (err) {
      const code = errorCode(err);
      return failure(
        'bad-der',
        `The ${ordinal(block.index)} PEM block is valid base64, but what it decodes to is not a readable X.509 certificate${codeSuffix(code)}.`,
        code,
        block.index,
      );
    }
    const described = describeCertificate(x509, block.index, block.der);
    // OpenSSL parses a date like month 13 and prints it back; every check after this needs real dates.
    if (Number.isNaN(described.notBefore.getTime()) || Number.isNaN(described.notAfter.getTime())) {
      return failure('bad-der', `The ${ordinal(block.index)} PEM block is a certificate whose validity dates cannot be read.`, undefined, block.index);
    }
    certificates.push(described);
  }
  const result: CertificateAnalysis = { ok: true, certificates, notes };
  if (scan.truncated) result.truncated = true;
  return result;
}

/** One line: X509Certificate prints one attribute per line ("CN=a\nO=b"). */
export function oneLineName(name: string): string {
  return name
    .split('\n')
    .filter((part) => part !== '')
    .join(', ');
}

function parseDate(text: string): Date {
  // validFrom/validTo read like "Jan  1 00:00:00 2025 GMT", which Date parses; Node 20 has no Date getters.
  return new Date(text);
}

/** The facts every check needs, read once. `der` is the certificate's DER (for the signature algorithm). */
export function describeCertificate(x509: X509Certificate, index: number, der: Buffer = x509.raw): ParsedCertificate {
  const parsed: ParsedCertificate = {
    index,
    x509,
    subject: oneLineName(x509.subject),
    issuer: oneLineName(x509.issuer),
    serialNumber: x509.serialNumber,
    fingerprint256: x509.fingerprint256,
    notBefore: parseDate(x509.validFrom),
    notAfter: parseDate(x509.validTo),
    sans: parseSubjectAltName(x509.subjectAltName),
    publicKeyType: 'unknown',
    signatureAlgorithm: signatureAlgorithmOf(der),
    isCA: x509.ca,
    selfIssued: false,
  };
  try {
    // The getter throws for key algorithms this OpenSSL build cannot load (e.g. GOST).
    const key = x509.publicKey;
    parsed.publicKeyType = key.asymmetricKeyType ?? 'unknown';
    const details = key.asymmetricKeyDetails;
    if ((parsed.publicKeyType === 'rsa' || parsed.publicKeyType === 'rsa-pss') && details?.modulusLength) {
      parsed.publicKeyBits = details.modulusLength;
    }
    if (details?.namedCurve) parsed.curve = details.namedCurve;
    parsed.selfIssued = x509.subject === x509.issuer && x509.verify(key);
  } catch {
    // Unknown key type: the fields keep their defaults and the certificate is not self-issued.
  }
  return parsed;
}
