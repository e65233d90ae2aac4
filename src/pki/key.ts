// Private key bytes → a usable unencrypted KeyObject, or the one reason they are not one.
// Never passes a passphrase (the ingress cannot use one either), so node:crypto never prompts;
// an encrypted key is recognised by its PEM type or header and confirmed by the error code.
// Never throws.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { codeSuffix, codeThrownBy, errorCode } from './errors.js';
import { describeLabel, isCertificateLabel, isPrivateKeyLabel, isPublicKeyLabel } from './labels.js';
import { canonicalPem, decodeBase64Text, ordinal, prepareInput, scanPem, type PemBlock, type PemProblemKind } from './pem.js';
import type { InputNote, KeyAnalysis, KeyFormat, KeyProblem } from './types.js';

const PROBLEM_OF_SCAN: Record<PemProblemKind, KeyProblem> = {
  'bad-begin-line': 'no-key-block',
  'bad-end-line': 'bad-end-line',
  'missing-end-line': 'missing-end-line',
  'bad-base64': 'bad-base64',
  // KeyProblem has no "no newline" reason; OpenSSL reports it as a bad END line too.
  'no-newline-between-blocks': 'bad-end-line',
  'trailing-garbage': 'trailing-garbage',
  'leading-garbage': 'leading-garbage',
};

const FORMAT_OF_LABEL: Record<string, KeyFormat> = {
  'PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
};

const FORMAT_NAME: Record<KeyFormat, string> = { pkcs8: 'PKCS#8', pkcs1: 'PKCS#1 RSA', sec1: 'SEC1 EC' };

