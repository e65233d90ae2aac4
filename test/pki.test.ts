// pki/: every class of broken certificate and key input, key matching for every key type, chain
// order and completeness, hostnames, validity against an injected clock, and weaknesses.
// All inputs are generated at test time (helpers/pki-fixtures.ts).
import test from 'ava';
import fc from 'fast-check';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import {
  analyseCertificate,
  analyseChain,
  analysePrivateKey,
  canonicalPem,
  daysLeft,
  describeCertificate,
  findCertificateForKey,
  hostnameCovered,
  ipKey,
  keyMatchesCertificate,
  MAX_BLOCKS,
  parseSubjectAltName,
  signatureAlgorithmOf,
  validityState,
  weaknesses,
  type CertificateAnalysis,
  type KeyAnalysis,
  type ParsedCertificate,
} from '../src/pki/index.js';
import { pkiFixtures } from './helpers/pki-fixtures.js';

const fx = pkiFixtures;
const DAY = 24 * 60 * 60 * 1000;

const certOf = (input: string | Buffer): CertificateAnalysis => analyseCertificate(Buffer.isBuffer(input) ? input : Buffer.from(input, 'latin1'));
const keyOf = (input: string | Buffer): KeyAnalysis => analysePrivateKey(Buffer.isBuffer(input) ? input : Buffer.from(input, 'latin1'));

/** The parsed certificates of good PEM; fails the test run loudly otherwise. */
function parsed(pem: string): ParsedCertificate[] {
  const r = certOf(pem);
  if (!r.ok) throw new Error(`fixture did not parse: ${r.problem}`);
  return r.certificates;
}
const one = (pem: string): ParsedCertificate => parsed(pem)[0] as ParsedCertificate;

/** The verdict fields of a certificate failure, without the sentence (asserted separately where it matters). */
function verdict(r: CertificateAnalysis | KeyAnalysis): Record<string, unknown> {
  if (r.ok) return { ok: true, notes: r.notes };
  const v: Record<string, unknown> = { problem: r.problem, notes: r.notes };
  if (r.nodeErrorCode !== undefined) v.nodeErrorCode = r.nodeErrorCode;
  if ('blockIndex' in r && r.blockIndex !== undefined) v.blockIndex = r.blockIndex;
  return v;
}

/** Body lines of a PEM text (the base64 between BEGIN and END). */
const bodyLines = (pem: string): string[] => pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));

const END_CERT = '-----END CERTIFICATE-----';

// ---------------------------------------------------------------------------------------------
// Certificates: good inputs

test('a single RSA leaf parses with every field', (t) => {
  const r = certOf(fx().certs.leaf);
  if (!r.ok) return t.fail(r.problem);
  t.deepEqual(r.notes, []);
  t.is(r.certificates.length, 1);
  const c = r.certificates[0] as ParsedCertificate;
  t.is(c.index, 0);
  t.is(c.subject, 'CN=api.example.com, O=Example');
  t.is(c.issuer, 'CN=Test Intermediate CA');
  t.is(c.serialNumber, '1002');
  t.is(c.notBefore.toISOString(), '2024-01-01T00:00:00.000Z');
  t.is(c.notAfter.toISOString(), '2030-01-01T00:00:00.000Z');
  t.deepEqual(c.sans, { dns: ['api.example.com', '*.apps.example.com'], ip: ['10.0.0.1', '2001:DB8:0:0:0:0:0:1'] });
  t.is(c.publicKeyType, 'rsa');
  t.is(c.publicKeyBits, 2048);
  t.is(c.curve, undefined);
  t.is(c.signatureAlgorithm, 'sha256WithRSAEncryption');
  t.false(c.isCA);
  t.false(c.selfIssued);
  t.is(c.fingerprint256, new X509Certificate(fx().certs.leaf).fingerprint256);
});

test('a leaf + intermediate chain parses in file order', (t) => {
  const certs = parsed(fx().certs.leaf + fx().certs.int);
  t.deepEqual(
    certs.map((c) => [c.index, c.subject, c.isCA, c.selfIssued]),
    [
      [0, 'CN=api.example.com, O=Example', false, false],
      [1, 'CN=Test Intermediate CA', true, false],
    ],
  );
});

test('the root is a self-issued CA', (t) => {
  const root = one(fx().certs.root);
  t.is(root.subject, 'CN=Test Root CA');
  t.true(root.isCA);
  t.true(root.selfIssued);
});

test('EC P-256, P-384 and Ed25519 certificates parse, with their key types and signature algorithms', (t) => {
  const { certs } = fx();
  const facts = (c: ParsedCertificate) => [c.publicKeyType, c.publicKeyBits, c.curve, c.signatureAlgorithm];
  t.deepEqual(facts(one(certs.p256Leaf)), ['ec', undefined, 'prime256v1', 'sha256WithRSAEncryption']);
  t.deepEqual(facts(one(certs.p384Leaf)), ['ec', undefined, 'secp384r1', 'sha256WithRSAEncryption']);
  t.deepEqual(facts(one(certs.ed25519Leaf)), ['ed25519', undefined, undefined, 'sha256WithRSAEncryption']);
  t.deepEqual(facts(one(certs.p256SelfSigned)), ['ec', undefined, 'prime256v1', 'ecdsa-with-SHA256']);
  t.deepEqual(facts(one(certs.ed25519SelfSigned)), ['ed25519', undefined, undefined, 'ED25519']);
  t.true(one(certs.p256SelfSigned).selfIssued);
  t.true(one(certs.ed25519SelfSigned).selfIssued);
});

test('a self-signed SHA-1 certificate parses and is self-issued', (t) => {
  const c = one(fx().certs.sha1SelfSigned);
  t.is(c.signatureAlgorithm, 'sha1WithRSAEncryption');
  t.is(c.subject, 'CN=legacy.example.com');
  t.true(c.selfIssued);
  t.false(c.isCA);
});

test('BOM and CRLF are accepted, with notes', (t) => {
  const pem = fx().certs.leaf;
  const crlf = pem.replace(/\n/g, '\r\n');
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pem)]);
  const both = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]);
  t.deepEqual(verdict(certOf(crlf)), { ok: true, notes: ['crlf'] });
  t.deepEqual(verdict(certOf(bom)), { ok: true, notes: ['bom'] });
  t.deepEqual(verdict(certOf(both)), { ok: true, notes: ['bom', 'crlf'] });
  const r = certOf(both);
  t.is(r.ok && r.certificates[0]?.subject, 'CN=api.example.com, O=Example');
});

test('tolerated layouts: blank lines around blocks, no final newline, one long body line, trailing blanks on armour lines', (t) => {
  const pem = fx().certs.leaf;
  const oneLine = `-----BEGIN CERTIFICATE-----\n${bodyLines(pem).join('')}\n${END_CERT}\n`;
  for (const input of [`\n\n${pem}\n\n`, pem.trimEnd(), oneLine, pem.replace(END_CERT, `${END_CERT}  `), pem + '\n' + fx().certs.int]) {
    t.true(certOf(input).ok, JSON.stringify(verdict(certOf(input))));
  }
});

// ---------------------------------------------------------------------------------------------
// Certificates: every class of damage

test('empty and whitespace-only certificates', (t) => {
  t.deepEqual(verdict(certOf('')), { problem: 'empty', notes: [] });
  t.deepEqual(verdict(certOf(' \n\t\n')), { problem: 'empty', notes: [] });
  t.deepEqual(verdict(certOf(Buffer.from([0xef, 0xbb, 0xbf]))), { problem: 'empty', notes: ['bom'] });
  const r = certOf('');
  t.is(!r.ok && r.detail, 'The certificate is empty.');
});

test('bad END line (one dash short)', (t) => {
  const r = certOf(fx().certs.leaf.replace(END_CERT, '-----END CERTIFICATE----'));
  t.deepEqual(verdict(r), { problem: 'bad-end-line', nodeErrorCode: 'ERR_OSSL_PEM_BAD_END_LINE', blockIndex: 0, notes: [] });
  t.is(
    !r.ok && r.detail,
    'The END line of the 1st PEM block is damaged: it must read exactly -----END <TYPE>----- with the same type as its BEGIN line, from the first column.',
  );
});

test('bad END line: wrong type, indented, or text after it', (t) => {
  const pem = fx().certs.leaf;
  for (const end of ['-----END X509 CRL-----', `  ${END_CERT}`, `${END_CERT}garbage`]) {
    t.like(certOf(pem.replace(END_CERT, end)), { ok: false, problem: 'bad-end-line', nodeErrorCode: 'ERR_OSSL_PEM_BAD_END_LINE', blockIndex: 0 }, end);
  }
});

test('a bad END line in the second block names the second block', (t) => {
  const { leaf, int } = fx().certs;
  const r = certOf(leaf + int.replace(END_CERT, '-----END CERTIFICATE----'));
  t.deepEqual(verdict(r), { problem: 'bad-end-line', nodeErrorCode: 'ERR_OSSL_PEM_BAD_END_LINE', blockIndex: 1, notes: [] });
  t.regex(!r.ok ? r.detail : '', /^The END line of the 2nd PEM block/);
});

test('missing END line (truncated paste), at the end and before the next block', (t) => {
  const { leaf, int } = fx().certs;
  const truncated = leaf.replace(`${END_CERT}\n`, '');
  t.deepEqual(verdict(certOf(truncated)), { problem: 'missing-end-line', nodeErrorCode: 'ERR_OSSL_PEM_BAD_END_LINE', blockIndex: 0, notes: [] });
  // OpenSSL itself silently reads the next block here; the scanner still names the damage.
  t.deepEqual(verdict(certOf(truncated + int)), { problem: 'missing-end-line', blockIndex: 0, notes: [] });
  const r = certOf(truncated);
  t.is(!r.ok && r.detail, 'The 1st PEM block has no END line (a truncated paste?).');
});

test('illegal base64 characters', (t) => {
  const lines = fx().certs.leaf.split('\n');
  lines[5] = '!!!!corrupted*base64*line!!!!';
  t.deepEqual(verdict(certOf(lines.join('\n'))), { problem: 'bad-base64', nodeErrorCode: 'ERR_OSSL_PEM_BAD_BASE64_DECODE', blockIndex: 0, notes: [] });
});

test('base64 that is cut short, padded mid-body, split by a blank line, or non-ASCII', (t) => {
  const pem = fx().certs.leaf;
  const lines = pem.split('\n');
  const body = bodyLines(pem);
  const joined = body.join('');
  const unpadded = `-----BEGIN CERTIFICATE-----\n${joined.slice(0, joined.length - 2)}\n${END_CERT}\n`;
  t.like(certOf(unpadded), { ok: false, problem: 'bad-base64', blockIndex: 0 });
  const midPad = [...lines];
  midPad[2] = `${(midPad[2] as string).slice(0, -2)}==`;
  t.like(certOf(midPad.join('\n')), { ok: false, problem: 'bad-base64', nodeErrorCode: 'ERR_OSSL_PEM_BAD_BASE64_DECODE', blockIndex: 0 });
  const blank = [...lines];
  blank.splice(4, 0, '');
  t.like(certOf(blank.join('\n')), { ok: false, problem: 'bad-base64', blockIndex: 0 });
  const latin1 = Buffer.from(pem, 'latin1');
  latin1[100] = 0xe9;
  t.like(certOf(latin1), { ok: false, problem: 'bad-base64', blockIndex: 0 });
});

test('no newline between blocks', (t) => {
  const { leaf, int } = fx().certs;
  const r = certOf(leaf.slice(0, -1) + int);
  t.deepEqual(verdict(r), { problem: 'no-newline-between-blocks', nodeErrorCode: 'ERR_OSSL_PEM_BAD_END_LINE', blockIndex: 0, notes: [] });
  t.is(!r.ok && r.detail, 'The END line of the 1st PEM block runs straight into the next BEGIN line; put a newline between them.');
});