/** Codes node:crypto uses for "this key needs a passphrase" (the documented one, and what 3.0 gives). */
const PASSPHRASE_CODES = new Set(['ERR_MISSING_PASSPHRASE', 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED']);

export function analysePrivateKey(bytes: Buffer): KeyAnalysis {
  try {
    return analyse(bytes);
  } catch {
    // Nothing above is expected to throw; this keeps the promise for inputs no test imagined.
    return { ok: false, problem: 'no-key-block', detail: 'The key bytes could not be analysed.', notes: [] };
  }
}

type Failure = Extract<KeyAnalysis, { ok: false }>;

function analyse(bytes: Buffer): KeyAnalysis {
  const input = prepareInput(bytes);
  const { notes } = input;
  const failure = (problem: KeyProblem, detail: string, nodeErrorCode?: string): Failure => {
    const result: Failure = { ok: false, problem, detail, notes };
    if (nodeErrorCode) result.nodeErrorCode = nodeErrorCode;
    return result;
  };
  const pemCode = (text: string) => codeThrownBy(() => createPrivateKey({ key: text, format: 'pem' }));

  switch (input.shape) {
    case 'empty':
      return failure('empty', 'The private key is empty.');
    case 'utf16':
      return failure('no-key-block', 'The private key is UTF-16 text; PEM must be saved as ASCII (or UTF-8).');
    case 'binary':
      return failure('no-key-block', 'The private key is binary data, neither PEM nor DER.');
    case 'cr-line-ends':
      return failure('no-key-block', "The private key's lines end in a bare CR (old Mac line endings); PEM needs LF or CRLF.", pemCode(input.text));
    case 'der':
      return failure('der', `The private key is binary DER, not PEM: ${describeDer(bytes.subarray(notes.includes('bom') ? 3 : 0))}.`);
    case 'double-base64':
      return failure('double-base64', 'The private key is base64-encoded twice: decoding it once gives PEM text (-----BEGIN …), not a key.');
    case 'bare-base64':
      return failure(
        'no-key-block',
        decodeBase64Text(input.text)[0] === 0x30
          ? 'The private key is base64 without its -----BEGIN … PRIVATE KEY----- and -----END … PRIVATE KEY----- lines.'
          : 'The private key is base64 text with no PEM BEGIN/END lines, and it does not decode to DER.',
      );
    case 'text':
      break;
  }

  const scan = scanPem(input.text);
  if (scan.problem) {
    const { kind, detail, nodeInput } = scan.problem;
    return failure(PROBLEM_OF_SCAN[kind], detail, pemCode(nodeInput));
  }
  // Like Go's crypto/tls and OpenSSL's PEM reader: other blocks (EC PARAMETERS, a certificate in
  // a combined file) are skipped, and the first private key block is the key.
  const block = scan.blocks.find((b) => isPrivateKeyLabel(b.label));
  if (!block) {
    if (scan.blocks.some((b) => isCertificateLabel(b.label))) {
      return failure('certificate-not-key', 'The private key holds a certificate, not a key: were the certificate and key swapped?', pemCode(input.text));
    }
    if (scan.blocks.some((b) => isPublicKeyLabel(b.label))) {
      return failure('public-key-not-private-key', 'The private key holds a PUBLIC KEY; the ingress needs the private key.', pemCode(input.text));
    }
    const first = scan.blocks[0];
    return failure(
      'no-key-block',
      first
        ? `There is no private key block: the ${ordinal(first.index)} PEM block is ${describeLabel(first.label)}.`
        : 'There is no -----BEGIN … PRIVATE KEY----- line: the input is not PEM.',
      pemCode(input.text),
    );
  }
  return analyseKeyBlock(block, notes, failure);
}

function analyseKeyBlock(block: PemBlock, notes: InputNote[], failure: (p: KeyProblem, d: string, c?: string) => Failure): KeyAnalysis {
  const nth = ordinal(block.index);
  const procType = block.headers.find(([name]) => name.toLowerCase() === 'proc-type');
  if (block.label === 'ENCRYPTED PRIVATE KEY') {
    return failure(
      'encrypted-pkcs8',
      'The private key is encrypted (PKCS#8, -----BEGIN ENCRYPTED PRIVATE KEY-----); the ingress cannot use a passphrase. Decrypt it with openssl pkey.',
      codeThrownBy(() => createPrivateKey({ key: canonicalPem(block.label, block.base64), format: 'pem' })),
    );
  }
  if (procType && /ENCRYPTED/i.test(procType[1])) {
    return failure(
      'encrypted-legacy',
      'The private key is encrypted (Proc-Type: 4,ENCRYPTED); the ingress cannot use a passphrase. Decrypt it with openssl pkey.',
      codeThrownBy(() => createPrivateKey({ key: block.text, format: 'pem' })),
    );
  }
  if (block.label === 'OPENSSH PRIVATE KEY') {
    return failure(
      'openssh',
      "The private key is in OpenSSH's format (-----BEGIN OPENSSH PRIVATE KEY-----); TLS needs PEM (PKCS#8, PKCS#1 or SEC1). Convert a copy with ssh-keygen -p -m PEM.",
      codeThrownBy(() => createPrivateKey({ key: block.text, format: 'pem' })),
    );
  }
  const format = FORMAT_OF_LABEL[block.label];
  if (!format) {
    return failure(
      'no-key-block',
      `The ${nth} PEM block is ${describeLabel(block.label)}, which is not an RSA, EC or Ed25519 private key in a format TLS servers read.`,
    );
  }
  if (block.headers.length > 0) {
    return failure(
      'bad-base64',
      `The ${nth} PEM block has header lines (Name: value) before its body that do not belong to an unencrypted key.`,
      codeThrownBy(() => createPrivateKey({ key: block.text, format: 'pem' })),
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: canonicalPem(block.label, block.base64), format: 'pem' });
  } catch (err) {
    const code = errorCode(err);
    if (code && PASSPHRASE_CODES.has(code)) {
      return failure(format === 'pkcs8' ? 'encrypted-pkcs8' : 'encrypted-legacy', 'The private key needs a passphrase; the ingress cannot use one.', code);
    }
    return failure(
      'bad-der',
      `The ${nth} PEM block is valid base64, but what it decodes to is not a readable ${FORMAT_NAME[format]} private key${codeSuffix(code)}.`,
      code,
    );
  }
  const result: KeyAnalysis = { ok: true, key, keyType: key.asymmetricKeyType ?? 'unknown', format, notes };
  const details = key.asymmetricKeyDetails;
  if ((result.keyType === 'rsa' || result.keyType === 'rsa-pss') && details?.modulusLength) result.bits = details.modulusLength;
  if (details?.namedCurve) result.curve = details.namedCurve;
  return result;
}

/** What binary DER key material holds, for the detail sentence (never its contents). */
function describeDer(der: Buffer): string {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({ key: der, format: 'der', type });
      const name = { pkcs8: 'a PKCS#8 private key', pkcs1: 'a PKCS#1 RSA private key', sec1: 'a SEC1 EC private key' }[type];
      return `it holds ${name}; convert it with openssl pkey -inform DER`;
    } catch {
      // Not this type; try the next.
    }
  }
  try {
    new X509Certificate(der);
    return 'it holds a certificate, not a key';
  } catch {
    // Not a certificate either.
  }
  try {
    createPublicKey({ key: der, format: 'der', type: 'spki' });
    return 'it holds a public key, not a private key';
  } catch {
    return 'it is not a readable private key either';
  }
}