test('trailing garbage after the last END line, and text between blocks', (t) => {
  const { leaf, int } = fx().certs;
  t.deepEqual(verdict(certOf(`${leaf}some notes\n`)), { problem: 'trailing-garbage', notes: [] });
  t.deepEqual(verdict(certOf(`${leaf}intermediate follows:\n${int}`)), { problem: 'trailing-garbage', blockIndex: 0, notes: [] });
});

test('leading garbage: text before BEGIN, and indented PEM pasted from YAML', (t) => {
  const { leaf } = fx().certs;
  t.deepEqual(verdict(certOf(`Bag Attributes\n    localKeyID: 01\n${leaf}`)), { problem: 'leading-garbage', blockIndex: 0, notes: [] });
  const indented = leaf
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
  const r = certOf(indented);
  t.deepEqual(verdict(r), { problem: 'leading-garbage', nodeErrorCode: 'ERR_OSSL_PEM_NO_START_LINE', blockIndex: 0, notes: [] });
  t.is(!r.ok && r.detail, 'The BEGIN line of the 1st PEM block is indented; PEM lines must start in the first column (was it pasted from YAML?).');
  t.like(certOf(`x${leaf}`), { ok: false, problem: 'leading-garbage', blockIndex: 0 });
});

test('DER instead of PEM', (t) => {
  const der = new X509Certificate(fx().certs.leaf).raw;
  const r = certOf(der);
  t.deepEqual(verdict(r), { problem: 'der', notes: [] });
  t.is(!r.ok && r.detail, 'The certificate is binary DER, not PEM; convert it with openssl x509 -inform DER -outform PEM.');
  const junk = Buffer.from(der);
  junk[5] = 0xff;
  t.like(certOf(junk), { ok: false, problem: 'der' });
});

test('base64-encoded twice', (t) => {
  const twice = Buffer.from(fx().certs.leaf).toString('base64');
  t.true(twice.startsWith('LS0tLS1'));
  t.deepEqual(verdict(certOf(twice)), { problem: 'double-base64', notes: [] });
  // wrapped at 76 columns, as `base64` prints it, and with a BOM before the PEM
  t.deepEqual(verdict(certOf(twice.replace(/.{76}/g, '$&\n'))), { problem: 'double-base64', notes: [] });
  const bomTwice = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fx().certs.leaf)]).toString('base64');
  t.deepEqual(verdict(certOf(bomTwice)), { problem: 'double-base64', notes: [] });
});

test('base64 without BEGIN/END lines', (t) => {
  const r = certOf(bodyLines(fx().certs.leaf).join('\n'));
  t.deepEqual(verdict(r), { problem: 'no-certificate-block', notes: [] });
  t.is(!r.ok && r.detail, 'The certificate is base64 without its -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines.');
});

test('a private key where the certificate belongs', (t) => {
  const { keys, certs, leafPkcs1, p256Sec1 } = fx();
  const r = certOf(keys.leaf.pem);
  t.deepEqual(verdict(r), { problem: 'private-key-not-certificate', blockIndex: 0, notes: [] });
  t.is(!r.ok && r.detail, 'The 1st PEM block is a PRIVATE KEY, where the certificate belongs: were the certificate and key swapped?');
  t.like(certOf(leafPkcs1), { ok: false, problem: 'private-key-not-certificate', blockIndex: 0 });
  t.like(certOf(p256Sec1), { ok: false, problem: 'private-key-not-certificate', blockIndex: 0 });
  t.like(certOf(certs.leaf + keys.leaf.pem), { ok: false, problem: 'private-key-not-certificate', blockIndex: 1 });
});

test('bad DER: valid base64, broken ASN.1', (t) => {
  const der = new X509Certificate(fx().certs.leaf).raw;
  const pemOf = (d: Buffer) => canonicalPem('CERTIFICATE', d.toString('base64'));
  const tooLong = Buffer.from(der);
  tooLong[2] = 0xff;
  tooLong[3] = 0xff;
  t.deepEqual(verdict(certOf(pemOf(tooLong))), { problem: 'bad-der', nodeErrorCode: 'ERR_OSSL_ASN1_TOO_LONG', blockIndex: 0, notes: [] });
  const wrongTag = Buffer.from(der);
  wrongTag[4] = 0x31;
  t.deepEqual(verdict(certOf(pemOf(wrongTag))), { problem: 'bad-der', nodeErrorCode: 'ERR_OSSL_ASN1_WRONG_TAG', blockIndex: 0, notes: [] });
  const r = certOf(pemOf(wrongTag));
  t.is(!r.ok && r.detail, 'The 1st PEM block is valid base64, but what it decodes to is not a readable X.509 certificate (ERR_OSSL_ASN1_WRONG_TAG).');
  // signatures.md's recipe: letters A-M on the first body line turned into Z.
  const lines = fx().certs.leaf.split('\n');
  lines[1] = (lines[1] as string).replace(/[A-M]/g, 'Z');
  const damaged = certOf(lines.join('\n'));
  t.like(damaged, { ok: false, problem: 'bad-der', blockIndex: 0 });
  t.regex(!damaged.ok ? (damaged.nodeErrorCode ?? '') : '', /^ERR_OSSL_ASN1_/);
  t.deepEqual(verdict(certOf(canonicalPem('CERTIFICATE', ''))), { problem: 'bad-der', nodeErrorCode: 'ERR_OSSL_ASN1_WRONG_TAG', blockIndex: 0, notes: [] });
});

test("trailing bytes after the DER inside a PEM block are bad DER, as OpenSSL's PEM reader says", (t) => {
  const der = Buffer.concat([new X509Certificate(fx().certs.leaf).raw, Buffer.from('junkjunk')]);
  t.deepEqual(verdict(certOf(canonicalPem('CERTIFICATE', der.toString('base64')))), {
    problem: 'bad-der',
    nodeErrorCode: 'ERR_OSSL_ASN1_TOO_LONG',
    blockIndex: 0,
    notes: [],
  });
});

test('blocks that are not certificates', (t) => {
  const body = bodyLines(fx().certs.leaf).join('\n');
  const block = (label: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
  const r = certOf(block('CERTIFICATE REQUEST'));
  t.deepEqual(verdict(r), { problem: 'no-certificate-block', blockIndex: 0, notes: [] });
  t.is(!r.ok && r.detail, 'The 1st PEM block is a CERTIFICATE REQUEST (a CSR, not a certificate), not a CERTIFICATE.');
  t.like(certOf(fx().certs.leaf + block('TRUSTED CERTIFICATE')), { ok: false, problem: 'no-certificate-block', blockIndex: 1 });
  t.like(certOf(fx().leafPublicKey), { ok: false, problem: 'no-certificate-block', blockIndex: 0 });
  t.like(certOf('hello world\n'), { ok: false, problem: 'no-certificate-block', nodeErrorCode: 'ERR_OSSL_PEM_NO_START_LINE' });
  t.like(certOf(block('CERTIFICATE').replace('-----BEGIN CERTIFICATE-----', '----BEGIN CERTIFICATE-----')), {
    ok: false,
    problem: 'no-certificate-block',
    blockIndex: 0,
  });
  t.like(certOf(Buffer.from([0xff, 0xfe, 0x2d, 0x00])), {
    ok: false,
    problem: 'no-certificate-block',
    detail: 'The certificate is UTF-16 text; PEM must be saved as ASCII (or UTF-8).',
  });
  t.like(certOf(Buffer.from([0x00, 0x01, 0x02, 0x03])), {
    ok: false,
    problem: 'no-certificate-block',
    detail: 'The certificate is binary data, neither PEM nor DER.',
  });
  t.like(certOf(fx().certs.leaf.replace(/\n/g, '\r')), {
    ok: false,
    problem: 'no-certificate-block',
    nodeErrorCode: 'ERR_OSSL_PEM_NO_START_LINE',
    detail: "The certificate's lines end in a bare CR (old Mac line endings); PEM needs LF or CRLF.",
  });
  t.like(keyOf(fx().keys.leaf.pem.replace(/\n/g, '\r')), { ok: false, problem: 'no-key-block' });
});

test('PEM header lines in a certificate block are rejected', (t) => {
  const r = certOf(fx().certs.leaf.replace('-----BEGIN CERTIFICATE-----\n', '-----BEGIN CERTIFICATE-----\nComment: hello\n\n'));
  t.deepEqual(verdict(r), { problem: 'bad-base64', nodeErrorCode: 'ERR_OSSL_PEM_NOT_PROC_TYPE', blockIndex: 0, notes: [] });
});

test('details never echo input: no body text and no unknown PEM type', (t) => {
  const { certs, keys } = fx();
  const secret = 'SECRETSAUCE';
  const inputs = [
    certs.leaf.replace(END_CERT, '-----END CERTIFICATE----'),
    keys.leaf.pem,
    `${certs.leaf}${bodyLines(keys.leaf.pem)[3]}\n`,
    `${bodyLines(keys.leaf.pem)[3]}\n${certs.leaf}`,
    `-----BEGIN ${secret} KEY-----\n${bodyLines(keys.leaf.pem).join('\n')}\n-----END ${secret} KEY-----\n`,
    `-----BEGIN ${secret}-----\n${bodyLines(keys.leaf.pem).join('\n')}\n-----END ${secret}-----\n`,
    keys.leaf.pem.replace('-----END PRIVATE KEY-----', '-----END PRIVATE KEY----'),
    keys.leaf.pem.replace(/\n-----END PRIVATE KEY-----\n$/, ''),
  ];
  const probes = [secret, ...bodyLines(keys.leaf.pem).map((l) => l.slice(0, 16)), ...bodyLines(certs.leaf).map((l) => l.slice(0, 16))];
  for (const input of inputs) {
    t.false(certOf(input).ok);
    for (const r of [certOf(input), keyOf(input)]) {
      const detail = r.ok ? '' : r.detail;
      t.false(
        probes.some((p) => detail.includes(p)),
        detail,
      );
    }
  }
});

test('never throws: random bytes and mutated PEM (property)', (t) => {
  const pem = fx().certs.leaf;
  const key = fx().keys.leaf.pem;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
      const b = Buffer.from(bytes);
      return typeof certOf(b).ok === 'boolean' && typeof keyOf(b).ok === 'boolean';
    }),
    { numRuns: 300 },
  );
  const mutation = fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 8 }));
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (edits, onKey) => {
      let text = onKey ? key : pem;
      for (const [at, del, ins] of edits) {
        const i = at % (text.length + 1);
        text = text.slice(0, i) + ins + text.slice(i + del);
      }
      const r = onKey ? keyOf(text) : certOf(text);
      // Classified by the analysis itself, not by its last-resort catch.
      return r.ok || !r.detail.includes('could not be analysed');
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('never throws on huge and hostile inputs', (t) => {
  const tenMb = 10 * 1024 * 1024;
  const random = Buffer.alloc(tenMb);
  for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
  random[0] = 0x00;
  t.like(certOf(random), { ok: false, problem: 'no-certificate-block' });
  t.like(keyOf(random), { ok: false, problem: 'no-key-block' });
  t.like(certOf('-'.repeat(tenMb)), { ok: false, problem: 'no-certificate-block' });
  t.like(certOf('\n'.repeat(tenMb)), { ok: false, problem: 'empty' });
  t.like(certOf(`-----BEGIN CERTIFICATE-----\n${'A'.repeat(tenMb)}`), { ok: false, problem: 'missing-end-line', blockIndex: 0 });
  t.like(keyOf(`-----BEGIN PRIVATE KEY-----\n${'QUFB\n'.repeat(tenMb / 5)}-----END PRIVATE KEY-----\n`), { ok: false, problem: 'bad-der' });
  // ASN.1 nested 200 deep, inside a CERTIFICATE block
  let nested = Buffer.from([0x05, 0x00]);
  for (let i = 0; i < 200; i++) {
    const n = nested.length;
    nested = Buffer.concat([Buffer.from(n < 128 ? [0x30, n] : [0x30, 0x82, n >> 8, n & 0xff]), nested]);
  }
  t.like(certOf(canonicalPem('CERTIFICATE', nested.toString('base64'))), { ok: false, problem: 'bad-der', blockIndex: 0 });
  t.is(signatureAlgorithmOf(nested), 'unknown');
  t.is(signatureAlgorithmOf(Buffer.from('not der')), 'unknown');
});

test('thousands of blocks: the first MAX_BLOCKS are analysed and the rest is reported as truncated', (t) => {
  const leaf = fx().certs.leaf;
  const r = certOf(leaf.repeat(1500));
  t.is(MAX_BLOCKS, 1000);
  if (!r.ok) return t.fail(r.problem);
  t.is(r.certificates.length, 1000);
  t.is(r.certificates[999]?.index, 999);
  t.true(r.truncated);
  const exact = certOf(leaf.repeat(3));
  t.true(exact.ok && exact.truncated === undefined);
});

// ---------------------------------------------------------------------------------------------
// Private keys

test('PKCS#8 RSA, PKCS#1 RSA, SEC1 EC, PKCS#8 P-384 and Ed25519 keys', (t) => {
  const { keys, leafPkcs1, p256Sec1 } = fx();
  const facts = (r: KeyAnalysis) => (r.ok ? { keyType: r.keyType, format: r.format, bits: r.bits, curve: r.curve, notes: r.notes } : r.problem);
  t.deepEqual(facts(keyOf(keys.leaf.pem)), { keyType: 'rsa', format: 'pkcs8', bits: 2048, curve: undefined, notes: [] });
  t.deepEqual(facts(keyOf(leafPkcs1)), { keyType: 'rsa', format: 'pkcs1', bits: 2048, curve: undefined, notes: [] });
  t.deepEqual(facts(keyOf(p256Sec1)), { keyType: 'ec', format: 'sec1', bits: undefined, curve: 'prime256v1', notes: [] });
  t.deepEqual(facts(keyOf(keys.p256.pem)), { keyType: 'ec', format: 'pkcs8', bits: undefined, curve: 'prime256v1', notes: [] });
  t.deepEqual(facts(keyOf(keys.p384.pem)), { keyType: 'ec', format: 'pkcs8', bits: undefined, curve: 'secp384r1', notes: [] });
  t.deepEqual(facts(keyOf(keys.ed25519.pem)), { keyType: 'ed25519', format: 'pkcs8', bits: undefined, curve: undefined, notes: [] });
  t.deepEqual(facts(keyOf(keys.rsa1024.pem)), { keyType: 'rsa', format: 'pkcs8', bits: 1024, curve: undefined, notes: [] });
});

test('the parsed key is the same key', (t) => {
  const r = keyOf(fx().leafPkcs1);
  if (!r.ok) return t.fail(r.problem);
  t.true(r.key.equals(fx().keys.leaf.key));
});

test('key files: BOM and CRLF noted; EC PARAMETERS and a certificate before the key are skipped', (t) => {
  const { keys, certs, p256Sec1 } = fx();
  const bomCrlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(keys.leaf.pem.replace(/\n/g, '\r\n'))]);
  t.like(keyOf(bomCrlf), { ok: true, keyType: 'rsa', format: 'pkcs8', notes: ['bom', 'crlf'] });
  const ecparam = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
  t.like(keyOf(ecparam + p256Sec1), { ok: true, keyType: 'ec', format: 'sec1', curve: 'prime256v1' });
  t.like(keyOf(certs.leaf + keys.leaf.pem), { ok: true, keyType: 'rsa', format: 'pkcs8' });
});

test('empty key', (t) => {
  t.deepEqual(verdict(keyOf('')), { problem: 'empty', notes: [] });
  t.deepEqual(verdict(keyOf('\n\n')), { problem: 'empty', notes: [] });
});

test('encrypted PKCS#8 key', (t) => {
  const r = keyOf(fx().leafEncryptedPkcs8);
  t.deepEqual(verdict(r), { problem: 'encrypted-pkcs8', nodeErrorCode: 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED', notes: [] });
  t.is(
    !r.ok && r.detail,
    'The private key is encrypted (PKCS#8, -----BEGIN ENCRYPTED PRIVATE KEY-----); the ingress cannot use a passphrase. Decrypt it with openssl pkey.',
  );
});

test('legacy encrypted key (Proc-Type: 4,ENCRYPTED)', (t) => {
  const r = keyOf(fx().leafEncryptedLegacy);
  t.deepEqual(verdict(r), { problem: 'encrypted-legacy', nodeErrorCode: 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED', notes: [] });
  t.is(!r.ok && r.detail, 'The private key is encrypted (Proc-Type: 4,ENCRYPTED); the ingress cannot use a passphrase. Decrypt it with openssl pkey.');
});

test('OpenSSH private key', (t) => {
  t.deepEqual(verdict(keyOf(fx().openssh)), { problem: 'openssh', nodeErrorCode: 'ERR_OSSL_UNSUPPORTED', notes: [] });
});

test('a certificate or a public key where the key belongs', (t) => {
  const r = keyOf(fx().certs.leaf);
  t.deepEqual(verdict(r), { problem: 'certificate-not-key', nodeErrorCode: 'ERR_OSSL_UNSUPPORTED', notes: [] });
  t.is(!r.ok && r.detail, 'The private key holds a certificate, not a key: were the certificate and key swapped?');
  t.deepEqual(verdict(keyOf(fx().leafPublicKey)), { problem: 'public-key-not-private-key', nodeErrorCode: 'ERR_OSSL_UNSUPPORTED', notes: [] });
});

test('damaged key PEM: bad END line, missing END line, bad base64, garbage, no newline', (t) => {
  const pem = fx().keys.leaf.pem;
  const END = '-----END PRIVATE KEY-----';
  t.like(keyOf(pem.replace(END, '-----END PRIVATE KEY----')), { ok: false, problem: 'bad-end-line' });
  t.like(keyOf(pem.replace(`${END}\n`, '')), { ok: false, problem: 'missing-end-line' });
  const lines = pem.split('\n');
  lines[3] = '!!!!corrupted*base64*line!!!!';
  t.like(keyOf(lines.join('\n')), { ok: false, problem: 'bad-base64' });
  t.like(keyOf(`${pem}trailing\n`), { ok: false, problem: 'trailing-garbage' });
  t.like(keyOf(pem.replace(/^/gm, '  ')), { ok: false, problem: 'leading-garbage' });
  // KeyProblem has no no-newline reason; it is a damaged END line there.
  t.like(keyOf(pem.slice(0, -1) + fx().certs.leaf), { ok: false, problem: 'bad-end-line' });
});

test('DER key', (t) => {
  const r = keyOf(fx().keys.leaf.key.export({ type: 'pkcs1', format: 'der' }));
  t.deepEqual(verdict(r), { problem: 'der', notes: [] });
  t.is(!r.ok && r.detail, 'The private key is binary DER, not PEM: it holds a PKCS#1 RSA private key; convert it with openssl pkey -inform DER.');
  const ed = keyOf(fx().keys.ed25519.key.export({ type: 'pkcs8', format: 'der' }));
  t.is(!ed.ok && ed.detail, 'The private key is binary DER, not PEM: it holds a PKCS#8 private key; convert it with openssl pkey -inform DER.');
  const certDer = keyOf(new X509Certificate(fx().certs.leaf).raw);
  t.is(!certDer.ok && certDer.detail, 'The private key is binary DER, not PEM: it holds a certificate, not a key.');
});

test('double base64 key', (t) => {
  t.deepEqual(verdict(keyOf(Buffer.from(fx().keys.leaf.pem).toString('base64'))), { problem: 'double-base64', notes: [] });
});

test('bad DER inside a key block', (t) => {
  const der = new X509Certificate(fx().certs.leaf).raw.toString('base64');
  const r = keyOf(canonicalPem('PRIVATE KEY', der));
  t.deepEqual(verdict(r), { problem: 'bad-der', nodeErrorCode: 'ERR_OSSL_UNSUPPORTED', notes: [] });
  t.is(!r.ok && r.detail, 'The 1st PEM block is valid base64, but what it decodes to is not a readable PKCS#8 private key (ERR_OSSL_UNSUPPORTED).');
  t.like(keyOf(canonicalPem('EC PRIVATE KEY', der)), { ok: false, problem: 'bad-der' });
});

test('key files without a usable key block', (t) => {
  t.deepEqual(verdict(keyOf('just some text\n')), { problem: 'no-key-block', nodeErrorCode: 'ERR_OSSL_UNSUPPORTED', notes: [] });
  const body = bodyLines(fx().keys.leaf.pem).join('\n');
  const dsa = keyOf(`-----BEGIN DSA PRIVATE KEY-----\n${body}\n-----END DSA PRIVATE KEY-----\n`);
  t.deepEqual(verdict(dsa), { problem: 'no-key-block', notes: [] });
  t.like(keyOf(body), {
    ok: false,
    problem: 'no-key-block',
    detail: 'The private key is base64 without its -----BEGIN … PRIVATE KEY----- and -----END … PRIVATE KEY----- lines.',
  });
  t.like(keyOf(`-----BEGIN PRIVATE KEY-----\nComment: x\n\n${body}\n-----END PRIVATE KEY-----\n`), { ok: false, problem: 'bad-base64' });
});

// ---------------------------------------------------------------------------------------------
// Key ↔ certificate

test('matching key pairs: RSA, EC P-256, EC P-384, Ed25519', (t) => {
  const { keys, certs } = fx();
  t.true(keyMatchesCertificate(keys.leaf.key, one(certs.leaf)));
  t.true(keyMatchesCertificate(keys.p256.key, one(certs.p256Leaf)));
  t.true(keyMatchesCertificate(keys.p384.key, one(certs.p384Leaf)));
  t.true(keyMatchesCertificate(keys.ed25519.key, one(certs.ed25519Leaf)));
  t.true(keyMatchesCertificate(keys.sha1.key, one(certs.sha1SelfSigned)));
  // a key parsed by analysePrivateKey, in another format (PKCS#1)
  const pkcs1 = keyOf(fx().leafPkcs1);
  t.true(pkcs1.ok && keyMatchesCertificate(pkcs1.key, one(certs.leaf)));
});

test("a certificate with another certificate's key does not match", (t) => {
  const { keys, certs } = fx();
  t.false(keyMatchesCertificate(keys.other.key, one(certs.leaf)));
  t.false(keyMatchesCertificate(keys.leaf.key, one(certs.int)));
  t.false(keyMatchesCertificate(keys.p256.key, one(certs.p384Leaf)));
  t.false(keyMatchesCertificate(keys.ed25519.key, one(certs.leaf)));
  t.false(keyMatchesCertificate(keys.p384.key, one(certs.ed25519Leaf)));
});

test('findCertificateForKey says which certificate the key belongs to', (t) => {
  const { keys, certs } = fx();
  t.is(findCertificateForKey(keys.leaf.key, parsed(certs.leaf + certs.int)), 0);
  t.is(findCertificateForKey(keys.leaf.key, parsed(certs.int + certs.leaf)), 1);
  t.is(findCertificateForKey(keys.int.key, parsed(certs.leaf + certs.int)), 1);
  t.is(findCertificateForKey(keys.other.key, parsed(certs.leaf + certs.int)), -1);
  t.is(findCertificateForKey(keys.leaf.key, []), -1);
});

// ---------------------------------------------------------------------------------------------
// Chains

test('leaf + intermediate: in order; complete with the root as an extra anchor', (t) => {
  const { certs } = fx();
  t.deepEqual(analyseChain(parsed(certs.leaf + certs.int), parsed(certs.root), true), {
    order: { ok: true },
    complete: true,
    lastSubject: 'CN=Test Intermediate CA',
    lastIssuer: 'CN=Test Root CA',
    anchoredBy: 'CN=Test Root CA',
  });
});

test('leaf + intermediate without the root is incomplete (the test root is not a bundled root)', (t) => {
  const { certs } = fx();
  t.deepEqual(analyseChain(parsed(certs.leaf + certs.int), [], true), {
    order: { ok: true },
    complete: false,
    lastSubject: 'CN=Test Intermediate CA',
    lastIssuer: 'CN=Test Root CA',
  });
});

test('a leaf alone whose issuer is an unknown intermediate is incomplete', (t) => {
  const { certs } = fx();
  t.deepEqual(analyseChain(parsed(certs.orphanLeaf), parsed(certs.root), true), {
    order: { ok: true },
    complete: false,
    lastSubject: 'CN=orphan.example.com',
    lastIssuer: 'CN=Orphan Intermediate CA',
  });
  // the intermediate as an extra anchor closes a leaf-only chain
  t.like(analyseChain(parsed(certs.leaf), parsed(certs.int), false), { complete: true, anchoredBy: 'CN=Test Intermediate CA' });
});

test('a chain that includes its self-signed root is complete', (t) => {
  const { certs } = fx();
  t.deepEqual(analyseChain(parsed(certs.leaf + certs.int + certs.root), [], false), {
    order: { ok: true },
    complete: true,
    lastSubject: 'CN=Test Root CA',
    lastIssuer: 'CN=Test Root CA',
    anchoredBy: 'CN=Test Root CA',
  });
  t.like(analyseChain(parsed(certs.sha1SelfSigned), [], false), { order: { ok: true }, complete: true, anchoredBy: 'CN=legacy.example.com' });
});

test('reversed chain: leaf not first', (t) => {
  const { certs } = fx();
  t.deepEqual(analyseChain(parsed(certs.int + certs.leaf), parsed(certs.root), true).order, { ok: false, reason: 'leaf-not-first', leafIndex: 1 });
  t.deepEqual(analyseChain(parsed(certs.root + certs.int + certs.leaf), [], false).order, { ok: false, reason: 'leaf-not-first', leafIndex: 2 });
});

test('a certificate not signed by the next one', (t) => {
  const { certs } = fx();
  t.deepEqual(analyseChain(parsed(certs.leaf + certs.root), [], false).order, { ok: false, reason: 'not-signed-by-next', index: 0 });
  t.deepEqual(analyseChain(parsed(certs.leaf + certs.int + certs.int), [], false).order, { ok: false, reason: 'not-signed-by-next', index: 1 });
  t.deepEqual(analyseChain(parsed(certs.orphanLeaf + certs.int), [], false).order, { ok: false, reason: 'not-signed-by-next', index: 0 });
});

test('an extra anchor that is the last certificate itself completes the chain', (t) => {
  const { certs } = fx();
  t.like(analyseChain(parsed(certs.leaf + certs.int), parsed(certs.int), false), {
    order: { ok: true },
    complete: true,
    anchoredBy: 'CN=Test Intermediate CA',
  });
});

test("a bundled root's name is not enough: its key must have signed the certificate", (t) => {
  const { certs } = fx();
  const isrg = rootCertificates.map((p) => new X509Certificate(p)).find((c) => c.subject === 'C=US\nO=Internet Security Research Group\nCN=ISRG Root X1');
  t.truthy(isrg, 'Node bundles ISRG Root X1');
  const leaf = parsed(certs.impostorLeaf);
  t.deepEqual(analyseChain(leaf, [], true), {
    order: { ok: true },
    complete: false,
    lastSubject: 'CN=impostor.example.com',
    lastIssuer: 'C=US, O=Internet Security Research Group, CN=ISRG Root X1',
  });
  t.like(analyseChain(leaf, parsed(certs.impostorRoot), true), { complete: true, anchoredBy: 'C=US, O=Internet Security Research Group, CN=ISRG Root X1' });
});

test('a bundled root is a complete chain by itself; an empty chain is not', (t) => {
  const bundled = describeCertificate(new X509Certificate(rootCertificates[0] as string), 0);
  t.like(analyseChain([bundled], [], true), { order: { ok: true }, complete: true, anchoredBy: bundled.subject });
  t.deepEqual(analyseChain([], [], true), { order: { ok: true }, complete: false, lastSubject: '', lastIssuer: '' });
});

// ---------------------------------------------------------------------------------------------
// Hostnames

test("hostnames against the leaf's SANs (RFC 6125)", (t) => {
  const { sans } = one(fx().certs.leaf);
  const covered = (h: string) => hostnameCovered(sans, h);
  t.true(covered('api.example.com'));
  t.true(covered('API.Example.COM'));
  t.true(covered('api.example.com.'));
  t.true(covered('foo.apps.example.com'));
  t.false(covered('apps.example.com'));
  t.false(covered('a.b.apps.example.com'));
  t.false(covered('example.com'));
  t.false(covered('api.example.com.evil.test'));
  t.false(covered('other.example.com'));
  t.false(covered(''));
  t.false(covered('*.apps.example.com'));
  t.true(covered('10.0.0.1'));
  t.false(covered('10.0.0.2'));
  t.true(covered('2001:db8::1'));
  t.true(covered('[2001:db8::1]'));
  t.true(covered('2001:0db8:0000:0000:0000:0000:0000:0001'));
  t.false(covered('2001:db8::2'));
});

test('wildcards only as the whole left-most label; IPs only against IP SANs; CN never used', (t) => {
  t.false(hostnameCovered({ dns: ['f*.example.com'], ip: [] }, 'foo.example.com'));
  t.false(hostnameCovered({ dns: ['*oo.example.com'], ip: [] }, 'foo.example.com'));
  t.false(hostnameCovered({ dns: ['a.*.example.com'], ip: [] }, 'a.b.example.com'));
  t.false(hostnameCovered({ dns: ['*.com'], ip: [] }, 'example.com'));
  t.true(hostnameCovered({ dns: ['*.Example.COM.'], ip: [] }, 'www.example.com'));
  t.false(hostnameCovered({ dns: ['10.0.0.1'], ip: [] }, '10.0.0.1'));
  t.false(hostnameCovered({ dns: [], ip: ['10.0.0.1'] }, 'api.example.com'));
  t.true(hostnameCovered({ dns: [], ip: ['0:0:0:0:0:FFFF:A00:1'] }, '::ffff:10.0.0.1'));
  // The p256 leaf's CN is ec.example.com; with its SANs removed nothing is covered.
  const leaf = one(fx().certs.p256Leaf);
  t.is(leaf.subject, 'CN=ec.example.com, O=Example');
  t.false(hostnameCovered({ dns: [], ip: [] }, 'ec.example.com'));
  t.true(hostnameCovered(leaf.sans, 'ec.example.com'));
});

test('ipKey normalises IPv4 and IPv6 forms', (t) => {
  t.is(ipKey('10.0.0.1'), '0a000001');
  t.is(ipKey('2001:DB8:0:0:0:0:0:1'), '20010db8000000000000000000000001');
  t.is(ipKey('2001:db8::1'), ipKey('2001:DB8:0:0:0:0:0:1'));
  t.is(ipKey('::ffff:10.0.0.1'), '00000000000000000000ffff0a000001');
  t.is(ipKey('::'), '0'.repeat(32));
  t.is(ipKey('fe80::1%eth0'), 'fe800000000000000000000000000001');
  t.is(ipKey('api.example.com'), undefined);
  t.is(ipKey('999.1.1.1'), undefined);
});

test("parseSubjectAltName reads Node's quoted values", (t) => {
  t.deepEqual(parseSubjectAltName('DNS:a.example.com, DNS:"b, c.example.com", IP Address:10.0.0.1, email:x@example.com, URI:https://example.com/'), {
    dns: ['a.example.com', 'b, c.example.com'],
    ip: ['10.0.0.1'],
  });
  t.deepEqual(parseSubjectAltName(undefined), { dns: [], ip: [] });
  t.deepEqual(parseSubjectAltName('DNS:"unterminated'), { dns: ['unterminated'], ip: [] });
});

// ---------------------------------------------------------------------------------------------
// Validity, with an injected clock

test('validity states against an injected clock', (t) => {
  const { certs } = fx();
  const leaf = one(certs.leaf); // 2024-01-01 .. 2030-01-01
  const at = (iso: string) => new Date(iso);
  const twoWeeks = 14 * DAY;
  t.is(validityState(leaf, at('2023-12-31T23:59:59Z'), twoWeeks), 'not-yet-valid');
  t.is(validityState(leaf, at('2024-01-01T00:00:00Z'), twoWeeks), 'valid');
  t.is(validityState(leaf, at('2029-01-01T00:00:00Z'), twoWeeks), 'valid');
  t.is(validityState(leaf, at('2029-12-18T00:00:00Z'), twoWeeks), 'expiring-soon');
  t.is(validityState(leaf, at('2029-12-17T23:59:59Z'), twoWeeks), 'valid');
  t.is(validityState(leaf, at('2030-01-01T00:00:00Z'), twoWeeks), 'expiring-soon');
  t.is(validityState(leaf, at('2030-01-01T00:00:00Z'), 0), 'valid');
  t.is(validityState(leaf, at('2030-01-01T00:00:00.001Z'), twoWeeks), 'expired');
  t.is(validityState(one(certs.expired), at('2025-06-01T00:00:00Z'), twoWeeks), 'expired');
  t.is(validityState(one(certs.notYetValid), at('2025-06-01T00:00:00Z'), twoWeeks), 'not-yet-valid');
});

test('days left', (t) => {
  const leaf = one(fx().certs.leaf);
  t.is(daysLeft(leaf, new Date('2029-12-25T00:00:00Z')), 7);
  t.is(daysLeft(leaf, new Date('2029-12-25T12:00:00Z')), 6);
  t.is(daysLeft(leaf, new Date('2029-01-01T00:00:00Z')), 365);
  t.is(daysLeft(leaf, new Date('2029-12-31T23:00:00Z')), 0);
  t.is(daysLeft(leaf, new Date('2030-01-01T01:00:00Z')), -1);
  const expired = one(fx().certs.expired); // 2020-01-01 .. 2021-01-01
  t.is(expired.notAfter.toISOString(), '2021-01-01T00:00:00.000Z');
  t.is(daysLeft(expired, new Date('2021-01-11T00:00:00Z')), -10);
  const future = one(fx().certs.notYetValid);
  t.is(future.notBefore.toISOString(), '2099-01-01T00:00:00.000Z');
  t.is(future.notAfter.toISOString(), '2100-01-01T00:00:00.000Z');
});

// ---------------------------------------------------------------------------------------------
// Weaknesses

test('weaknesses: SHA-1, short RSA; none on modern certificates', (t) => {
  const { certs } = fx();
  t.deepEqual(weaknesses(one(certs.sha1SelfSigned)), ['SHA-1 signature (sha1WithRSAEncryption)']);
  t.deepEqual(weaknesses(one(certs.rsa1024Leaf)), ['RSA key of 1024 bits (under 2048)']);
  for (const pem of [certs.leaf, certs.int, certs.p256Leaf, certs.p384Leaf, certs.ed25519Leaf, certs.p256SelfSigned, certs.ed25519SelfSigned]) {
    t.deepEqual(weaknesses(one(pem)), []);
  }
});

test('weaknesses: MD5, ECDSA with SHA-1, small curves', (t) => {
  t.deepEqual(weaknesses({ signatureAlgorithm: 'md5WithRSAEncryption', publicKeyType: 'rsa', publicKeyBits: 512 }), [
    'MD5 signature (md5WithRSAEncryption)',
    'RSA key of 512 bits (under 2048)',
  ]);
  t.deepEqual(weaknesses({ signatureAlgorithm: 'ecdsa-with-SHA1', publicKeyType: 'ec', curve: 'prime192v1' }), [
    'SHA-1 signature (ecdsa-with-SHA1)',
    'EC key on prime192v1 (under 256 bits)',
  ]);
  t.deepEqual(weaknesses({ signatureAlgorithm: 'sha256WithRSAEncryption', publicKeyType: 'rsa', publicKeyBits: 2048 }), []);
  t.deepEqual(weaknesses({ signatureAlgorithm: 'ecdsa-with-SHA384', publicKeyType: 'ec', curve: 'secp384r1' }), []);
});
