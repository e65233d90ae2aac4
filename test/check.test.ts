// `check` end to end: the BUILT bundle (dist/kubectl-apigee_tls.cjs) runs as a subprocess on files
// written to a per-test temp dir. Every input class of certificate and key, key matching for each
// key type, chain order and completeness, validity, hostnames, strength, overrides.yaml (with
// mutual TLS), usage errors, the text/json/yaml renderings, a pseudo-terminal run with encrypted
// keys, a missing openssl, and the leak canary on every run that is handed a private key.
// Material comes from pkiFixtures() (made at test time) and broken variants derived from it.
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { tmpdir } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { CERT_ADVICE, KEY_ADVICE } from '../src/checks/advice.js';
import type { Diagnosis, DiagnosisList, Finding } from '../src/report/finding.js';
import { mintCertificate } from '../src/sim/mint-certificate.js';
import { BUNDLE, leakedKeyLines, runCli, type RunResult } from './helpers/cluster.js';
import { tempDir, type TempDir } from './helpers/files.js';
import { pkiFixtures } from './helpers/pki-fixtures.js';

const fx = pkiFixtures;
const DAY_MS = 86_400_000;
const END_CERT = '-----END CERTIFICATE-----';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const ESC = '\u001b';

// ---------------------------------------------------------------------------------------------
// Running the bundle

/** At most this many CLI processes at once (the machine has few cores; each run spawns openssl too). */
const MAX_PARALLEL = 4;
let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running < MAX_PARALLEL) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else running--;
  }
}

/** A minimal environment: PATH (node, openssl), a HOME, and nothing from the user's shell. No NO_COLOR. */
function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: tmpdir(), LANG: 'C.UTF-8', ...extra };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return env;
}

const cli = (args: string[], env: Record<string, string> = cliEnv()): Promise<RunResult> => limited(() => runCli(args, env));

/** Secret inputs of a run: every line of their base64 body must stay out of stdout and stderr. */
type Secret = string | Buffer;

function assertNoLeak(t: ExecutionContext, label: string, r: RunResult, secrets: readonly Secret[]): void {
  for (const secret of secrets) {
    // The canary must have something to look for, or it would pass vacuously.
    if (secret.length > 0) t.not(leakedKeyLines(secret.toString(), secret).length, 0, `${label}: canary has no key lines`);
    t.deepEqual(leakedKeyLines(r.stdout + r.stderr, secret), [], `${label}: key material in the output`);
  }
}

interface Checked {
  exitCode: number;
  report: Diagnosis | DiagnosisList;
  /** Clock bounds of the run, for day counts relative to "now". */
  startedAt: number;
  finishedAt: number;
}

/**
 * `check …args -o json`, parsed. When the run is handed secrets, the text and yaml renderings run
 * too: none of the three may leak a key line, all exit alike, and the yaml is the json document.
 */
async function check(t: ExecutionContext, args: string[], secrets: readonly Secret[] = []): Promise<Checked> {
  const startedAt = Date.now();
  const json = await cli(['check', ...args, '-o', 'json']);
  const finishedAt = Date.now();
  t.is(json.stderr, '', 'stderr of -o json');
  let report: Diagnosis | DiagnosisList;
  try {
    report = JSON.parse(json.stdout) as Diagnosis | DiagnosisList;
  } catch {
    t.fail(`not JSON (exit ${json.exitCode}): ${json.stdout}\n${json.stderr}`);
    throw new Error('not JSON');
  }
  assertNoLeak(t, '-o json', json, secrets);
  if (secrets.length > 0) {
    const [text, yaml] = await Promise.all([cli(['check', ...args]), cli(['check', ...args, '-o', 'yaml'])]);
    assertNoLeak(t, 'text', text, secrets);
    assertNoLeak(t, '-o yaml', yaml, secrets);
    t.is(text.exitCode, json.exitCode, 'text exit code');
    t.is(yaml.exitCode, json.exitCode, 'yaml exit code');
    t.deepEqual(parseYaml(yaml.stdout), report, 'yaml document');
  }
  return { exitCode: json.exitCode, report, startedAt, finishedAt };
}

// ---------------------------------------------------------------------------------------------
// Reading the report

const CHECKS = ['certificate', 'private-key', 'key-match', 'chain-order', 'chain-complete', 'validity', 'hostnames', 'strength', 'mtls-ca'] as const;
type CheckName = (typeof CHECKS)[number];
type Verdicts = Record<CheckName, string>;

/** Every check passes; mutual TLS is not configured. */
const ALL_PASS: Verdicts = {
  certificate: 'pass',
  'private-key': 'pass',
  'key-match': 'pass',
  'chain-order': 'pass',
  'chain-complete': 'pass',
  validity: 'pass',
  hostnames: 'pass',
  strength: 'pass',
  'mtls-ca': 'skip',
};

/** A certificate that does not parse: every check that reads it is skipped. */
const MALFORMED_CERT: Verdicts = {
  certificate: 'fail malformed-certificate',
  'private-key': 'skip',
  'key-match': 'skip',
  'chain-order': 'skip',
  'chain-complete': 'skip',
  validity: 'skip',
  hostnames: 'skip',
  strength: 'skip',
  'mtls-ca': 'skip',
};

const verdicts = (changes: Partial<Verdicts>, base: Verdicts = ALL_PASS): Verdicts => ({ ...base, ...changes });

/** "status" or "status cause" per check: a pass or skip that carried a cause would show. */
const verdictsOf = (d: Diagnosis): Record<string, string> =>
  Object.fromEntries(d.findings.map((f) => [f.check, f.cause === null ? f.status : `${f.status} ${f.cause}`]));

function single(t: ExecutionContext, report: Diagnosis | DiagnosisList): Diagnosis {
  t.is(report.kind, 'Diagnosis');
  t.is(report.apiVersion, 'apigee-tls/v1');
  return report as Diagnosis;
}

function findingOf(d: Diagnosis, check: CheckName): Finding {
  const f = d.findings.find((x) => x.check === check);
  if (!f) throw new Error(`no ${check} finding`);
  return f;
}

interface Outcome {
  exit: 0 | 1;
  verdicts: Verdicts;
}

/** The exit code, the result that goes with it, and every check's status and cause, in order. */
function assertDiagnosis(t: ExecutionContext, d: Diagnosis, exitCode: number, expected: Outcome): void {
  t.is(exitCode, expected.exit, 'exit code');
  t.is(d.result, expected.exit === 0 ? 'healthy' : 'problems-found');
  t.deepEqual(
    d.findings.map((f) => f.check),
    // From --overrides, the report first says where each file was found.
    [...(d.target.overrides ? ['overrides-files'] : []), ...CHECKS],
  );
  t.deepEqual(verdictsOf(d), d.target.overrides ? { 'overrides-files': 'pass', ...expected.verdicts } : expected.verdicts);
}

async function checkOne(t: ExecutionContext, args: string[], expected: Outcome, secrets: readonly Secret[] = []): Promise<Diagnosis & { run: Checked }> {
  const run = await check(t, args, secrets);
  const d = single(t, run.report);
  assertDiagnosis(t, d, run.exitCode, expected);
  return Object.assign(d, { run });
}

// ---------------------------------------------------------------------------------------------
// Material and its broken variants (reference/signatures.md §2)

const isoDate = (d: Date): string => d.toISOString().replace('.000Z', 'Z');
const spkiSha256 = (key: KeyObject): string =>
  createHash('sha256')
    .update(createPublicKey(key).export({ type: 'spki', format: 'der' }))
    .digest('hex');
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
/** What `openssl pkey -pubout` / `x509 -pubkey` print for this key. */
const publicPem = (key: KeyObject): string => createPublicKey(key).export({ type: 'spki', format: 'pem' }) as string;
/** What `openssl rsa -modulus` / `x509 -modulus` print for an RSA key. */
const modulusLine = (key: KeyObject): string =>
  `Modulus=${Buffer.from(createPublicKey(key).export({ format: 'jwk' }).n as string, 'base64url')
    .toString('hex')
    .toUpperCase()}\n`;

const crlf = (pem: string): string => pem.replace(/\n/g, '\r\n');
const withBom = (pem: string): Buffer => Buffer.concat([BOM, Buffer.from(pem)]);
const derOf = (pem: string): Buffer => new X509Certificate(pem).raw;
const pemOfDer = (der: Buffer): string =>
  `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n${END_CERT}\n`;
const replaceLine = (pem: string, index: number, line: string): string =>
  pem
    .split('\n')
    .map((l, i) => (i === index ? line : l))
    .join('\n');
const indent = (pem: string): string =>
  pem
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');

/** Whole days until `date` as the CLI computes them, for each clock reading during the run. */
function daysUntil(date: Date, run: Pick<Checked, 'startedAt' | 'finishedAt'>): number[] {
  return [...new Set([run.startedAt, run.finishedAt].map((now) => Math.floor((date.getTime() - now) / DAY_MS)))];
}

/** The number inside `(in N days)` / `(N days ago)` must be one of `allowed`; returns the text with N replaced by `N`. */
function withDays(t: ExecutionContext, text: string, allowed: number[]): string {
  const m = /\((?:in )?(-?\d+) days(?: ago)?\)/.exec(text);
  if (!m) {
    t.fail(`no day count in ${text}`);
    return text;
  }
  t.true(allowed.includes(Number(m[1])), `${text}: expected one of ${allowed.join(', ')} days`);
  return text.replace(m[0], m[0].replace(m[1]!, 'N'));
}

/** A certificate that dates relative to now: seconds only (certificate times have no milliseconds). */
function secondsFromNow(ms: number): Date {
  return new Date(Math.floor((Date.now() + ms) / 1000) * 1000);
}

/** Temp dir + the material of one test, written as files; returns their absolute paths. */
function files(t: ExecutionContext, contents: Record<string, string | Buffer>): Record<string, string> & { dir: TempDir } {
  const dir = tempDir(t);
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(contents)) paths[name] = dir.write(name, content);
  return Object.assign(paths, { dir });
}

/** Shell-quotes one word for `script -c` (temp paths have no quotes, but stay safe). */
const sh = (word: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

const opensslX509Head = (path: string, exit: number): string => `$ cat ${path} | openssl x509 -noout -text -passin pass:  → exit ${exit}`;

// ---------------------------------------------------------------------------------------------
// Healthy material

test('healthy RSA chain (leaf + intermediate) with --ca root and --host: exit 0, every check passes', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.leaf + certs.int, 'tls.key': keys.leaf.pem, 'ca.crt': certs.root });
  const d = await checkOne(
    t,
    ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--ca', p['ca.crt']!, '--host', 'api.example.com'],
    { exit: 0, verdicts: ALL_PASS },
    [keys.leaf.pem],
  );
  t.deepEqual(d.target, { certFile: p['tls.crt'], keyFile: p['tls.key'], caFile: p['ca.crt'] });
  t.true(d.findings.every((f) => f.status === 'pass' || f.status === 'skip'));
  t.true(d.findings.every((f) => f.cause === null && f.remediation === undefined));
  const summaries = Object.fromEntries(d.findings.map((f) => [f.check, f.summary]));
  t.deepEqual(
    { ...summaries, validity: withDays(t, summaries.validity!, daysUntil(new Date('2030-01-01T00:00:00Z'), d.run)) },
    {
      certificate: `${p['tls.crt']} is a well-formed PEM chain of 2 certificates`,
      'private-key': `${p['tls.key']} is an unencrypted RSA 2048-bit private key (PKCS#8)`,
      'key-match': 'the private key matches the leaf certificate "CN=api.example.com, O=Example" (public keys compared)',
      'chain-order': 'leaf first, each of the 2 certificates signed by the next',
      'chain-complete': 'the chain ends at "CN=Test Intermediate CA", issued by the trusted root "CN=Test Root CA"',
      validity: 'valid now; the leaf expires 2030-01-01T00:00:00Z (in N days)',
      hostnames: 'the leaf covers api.example.com',
      strength: 'sha256WithRSAEncryption signature, RSA 2048-bit key',
      'mtls-ca': 'mutual TLS is not configured',
    },
  );
  t.deepEqual(findingOf(d, 'certificate').evidence, [
    '#0 subject "CN=api.example.com, O=Example", issuer "CN=Test Intermediate CA", SANs api.example.com *.apps.example.com 10.0.0.1 2001:DB8:0:0:0:0:0:1, valid 2024-01-01T00:00:00Z to 2030-01-01T00:00:00Z',
    '#1 subject "CN=Test Intermediate CA", issuer "CN=Test Root CA", no SANs, valid 2024-01-01T00:00:00Z to 2034-01-01T00:00:00Z',
  ]);
  t.deepEqual(findingOf(d, 'certificate').commands, [`openssl x509 -in ${p['tls.crt']} -text -noout`]);
  t.deepEqual(findingOf(d, 'key-match').commands, [
    `diff -q <(openssl rsa -noout -modulus -in ${p['tls.key']}) <(openssl x509 -noout -modulus -in ${p['tls.crt']})`,
    `diff <(openssl x509 -noout -pubkey -in ${p['tls.crt']}) <(openssl pkey -pubout -passin pass: -in ${p['tls.key']})`,
  ]);
});

const keyTypes = [
  {
    name: 'EC P-256',
    cert: () => fx().certs.p256Leaf,
    key: () => fx().keys.p256,
    host: 'ec.example.com',
    cn: 'ec.example.com',
    keyText: 'EC prime256v1 private key (PKCS#8)',
    strength: 'sha256WithRSAEncryption signature, EC prime256v1 key',
    type: 'EC',
  },
  {
    name: 'EC P-384',
    cert: () => fx().certs.p384Leaf,
    key: () => fx().keys.p384,
    host: 'ec384.example.com',
    cn: 'ec384.example.com',
    keyText: 'EC secp384r1 private key (PKCS#8)',
    strength: 'sha256WithRSAEncryption signature, EC secp384r1 key',
    type: 'EC',
  },
  {
    name: 'Ed25519',
    cert: () => fx().certs.ed25519Leaf,
    key: () => fx().keys.ed25519,
    host: 'ed.example.com',
    cn: 'ed.example.com',
    keyText: 'ED25519 private key (PKCS#8)',
    strength: 'sha256WithRSAEncryption signature, ED25519 key',
    type: 'ED25519',
  },
];

for (const kt of keyTypes) {
  test(`healthy ${kt.name} pair: exit 0, key-match passes by public keys`, async (t) => {
    const key = kt.key();
    const p = files(t, { 'tls.crt': kt.cert() + fx().certs.int, 'tls.key': key.pem, 'ca.crt': fx().certs.root });
    const d = await checkOne(t, ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--ca', p['ca.crt']!, '--host', kt.host], { exit: 0, verdicts: ALL_PASS }, [
      key.pem,
    ]);
    t.is(findingOf(d, 'private-key').summary, `${p['tls.key']} is an unencrypted ${kt.keyText}`);
    t.is(
      findingOf(d, 'key-match').summary,
      `the private key matches the leaf certificate "CN=${kt.cn}, O=Example" (public keys compared; the playbook's modulus method cannot check ${kt.type} keys)`,
    );
    t.is(findingOf(d, 'strength').summary, kt.strength);
  });
}

test('BOM and CRLF certificates and keys are accepted, each with a note', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, {
    'bom.crt': withBom(certs.leaf + certs.int),
    'crlf.crt': crlf(certs.leaf + certs.int),
    'bom.key': withBom(keys.leaf.pem),
    'crlf.key': crlf(keys.leaf.pem),
    'ca.crt': certs.root,
  });
  const bomNote = 'note: starts with a UTF-8 byte-order mark (accepted by openssl and the ingress)';
  const crlfNote = 'note: CRLF line endings (accepted by openssl and the ingress)';
  const [bom, cr] = await Promise.all([
    checkOne(t, ['--cert', p['bom.crt']!, '--key', p['bom.key']!, '--ca', p['ca.crt']!], { exit: 0, verdicts: verdicts({ hostnames: 'skip' }) }, [
      keys.leaf.pem,
    ]),
    checkOne(t, ['--cert', p['crlf.crt']!, '--key', p['crlf.key']!, '--ca', p['ca.crt']!], { exit: 0, verdicts: verdicts({ hostnames: 'skip' }) }, [
      keys.leaf.pem,
    ]),
  ]);
  t.is(findingOf(bom, 'certificate').evidence.length, 3);
  t.is(findingOf(bom, 'certificate').evidence[2], bomNote);
  t.deepEqual(findingOf(bom, 'private-key').evidence, [bomNote]);
  t.is(findingOf(cr, 'certificate').evidence.length, 3);
  t.is(findingOf(cr, 'certificate').evidence[2], crlfNote);
  t.deepEqual(findingOf(cr, 'private-key').evidence, [crlfNote]);
});

// ---------------------------------------------------------------------------------------------
// Every class of broken certificate input → malformed-certificate on check `certificate`

interface BrokenCert {
  name: string;
  bytes: () => string | Buffer;
  /** The summary after "<path> is not a well-formed PEM certificate: ". */
  reason: string;
  advice: keyof typeof CERT_ADVICE;
  nodeCode?: string;
  /** Exit code of `openssl x509 -noout -text` on these bytes (OpenSSL 3.0). */
  opensslExit: number;
  /** openssl read something here: the report says the playbook's check would pass. */
  playbookMisses?: string;
  /** Key material inside the certificate input (a swapped file). */
  secrets?: () => Secret[];
}

const LEAF_SUBJECT_OPENSSL = 'CN = api.example.com, O = Example';

const brokenCerts: BrokenCert[] = [
  { name: 'empty', bytes: () => '', reason: 'the certificate is empty', advice: 'empty', opensslExit: 1 },
  {
    name: 'bad END line (one dash short)',
    bytes: () => fx().certs.leaf.replace(END_CERT, '-----END CERTIFICATE----'),
    reason:
      'the END line of the 1st PEM block is damaged: it must read exactly -----END <TYPE>----- with the same type as its BEGIN line, from the first column',
    advice: 'bad-end-line',
    nodeCode: 'ERR_OSSL_PEM_BAD_END_LINE',
    opensslExit: 1,
  },
  {
    name: 'missing END line (truncated paste)',
    bytes: () => fx().certs.leaf.replace(`${END_CERT}\n`, ''),
    reason: 'the 1st PEM block has no END line (a truncated paste?)',
    advice: 'missing-end-line',
    nodeCode: 'ERR_OSSL_PEM_BAD_END_LINE',
    opensslExit: 1,
  },
  {
    name: 'missing END line before the next block (openssl reads past it)',
    bytes: () => fx().certs.leaf.replace(`${END_CERT}\n`, '') + fx().certs.int,
    reason: 'the 1st PEM block has no END line before the next BEGIN line (a truncated paste?)',
    advice: 'missing-end-line',
    opensslExit: 0,
    // OpenSSL decodes the body through the next block's END line and reads the leaf from its start.
    playbookMisses: `openssl x509 still printed a certificate (Subject: ${LEAF_SUBJECT_OPENSSL}): the playbook's check would pass here`,
  },
  {
    name: 'illegal base64 characters',
    bytes: () => replaceLine(fx().certs.leaf, 5, '!!!!corrupted*base64*line!!!!'),
    reason: "the 1st PEM block contains characters that are not base64 (or '=' padding before the end)",
    advice: 'bad-base64',
    nodeCode: 'ERR_OSSL_PEM_BAD_BASE64_DECODE',
    opensslExit: 1,
  },
  {
    name: 'no newline between two blocks',
    bytes: () => fx().certs.leaf.slice(0, -1) + fx().certs.int,
    reason: 'the END line of the 1st PEM block runs straight into the next BEGIN line; put a newline between them',
    advice: 'no-newline-between-blocks',
    nodeCode: 'ERR_OSSL_PEM_BAD_END_LINE',
    opensslExit: 1,
  },
  {
    name: 'trailing garbage after the last END line',
    bytes: () => `${fx().certs.leaf}some notes\n`,
    reason: 'there is text after the END line of the last (1st) PEM block',
    advice: 'trailing-garbage',
    opensslExit: 0,
    playbookMisses: `openssl x509 still printed a certificate (Subject: ${LEAF_SUBJECT_OPENSSL}): the playbook's check would pass here`,
  },
  {
    name: 'leading garbage (text before BEGIN)',
    bytes: () => `Bag Attributes\n    localKeyID: 01\n${fx().certs.leaf}`,
    reason: 'there is text before the first BEGIN line',
    advice: 'leading-garbage',
    opensslExit: 0,
    playbookMisses: `openssl x509 still printed a certificate (Subject: ${LEAF_SUBJECT_OPENSSL}): the playbook's check would pass here`,
  },
  {
    name: 'indented PEM (pasted from YAML)',
    bytes: () => indent(fx().certs.leaf),
    reason: 'the BEGIN line of the 1st PEM block is indented; PEM lines must start in the first column (was it pasted from YAML?)',
    advice: 'leading-garbage',
    nodeCode: 'ERR_OSSL_PEM_NO_START_LINE',
    opensslExit: 1,
  },
  {
    name: 'DER instead of PEM',
    bytes: () => derOf(fx().certs.leaf),
    reason: 'the certificate is binary DER, not PEM; convert it with openssl x509 -inform DER -outform PEM',
    advice: 'der',
    opensslExit: 0,
    playbookMisses: `openssl x509 still printed a certificate (Subject: ${LEAF_SUBJECT_OPENSSL}): the playbook's check would pass here`,
  },
  {
    name: 'base64-encoded twice',
    bytes: () => Buffer.from(fx().certs.leaf).toString('base64'),
    reason: 'the certificate is base64-encoded twice: decoding it once gives PEM text (-----BEGIN …), not a certificate',
    advice: 'double-base64',
    opensslExit: 1,
  },
  {
    name: 'a private key where the certificate belongs',
    bytes: () => fx().keys.leaf.pem,
    reason: 'the 1st PEM block is a PRIVATE KEY, where the certificate belongs: were the certificate and key swapped?',
    advice: 'private-key-not-certificate',
    opensslExit: 1,
    secrets: () => [fx().keys.leaf.pem],
  },
  {
    name: 'bad DER (valid base64, broken ASN.1)',
    bytes: () => {
      const der = Buffer.from(derOf(fx().certs.leaf));
      der[4] = 0x31; // the TBSCertificate SEQUENCE tag becomes a SET
      return pemOfDer(der);
    },
    reason: 'the 1st PEM block is valid base64, but what it decodes to is not a readable X.509 certificate (ERR_OSSL_ASN1_WRONG_TAG)',
    advice: 'bad-der',
    nodeCode: 'ERR_OSSL_ASN1_WRONG_TAG',
    opensslExit: 1,
  },
];

for (const c of brokenCerts) {
  test(`certificate input: ${c.name} → malformed-certificate`, async (t) => {
    const p = files(t, { 'tls.crt': c.bytes() });
    const d = await checkOne(t, ['--cert', p['tls.crt']!], { exit: 1, verdicts: MALFORMED_CERT }, c.secrets?.() ?? []);
    t.deepEqual(d.target, { certFile: p['tls.crt'] });
    const f = findingOf(d, 'certificate');
    t.is(f.summary, `${p['tls.crt']} is not a well-formed PEM certificate: ${c.reason}`);
    t.is(f.remediation, CERT_ADVICE[c.advice]);
    t.deepEqual(f.commands, [`openssl x509 -in ${p['tls.crt']} -text -noout`, `openssl crl2pkcs7 -nocrl -certfile ${p['tls.crt']}`]);
    const evidence = [...f.evidence];
    if (c.nodeCode) t.is(evidence.shift(), `node:crypto: ${c.nodeCode}`);
    else
      t.false(
        evidence.some((l) => l.startsWith('node:crypto:')),
        evidence.join('\n'),
      );
    // What the playbook's own command printed, as the next evidence line.
    t.true(evidence[0]?.startsWith(opensslX509Head(p['tls.crt']!, c.opensslExit)), evidence[0]);
    if (c.playbookMisses) t.is(evidence.at(-1), c.playbookMisses);
    else t.false(evidence.some((l) => l.includes('still printed a certificate')));
    for (const dependent of ['key-match', 'chain-order', 'chain-complete', 'validity', 'hostnames', 'strength'] as const) {
      t.is(findingOf(d, dependent).summary, 'not checked: the certificate did not parse');
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Every class of broken key input → malformed-private-key on check `private-key`

interface BrokenKey {
  name: string;
  bytes: () => string | Buffer;
  reason: string;
  advice: keyof typeof KEY_ADVICE;
  /** node:crypto codes accepted on the first evidence line (encrypted keys: either passphrase code). */
  nodeCodes?: string[];
  /** Secrets inside the input (anything derived from the leaf's private key). */
  secrets: () => Secret[];
}

const PASSPHRASE_CODES = ['ERR_MISSING_PASSPHRASE', 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED'];

const brokenKeys: BrokenKey[] = [
  { name: 'empty key', bytes: () => '', reason: 'the private key is empty', advice: 'empty', secrets: () => [] },
  {
    name: 'encrypted PKCS#8',
    bytes: () => fx().leafEncryptedPkcs8,
    reason: 'the private key is encrypted (PKCS#8, -----BEGIN ENCRYPTED PRIVATE KEY-----); the ingress cannot use a passphrase. Decrypt it with openssl pkey',
    advice: 'encrypted-pkcs8',
    nodeCodes: PASSPHRASE_CODES,
    secrets: () => [fx().leafEncryptedPkcs8],
  },
  {
    name: 'legacy encrypted PEM (Proc-Type: 4,ENCRYPTED)',
    bytes: () => fx().leafEncryptedLegacy,
    reason: 'the private key is encrypted (Proc-Type: 4,ENCRYPTED); the ingress cannot use a passphrase. Decrypt it with openssl pkey',
    advice: 'encrypted-legacy',
    nodeCodes: PASSPHRASE_CODES,
    secrets: () => [fx().leafEncryptedLegacy],
  },
  {
    name: 'OpenSSH private key',
    bytes: () => fx().openssh,
    reason:
      "the private key is in OpenSSH's format (-----BEGIN OPENSSH PRIVATE KEY-----); TLS needs PEM (PKCS#8, PKCS#1 or SEC1). Convert a copy with ssh-keygen -p -m PEM",
    advice: 'openssh',
    nodeCodes: ['ERR_OSSL_UNSUPPORTED'],
    secrets: () => [fx().openssh],
  },
  {
    name: 'a certificate where the key belongs',
    bytes: () => fx().certs.leaf,
    reason: 'the private key holds a certificate, not a key: were the certificate and key swapped?',
    advice: 'certificate-not-key',
    nodeCodes: ['ERR_OSSL_UNSUPPORTED'],
    secrets: () => [],
  },
];

for (const k of brokenKeys) {
  test(`key input: ${k.name} → malformed-private-key`, async (t) => {
    const { certs } = fx();
    const p = files(t, { 'tls.crt': certs.leaf + certs.int, 'tls.key': k.bytes(), 'ca.crt': certs.root });
    const d = await checkOne(
      t,
      ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--ca', p['ca.crt']!],
      { exit: 1, verdicts: verdicts({ 'private-key': 'fail malformed-private-key', 'key-match': 'skip', hostnames: 'skip' }) },
      k.secrets(),
    );
    const f = findingOf(d, 'private-key');
    t.is(f.summary, `${p['tls.key']} is not a usable private key: ${k.reason}`);
    t.is(f.remediation, KEY_ADVICE[k.advice]);
    t.deepEqual(f.commands, [`openssl pkey -in ${p['tls.key']} -noout -passin pass:`]);
    const evidence = [...f.evidence];
    if (k.nodeCodes) {
      const first = evidence.shift() ?? '';
      t.true(
        k.nodeCodes.some((code) => first === `node:crypto: ${code}`),
        first,
      );
    }
    if (k.advice === 'empty') t.deepEqual(evidence, []);
    else t.true(evidence[0]?.startsWith(`$ cat ${p['tls.key']} | openssl pkey -pubout -passin pass:  → exit 1`), evidence.join('\n'));
    // openssl ran with -passin pass: and no terminal: it never asked for a passphrase.
    t.false(f.evidence.some((l) => /Enter pass phrase/i.test(l)));
    t.is(findingOf(d, 'key-match').summary, 'not checked: the private key did not parse');
  });
}

test('PKCS#1 RSA and SEC1 EC keys are accepted and matched', async (t) => {
  const { certs, keys, leafPkcs1, p256Sec1 } = fx();
  const p = files(t, {
    'rsa.crt': certs.leaf + certs.int,
    'rsa.key': leafPkcs1,
    'ec.crt': certs.p256Leaf + certs.int,
    'ec.key': p256Sec1,
    'ca.crt': certs.root,
  });
  const expected = { exit: 0 as const, verdicts: verdicts({ hostnames: 'skip' }) };
  const [rsa, ec] = await Promise.all([
    checkOne(t, ['--cert', p['rsa.crt']!, '--key', p['rsa.key']!, '--ca', p['ca.crt']!], expected, [leafPkcs1, keys.leaf.pem]),
    checkOne(t, ['--cert', p['ec.crt']!, '--key', p['ec.key']!, '--ca', p['ca.crt']!], expected, [p256Sec1, keys.p256.pem]),
  ]);
  t.is(findingOf(rsa, 'private-key').summary, `${p['rsa.key']} is an unencrypted RSA 2048-bit private key (PKCS#1)`);
  t.is(findingOf(ec, 'private-key').summary, `${p['ec.key']} is an unencrypted EC prime256v1 private key (SEC1)`);
});

// ---------------------------------------------------------------------------------------------
// Key match and chain order

test("a certificate with another certificate's key → key-mismatch, with both public keys and openssl's comparisons", async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.leaf + certs.int, 'tls.key': keys.other.pem, 'ca.crt': certs.root });
  const d = await checkOne(
    t,
    ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--ca', p['ca.crt']!, '--host', 'api.example.com'],
    { exit: 1, verdicts: verdicts({ 'key-match': 'fail key-mismatch' }) },
    [keys.other.pem],
  );
  const f = findingOf(d, 'key-match');
  t.is(f.summary, 'the private key does not belong to the leaf certificate "CN=api.example.com, O=Example" nor to any certificate in the chain');
  t.is(f.remediation, 'supply the private key that "CN=api.example.com, O=Example" was issued for, or the certificate issued for this key');
  t.deepEqual(f.evidence, [
    `certificate #0 "CN=api.example.com, O=Example": RSA public key, SPKI sha256 ${spkiSha256(keys.leaf.key)}`,
    `private key: RSA 2048-bit private key (PKCS#8), SPKI sha256 ${spkiSha256(keys.other.key)}`,
    `openssl public keys (x509 -pubkey vs pkey -pubout): differ (certificate md5 ${md5(publicPem(keys.leaf.key))}; key md5 ${md5(publicPem(keys.other.key))})`,
    `openssl moduli, the playbook's method (x509 -modulus vs rsa -modulus): differ (certificate md5 ${md5(modulusLine(keys.leaf.key))}; key md5 ${md5(modulusLine(keys.other.key))})`,
  ]);
});

test("an EC certificate with an RSA key → key-mismatch; the playbook's modulus method cannot tell", async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.p256Leaf + certs.int, 'tls.key': keys.leaf.pem, 'ca.crt': certs.root });
  const d = await checkOne(
    t,
    ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--ca', p['ca.crt']!],
    { exit: 1, verdicts: verdicts({ 'key-match': 'fail key-mismatch', hostnames: 'skip' }) },
    [keys.leaf.pem],
  );
  t.deepEqual(findingOf(d, 'key-match').evidence, [
    `certificate #0 "CN=ec.example.com, O=Example": EC public key, SPKI sha256 ${spkiSha256(keys.p256.key)}`,
    `private key: RSA 2048-bit private key (PKCS#8), SPKI sha256 ${spkiSha256(keys.leaf.key)}`,
    `openssl public keys (x509 -pubkey vs pkey -pubout): differ (certificate md5 ${md5(publicPem(keys.p256.key))}; key md5 ${md5(publicPem(keys.leaf.key))})`,
    `openssl moduli, the playbook's method (x509 -modulus vs rsa -modulus): differ (certificate "Modulus=No modulus for this public key type"; key md5 ${md5(modulusLine(keys.leaf.key))})`,
  ]);
});

test('a reversed chain (intermediate, then leaf) → chain-order fail, key-match skipped, the rest judged on the real leaf', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.int + certs.leaf, 'tls.key': keys.leaf.pem });
  const d = await checkOne(
    t,
    ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--host', 'api.example.com'],
    { exit: 1, verdicts: verdicts({ 'key-match': 'skip', 'chain-order': 'fail chain-order', 'chain-complete': 'skip' }) },
    [keys.leaf.pem],
  );
  const order = findingOf(d, 'chain-order');
  t.is(order.summary, 'the leaf certificate is #1, not first: openssl and the ingress read "CN=Test Intermediate CA" as the certificate');
  t.deepEqual(order.evidence, [
    '#0 subject "CN=Test Intermediate CA" issued by "CN=Test Root CA" (CA)',
    '#1 subject "CN=api.example.com, O=Example" issued by "CN=Test Intermediate CA"',
  ]);
  t.deepEqual(order.commands, [`openssl crl2pkcs7 -nocrl -certfile ${p['tls.crt']} | openssl pkcs7 -print_certs -noout`]);
  t.is(
    findingOf(d, 'key-match').summary,
    'not judged on the first certificate: the key belongs to certificate #1 "CN=api.example.com, O=Example", which is not first (see chain-order)',
  );
  t.is(findingOf(d, 'chain-complete').summary, 'not checked: the chain is out of order (see chain-order)');
  t.is(findingOf(d, 'hostnames').summary, 'the leaf covers api.example.com');
  // The leaf is #1: its expiry (2030), not the intermediate's (2034), is "the leaf's".
  t.is(
    withDays(t, findingOf(d, 'validity').summary, daysUntil(new Date('2030-01-01T00:00:00Z'), d.run)),
    'valid now; the leaf expires 2030-01-01T00:00:00Z (in N days)',
  );
});

// ---------------------------------------------------------------------------------------------
// Validity

test('an expired leaf → certificate-expired', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.expired + certs.int, 'tls.key': keys.leaf.pem, 'ca.crt': certs.root });
  const d = await checkOne(
    t,
    ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--ca', p['ca.crt']!],
    { exit: 1, verdicts: verdicts({ validity: 'fail certificate-expired', hostnames: 'skip' }) },
    [keys.leaf.pem],
  );
  const f = findingOf(d, 'validity');
  t.is(f.summary, 'the leaf certificate "CN=api.example.com, O=Example" has expired');
  const notAfter = new Date('2021-01-01T00:00:00Z');
  // Whole days elapsed since notAfter, rounded down (the negative of daysUntil, minus one).
  const daysAgo = daysUntil(notAfter, d.run).map((n) => -n - 1);
  t.is(f.evidence.length, 1);
  t.is(withDays(t, f.evidence[0]!, daysAgo), '#0 "CN=api.example.com, O=Example" expired 2021-01-01T00:00:00Z (N days ago)');
  t.is(f.remediation, 'renew the certificate and replace it');
  t.deepEqual(f.commands, [`openssl x509 -noout -dates -checkend 0 -in ${p['tls.crt']}`]);
});

test('a leaf not yet valid → certificate-not-yet-valid', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.notYetValid + certs.int, 'tls.key': keys.leaf.pem, 'ca.crt': certs.root });
  const d = await checkOne(
    t,
    ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--ca', p['ca.crt']!],
    { exit: 1, verdicts: verdicts({ validity: 'fail certificate-not-yet-valid', hostnames: 'skip' }) },
    [keys.leaf.pem],
  );
  const f = findingOf(d, 'validity');
  t.is(f.summary, 'the leaf certificate "CN=api.example.com, O=Example" is not valid yet');
  t.deepEqual(f.evidence, ['#0 "CN=api.example.com, O=Example" not valid before 2099-01-01T00:00:00Z']);
});

test('an expired intermediate under a valid leaf → certificate-expired on chain certificate #1', async (t) => {
  const { keys } = fx();
  const root = { commonName: 'Old Root CA', key: keys.root.key };
  const rootPem = mintCertificate({ ...root, isCA: true, notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z') });
  const intSpec = { commonName: 'Old Intermediate CA', key: keys.int.key };
  const intPem = mintCertificate({
    ...intSpec,
    isCA: true,
    issuer: { certificatePem: rootPem, ...root },
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2022-01-01T00:00:00Z'),
  });
  const leafPem = mintCertificate({
    commonName: 'api.example.com',
    sans: ['api.example.com'],
    key: keys.leaf.key,
    issuer: { certificatePem: intPem, ...intSpec },
    notBefore: new Date('2021-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
  });
  const p = files(t, { 'tls.crt': leafPem + intPem, 'tls.key': keys.leaf.pem, 'ca.crt': rootPem });
  const d = await checkOne(
    t,
    ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--ca', p['ca.crt']!, '--host', 'api.example.com'],
    { exit: 1, verdicts: verdicts({ validity: 'fail certificate-expired' }) },
    [keys.leaf.pem],
  );
  const f = findingOf(d, 'validity');
  t.is(f.summary, 'chain certificate #1 "CN=Old Intermediate CA" has expired');
  t.is(f.evidence.length, 1);
  t.true(f.evidence[0]!.startsWith('#1 "CN=Old Intermediate CA" expired 2022-01-01T00:00:00Z ('), f.evidence[0]);
});

test('a leaf expiring within 14 days → certificate-expiring-soon warn, exit 0; --expiry-warning 1d makes it pass', async (t) => {
  const { keys } = fx();
  const notAfter = secondsFromNow(5 * DAY_MS + 6 * 3_600_000);
  const pem = mintCertificate({ commonName: 'soon.example.com', sans: ['soon.example.com'], key: keys.leaf.key, notBefore: secondsFromNow(-DAY_MS), notAfter });
  const p = files(t, { 'tls.crt': pem, 'tls.key': keys.leaf.pem });
  const args = ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--host', 'soon.example.com'];
  const [soon, oneDay] = await Promise.all([
    checkOne(t, args, { exit: 0, verdicts: verdicts({ validity: 'warn certificate-expiring-soon' }) }, [keys.leaf.pem]),
    checkOne(t, [...args, '--expiry-warning', '1d'], { exit: 0, verdicts: ALL_PASS }, [keys.leaf.pem]),
  ]);
  const f = findingOf(soon, 'validity');
  t.is(f.summary, 'the leaf certificate "CN=soon.example.com" expires soon');
  t.deepEqual(f.evidence, [`#0 "CN=soon.example.com" expires ${isoDate(notAfter)} (in 5 days)`]);
  t.is(f.remediation, 'renew the certificate and replace it');
  t.is(findingOf(oneDay, 'validity').summary, `valid now; the leaf expires ${isoDate(notAfter)} (in 5 days)`);
});

// ---------------------------------------------------------------------------------------------
// Hostnames, chain completeness, strength

test('a hostname the leaf does not cover → hostname-not-covered', async (t) => {
  const { certs } = fx();
  const p = files(t, { 'tls.crt': certs.leaf + certs.int, 'ca.crt': certs.root });
  const noKey = { 'private-key': 'skip', 'key-match': 'skip' };
  const d = await checkOne(t, ['--cert', p['tls.crt']!, '--ca', p['ca.crt']!, '--host', 'other.example.com'], {
    exit: 1,
    verdicts: verdicts({ ...noKey, hostnames: 'fail hostname-not-covered' }),
  });
  const f = findingOf(d, 'hostnames');
  t.is(f.summary, 'the leaf "CN=api.example.com, O=Example" does not cover other.example.com');
  t.deepEqual(f.evidence, ['SANs: DNS:api.example.com, DNS:*.apps.example.com, IP:10.0.0.1, IP:2001:DB8:0:0:0:0:0:1', 'not covered: other.example.com']);
  t.is(f.remediation, 'reissue the certificate with subjectAltName entries for other.example.com');
  t.deepEqual(f.commands, [`openssl x509 -noout -ext subjectAltName -in ${p['tls.crt']}`]);
  t.deepEqual(findingOf(d, 'private-key'), {
    check: 'private-key',
    status: 'skip',
    cause: null,
    summary: 'no private key given (--key FILE)',
    evidence: [],
    commands: [],
  });
});

test('a wildcard SAN covers exactly one label', async (t) => {
  const { certs } = fx();
  const p = files(t, { 'tls.crt': certs.leaf + certs.int, 'ca.crt': certs.root });
  const base = ['--cert', p['tls.crt']!, '--ca', p['ca.crt']!];
  const noKey = { 'private-key': 'skip', 'key-match': 'skip' };
  const [covered, deeper] = await Promise.all([
    checkOne(t, [...base, '--host', 'foo.apps.example.com', '--host', '10.0.0.1', '--host', 'API.example.com'], { exit: 0, verdicts: verdicts(noKey) }),
    checkOne(t, [...base, '--host', 'a.b.apps.example.com', '--host', 'apps.example.com', '--host', 'api.example.com'], {
      exit: 1,
      verdicts: verdicts({ ...noKey, hostnames: 'fail hostname-not-covered' }),
    }),
  ]);
  t.is(findingOf(covered, 'hostnames').summary, 'the leaf covers foo.apps.example.com, 10.0.0.1, API.example.com');
  const f = findingOf(deeper, 'hostnames');
  t.is(f.summary, 'the leaf "CN=api.example.com, O=Example" does not cover a.b.apps.example.com, apps.example.com');
  t.deepEqual(f.evidence.slice(1), ['not covered: a.b.apps.example.com', 'not covered: apps.example.com']);
});

test('a leaf alone whose issuer is unknown → chain-incomplete warn, exit 0', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.leaf, 'tls.key': keys.leaf.pem });
  const d = await checkOne(
    t,
    ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--host', 'api.example.com'],
    { exit: 0, verdicts: verdicts({ 'chain-complete': 'warn chain-incomplete' }) },
    [keys.leaf.pem],
  );
  const f = findingOf(d, 'chain-complete');
  t.is(f.summary, 'the chain stops at "CN=api.example.com, O=Example", whose issuer "CN=Test Intermediate CA" is not in the chain nor a known root');
  t.deepEqual(f.evidence, ['last certificate: "CN=api.example.com, O=Example" issued by "CN=Test Intermediate CA"']);
  t.deepEqual(f.commands, [`openssl verify -untrusted ${p['tls.crt']} ${p['tls.crt']}`]);
  t.is(
    f.remediation,
    'append the intermediate certificate(s) up to "CN=Test Intermediate CA" after the leaf (use the issuer\'s full chain, e.g. fullchain.pem)',
  );
});

test("a leaf + intermediate chain without --ca is incomplete; a leaf under a root that only copies a bundled root's name is too", async (t) => {
  const { certs } = fx();
  const p = files(t, { 'chain.crt': certs.leaf + certs.int, 'impostor.crt': certs.impostorLeaf });
  const expected = {
    exit: 0 as const,
    verdicts: verdicts({ 'private-key': 'skip', 'key-match': 'skip', 'chain-complete': 'warn chain-incomplete', hostnames: 'skip' }),
  };
  const [chain, impostor] = await Promise.all([checkOne(t, ['--cert', p['chain.crt']!], expected), checkOne(t, ['--cert', p['impostor.crt']!], expected)]);
  t.deepEqual(findingOf(chain, 'chain-complete').evidence, ['last certificate: "CN=Test Intermediate CA" issued by "CN=Test Root CA"']);
  t.deepEqual(findingOf(impostor, 'chain-complete').evidence, [
    'last certificate: "CN=impostor.example.com" issued by "C=US, O=Internet Security Research Group, CN=ISRG Root X1"',
  ]);
});

test('a malformed --ca file is reported, not silently ignored', async (t) => {
  const { certs } = fx();
  const p = files(t, { 'tls.crt': certs.leaf + certs.int, 'ca.crt': certs.root.replace(END_CERT, '-----END CERTIFICATE----') });
  const r = await cli(['check', '--cert', p['tls.crt']!, '--ca', p['ca.crt']!, '-o', 'json']);
  // Either a usage error naming the file, or a finding that names it: never a report that
  // reads as if the user's root had not been given.
  if (r.exitCode === 2) {
    t.true(r.stderr.startsWith(`error: `) && r.stderr.split('\n')[0]!.includes(p['ca.crt']!), r.stderr);
  } else {
    const d = single(t, JSON.parse(r.stdout) as Diagnosis);
    const mentions = d.findings.filter((f) => [f.summary, ...f.evidence].some((l) => l.includes(p['ca.crt']!)));
    t.not(mentions.length, 0, `no finding names the malformed --ca file: ${JSON.stringify(verdictsOf(d))}`);
  }
});

test('a SHA-1 self-signed certificate → weak-certificate warn, exit 0', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.sha1SelfSigned, 'tls.key': keys.sha1.pem });
  const d = await checkOne(
    t,
    ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--host', 'legacy.example.com'],
    { exit: 0, verdicts: verdicts({ strength: 'warn weak-certificate' }) },
    [keys.sha1.pem],
  );
  const f = findingOf(d, 'strength');
  t.is(f.summary, 'weak certificate: #0 "CN=legacy.example.com": SHA-1 signature (sha1WithRSAEncryption)');
  t.deepEqual(f.evidence, ['#0 "CN=legacy.example.com": SHA-1 signature (sha1WithRSAEncryption)']);
  t.is(f.remediation, 'reissue with a SHA-256 (or stronger) signature and an RSA key of at least 2048 bits, or an EC key');
  t.is(findingOf(d, 'chain-complete').summary, 'the chain ends at "CN=legacy.example.com" (self-signed)');
});

test('an RSA-1024 leaf → weak-certificate warn, exit 0', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.rsa1024Leaf + certs.int, 'tls.key': keys.rsa1024.pem, 'ca.crt': certs.root });
  const d = await checkOne(
    t,
    ['--cert', p['tls.crt']!, '--key', p['tls.key']!, '--ca', p['ca.crt']!, '--host', 'weak.example.com'],
    { exit: 0, verdicts: verdicts({ strength: 'warn weak-certificate' }) },
    [keys.rsa1024.pem],
  );
  t.deepEqual(findingOf(d, 'strength').evidence, ['#0 "CN=weak.example.com, O=Example": RSA key of 1024 bits (under 2048)']);
});

// ---------------------------------------------------------------------------------------------
// --overrides overrides.yaml

/**
 * overrides.yaml with two virtual hosts: prod-group's files beside it, test-group's only inside
 * apigee-virtualhost/ beside it (where Helm reads them). test-group's key belongs to another cert.
 */
function overridesLayout(t: ExecutionContext) {
  const { certs, keys } = fx();
  const dir = tempDir(t);
  const paths = {
    overrides: dir.write(
      'overrides.yaml',
      [
        'org: my-org',
        'virtualhosts:',
        '  - name: prod-group',
        '    sslCertPath: certs/prod.crt',
        '    sslKeyPath: certs/prod.key',
        '  - name: test-group',
        '    sslCertPath: certs/test.crt',
        '    sslKeyPath: certs/test.key',
        '',
      ].join('\n'),
    ),
    prodCert: dir.write('certs/prod.crt', certs.leaf + certs.int),
    prodKey: dir.write('certs/prod.key', keys.leaf.pem),
    testCert: dir.write('apigee-virtualhost/certs/test.crt', certs.p256Leaf + certs.int),
    testKey: dir.write('apigee-virtualhost/certs/test.key', keys.other.pem),
  };
  return { dir, paths, secrets: [keys.leaf.pem, keys.other.pem] };
}

/** leaf + intermediate without a CA: the chain ends below a root nobody named. */
const UNANCHORED = { 'chain-complete': 'warn chain-incomplete', hostnames: 'skip' };

test('--overrides without --envgroup → a DiagnosisList, one item per virtual host, with the files actually read', async (t) => {
  const { paths, secrets } = overridesLayout(t);
  const run = await check(t, ['--overrides', paths.overrides], secrets);
  t.is(run.exitCode, 1);
  t.is(run.report.kind, 'DiagnosisList');
  t.is(run.report.apiVersion, 'apigee-tls/v1');
  const items = (run.report as DiagnosisList).items;
  t.is(items.length, 2);
  t.deepEqual(
    items.map((d) => d.target),
    [
      { envgroup: 'prod-group', overrides: paths.overrides, org: 'my-org', certFile: paths.prodCert, keyFile: paths.prodKey },
      { envgroup: 'test-group', overrides: paths.overrides, org: 'my-org', certFile: paths.testCert, keyFile: paths.testKey },
    ],
  );
  assertDiagnosis(t, items[0]!, 0, { exit: 0, verdicts: verdicts(UNANCHORED) });
  t.is(items[1]!.result, 'problems-found');
  t.deepEqual(verdictsOf(items[1]!), { 'overrides-files': 'pass', ...verdicts({ ...UNANCHORED, 'key-match': 'fail key-mismatch' }) });
});

test('--overrides with --envgroup → a single Diagnosis of that virtual host', async (t) => {
  const { paths, secrets } = overridesLayout(t);
  const [prod, testGroup] = await Promise.all([
    checkOne(t, ['--overrides', paths.overrides, '--envgroup', 'prod-group'], { exit: 0, verdicts: verdicts(UNANCHORED) }, secrets),
    checkOne(
      t,
      ['--overrides', paths.overrides, '--envgroup', 'test-group'],
      { exit: 1, verdicts: verdicts({ ...UNANCHORED, 'key-match': 'fail key-mismatch' }) },
      secrets,
    ),
  ]);
  t.deepEqual(prod.target, { envgroup: 'prod-group', overrides: paths.overrides, org: 'my-org', certFile: paths.prodCert, keyFile: paths.prodKey });
  t.deepEqual(testGroup.target, { envgroup: 'test-group', overrides: paths.overrides, org: 'my-org', certFile: paths.testCert, keyFile: paths.testKey });
  t.is(findingOf(prod, 'certificate').summary, `${paths.prodCert} is a well-formed PEM chain of 2 certificates`);
});

test('tlsMode: MUTUAL with a malformed caCertPath → mtls-ca-invalid; with a good CA → mtls-ca passes', async (t) => {
  const { certs, keys } = fx();
  const dir = tempDir(t);
  const overrides = dir.write(
    'overrides.yaml',
    [
      'org: my-org',
      'virtualhosts:',
      '  - name: broken-mtls',
      '    sslCertPath: tls.crt',
      '    sslKeyPath: tls.key',
      '    tlsMode: MUTUAL',
      '    caCertPath: bad-ca.crt',
      '  - name: good-mtls',
      '    sslCertPath: tls.crt',
      '    sslKeyPath: tls.key',
      '    tlsMode: MUTUAL',
      '    caCertPath: ca.crt',
      '',
    ].join('\n'),
  );
  const cert = dir.write('tls.crt', certs.leaf + certs.int);
  const key = dir.write('tls.key', keys.leaf.pem);
  const badCa = dir.write('bad-ca.crt', certs.root.replace(END_CERT, '-----END CERTIFICATE----'));
  const goodCa = dir.write('ca.crt', certs.root);
  const [broken, good] = await Promise.all([
    checkOne(
      t,
      ['--overrides', overrides, '--envgroup', 'broken-mtls'],
      { exit: 1, verdicts: verdicts({ ...UNANCHORED, 'mtls-ca': 'fail mtls-ca-invalid' }) },
      [keys.leaf.pem],
    ),
    checkOne(t, ['--overrides', overrides, '--envgroup', 'good-mtls'], { exit: 0, verdicts: verdicts({ hostnames: 'skip', 'mtls-ca': 'pass' }) }, [
      keys.leaf.pem,
    ]),
  ]);
  t.deepEqual(broken.target, { envgroup: 'broken-mtls', overrides, org: 'my-org', certFile: cert, keyFile: key, caFile: badCa });
  const f = findingOf(broken, 'mtls-ca');
  t.is(
    f.summary,
    `the CA certificate ${badCa} is not well-formed: the END line of the 1st PEM block is damaged: it must read exactly -----END <TYPE>----- with the same type as its BEGIN line, from the first column`,
  );
  t.is(f.remediation, CERT_ADVICE['bad-end-line']);
  t.true(f.evidence[0]?.startsWith(opensslX509Head(badCa, 1)), f.evidence[0]);
  t.is(findingOf(good, 'mtls-ca').summary, `the CA bundle ${goodCa} holds "CN=Test Root CA"`);
});

// ---------------------------------------------------------------------------------------------
// Usage errors: exit 2, one `error:` line naming the problem, nothing on stdout, no stack trace

interface UsageCase {
  name: string;
  args: (dir: TempDir, p: Record<string, string>) => string[];
  /** The whole first line after "error: ", or a pattern for the whole first line. */
  message: (dir: TempDir, p: Record<string, string>) => string | RegExp;
}

const usageCases: UsageCase[] = [
  {
    name: 'missing --cert file',
    args: (dir) => ['--cert', dir.file('missing.crt')],
    message: (dir) => `cannot read certificate file ${dir.file('missing.crt')}: no such file`,
  },
  {
    name: 'missing --key file',
    args: (dir, p) => ['--cert', p.cert!, '--key', dir.file('missing.key')],
    message: (dir) => `cannot read key file ${dir.file('missing.key')}: no such file`,
  },
  { name: 'no flags', args: () => [], message: () => 'give either --cert FILE (with --key, --ca) or --overrides FILE' },
  { name: 'unknown flag', args: (_, p) => ['--cert', p.cert!, '--bogus'], message: () => 'unknown flag: --bogus' },
  {
    name: '--cert and --overrides together',
    args: (_, p) => ['--cert', p.cert!, '--overrides', p.overrides!],
    message: () => 'give either --cert FILE (with --key, --ca) or --overrides FILE',
  },
  {
    name: 'bad --expiry-warning value',
    args: (_, p) => ['--cert', p.cert!, '--expiry-warning', 'soon'],
    message: () => 'invalid --expiry-warning "soon": use a duration like 30s, 5m, 1h or 14d',
  },
  {
    name: '--envgroup without --overrides',
    args: (_, p) => ['--cert', p.cert!, '--envgroup', 'prod-group'],
    message: () => '--envgroup goes with --overrides',
  },
  {
    name: 'an --envgroup not in overrides.yaml',
    args: (_, p) => ['--overrides', p.overrides!, '--envgroup', 'nope'],
    message: (_, p) => `env group nope is not in ${p.overrides} (virtualhosts: prod-group)`,
  },
  { name: 'an invalid --host', args: (_, p) => ['--cert', p.cert!, '--host', 'bad host!'], message: () => 'invalid hostname "bad host!"' },
  { name: 'an unknown -o format', args: (_, p) => ['--cert', p.cert!, '-o', 'xml'], message: () => /^error: (?=.*\boutput\b)(?=.*"xml").*$/ },
  { name: '--cert given twice', args: (_, p) => ['--cert', p.cert!, '--cert', p.cert!], message: () => '--cert was given more than once' },
  { name: '--cert naming a directory', args: (dir) => ['--cert', dir.path], message: (dir) => `certificate file ${dir.path} is not a file` },
];

for (const u of usageCases) {
  test(`usage error: ${u.name} → exit 2 and one error line`, async (t) => {
    const dir = tempDir(t);
    const p = {
      cert: dir.write('tls.crt', fx().certs.leaf),
      overrides: dir.write('overrides.yaml', 'virtualhosts:\n  - name: prod-group\n    sslCertPath: tls.crt\n'),
    };
    for (const output of [[], ['-o', 'json']]) {
      const r = await cli(['check', ...u.args(dir, p), ...output]);
      t.is(r.exitCode, 2, r.stderr);
      t.is(r.stdout, '');
      const lines = r.stderr.split('\n');
      const message = u.message(dir, p);
      if (typeof message === 'string') t.is(lines[0], `error: ${message}`);
      else t.regex(lines[0] ?? '', message);
      t.deepEqual(lines.slice(1), ["See 'kubectl apigee-tls check --help' for usage.", '']);
      t.false(/^\s+at /m.test(r.stderr), 'stack trace');
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Text and yaml output

const MARK_LINE = /^(PASS|FAIL|WARN|SKIP|ERROR) +(\S+) +(.*)$/;

test('text output: one line per check, the failing line followed by indented evidence, $ commands and fix:', async (t) => {
  const { certs } = fx();
  const p = files(t, { 'tls.crt': certs.leaf.replace(END_CERT, '-----END CERTIFICATE----') });
  const [text, json] = await Promise.all([cli(['check', '--cert', p['tls.crt']!]), check(t, ['--cert', p['tls.crt']!])]);
  t.is(text.exitCode, 1);
  t.is(text.stderr, '');
  t.false(text.stdout.includes(ESC), 'ANSI escape with stdout not a TTY');
  const lines = text.stdout.split('\n');
  t.is(lines[0], `Certificate ${p['tls.crt']}`);
  const marked = lines.filter((l) => MARK_LINE.test(l)).map((l) => MARK_LINE.exec(l)!.slice(1, 3));
  const d = single(t, json.report);
  t.deepEqual(
    marked,
    d.findings.map((f) => [f.status.toUpperCase(), f.check]),
  );
  const failAt = lines.findIndex((l) => l.startsWith('FAIL'));
  const f = findingOf(d, 'certificate');
  t.is(lines[failAt], `FAIL   certificate    ${f.summary}  [malformed-certificate]`);
  // Everything up to the next check line is indented detail: evidence, then $ commands, then fix:.
  const nextAt = lines.findIndex((l, i) => i > failAt && MARK_LINE.test(l));
  const detail = lines.slice(failAt + 1, nextAt);
  const indentOf = (l: string) => /^ */.exec(l)![0].length;
  t.true(detail.length > 0 && detail.every((l) => indentOf(l) >= 2), detail.join('\n'));
  const base = indentOf(detail[0]!);
  t.deepEqual(
    detail.map((l) => l.slice(base)),
    [...f.evidence, ...f.commands.map((c) => `$ ${c}`), `fix: ${f.remediation}`],
  );
  t.is(detail[0]!.slice(base), 'node:crypto: ERR_OSSL_PEM_BAD_END_LINE');
  // Passing and skipped lines carry no detail.
  const skipAt = lines.findIndex((l) => l.startsWith('SKIP'));
  t.true(MARK_LINE.test(lines[skipAt + 1]!));
  t.is(lines.at(-2), 'Result: problems found (1 failed, 0 warnings, 0 errors, 0 passed, 8 skipped)');
});

test('text output: warnings show their detail too, and NO_COLOR=1 / --no-color print no ANSI escapes', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.leaf, 'tls.key': keys.leaf.pem });
  const args = ['check', '--cert', p['tls.crt']!, '--key', p['tls.key']!];
  const runs = await Promise.all([cli(args), cli(args, cliEnv({ NO_COLOR: '1' })), cli([...args, '--no-color'])]);
  for (const r of runs) {
    t.is(r.exitCode, 0);
    t.false(r.stdout.includes(ESC));
    assertNoLeak(t, 'text', r, [keys.leaf.pem]);
  }
  const lines = runs[0]!.stdout.split('\n');
  t.is(lines[1], `  key ${p['tls.key']}`);
  const warnAt = lines.findIndex((l) => l.startsWith('WARN'));
  t.is(
    lines[warnAt],
    'WARN   chain-complete the chain stops at "CN=api.example.com, O=Example", whose issuer "CN=Test Intermediate CA" is not in the chain nor a known root  [chain-incomplete]',
  );
  t.deepEqual(
    lines.slice(warnAt + 1, warnAt + 4).map((l) => l.trim()),
    [
      'last certificate: "CN=api.example.com, O=Example" issued by "CN=Test Intermediate CA"',
      `$ openssl verify -untrusted ${p['tls.crt']} ${p['tls.crt']}`,
      'fix: append the intermediate certificate(s) up to "CN=Test Intermediate CA" after the leaf (use the issuer\'s full chain, e.g. fullchain.pem)',
    ],
  );
  t.is(runs[0]!.stdout, runs[1]!.stdout);
  t.is(runs[0]!.stdout, runs[2]!.stdout);
});

test('-o yaml parses to the same document as -o json (Diagnosis and DiagnosisList)', async (t) => {
  const { paths, secrets } = overridesLayout(t);
  const { certs } = fx();
  const p = files(t, { 'bad.crt': Buffer.from(certs.leaf).toString('base64') });
  for (const args of [
    ['--overrides', paths.overrides],
    ['--cert', p['bad.crt']!],
  ]) {
    const [json, yaml] = await Promise.all([cli(['check', ...args, '-o', 'json']), cli(['check', ...args, '-o', 'yaml'])]);
    t.is(yaml.exitCode, json.exitCode);
    t.is(yaml.exitCode, 1);
    t.false(yaml.stdout.trimStart().startsWith('{'), 'yaml, not json');
    t.deepEqual(parseYaml(yaml.stdout), JSON.parse(json.stdout));
    assertNoLeak(t, '-o yaml', yaml, args[0] === '--overrides' ? secrets : []);
  }
});

test('--verbose prints each openssl command on stderr; stdout stays one JSON document', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, { 'tls.crt': certs.leaf + certs.int, 'tls.key': keys.other.pem });
  const r = await cli(['check', '--cert', p['tls.crt']!, '--key', p['tls.key']!, '-o', 'json', '-v']);
  t.is(r.exitCode, 1);
  t.deepEqual(
    verdictsOf(JSON.parse(r.stdout) as Diagnosis),
    verdicts({ 'key-match': 'fail key-mismatch', 'chain-complete': 'warn chain-incomplete', hostnames: 'skip' }),
  );
  t.deepEqual(
    r.stderr
      .split('\n')
      .filter((l) => l !== '')
      .sort(),
    [
      `+ cat ${p['tls.crt']} | openssl x509 -noout -modulus -passin pass:`,
      `+ cat ${p['tls.crt']} | openssl x509 -noout -pubkey -passin pass:`,
      `+ cat ${p['tls.key']} | openssl pkey -pubout -passin pass:`,
      `+ cat ${p['tls.key']} | openssl rsa -noout -modulus -passin pass:`,
    ],
  );
  assertNoLeak(t, '-v', r, [keys.other.pem]);
});

// ---------------------------------------------------------------------------------------------
// A pseudo-terminal: encrypted keys must never make openssl (or node) prompt

/** Runs the bundle under `script`, so stdin/stdout are a terminal; returns what the terminal showed. */
async function underPty(args: string[], env: Record<string, string>): Promise<RunResult> {
  const command = [process.execPath, BUNDLE, ...args].map(sh).join(' ');
  const r = await limited(() =>
    execa('script', ['-qec', command, '/dev/null'], { env, extendEnv: false, stdin: 'ignore', reject: false, timeout: 60_000, stripFinalNewline: false }),
  );
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? '').replace(/\r\n/g, '\n'), stderr: String(r.stderr ?? '') };
}

for (const form of [
  { name: 'encrypted PKCS#8', pem: () => fx().leafEncryptedPkcs8 },
  { name: 'legacy encrypted PEM', pem: () => fx().leafEncryptedLegacy },
]) {
  test(`on a terminal, an ${form.name} key → exit 1, malformed-private-key, no passphrase prompt`, async (t) => {
    const { certs } = fx();
    const p = files(t, { 'tls.crt': certs.leaf + certs.int, 'tls.key': form.pem(), 'ca.crt': certs.root });
    const args = ['check', '--cert', p['tls.crt']!, '--key', p['tls.key']!, '--ca', p['ca.crt']!];
    const [colour, noColour, json] = await Promise.all([
      underPty(args, cliEnv()),
      underPty(args, cliEnv({ NO_COLOR: '1' })),
      underPty([...args, '-o', 'json', '-v'], cliEnv()),
    ]);
    for (const r of [colour, noColour, json]) {
      t.is(r.exitCode, 1, r.stdout);
      t.false(/pass ?phrase for/i.test(r.stdout + r.stderr), 'prompted for a passphrase');
      assertNoLeak(t, 'pty', r, [form.pem()]);
    }
    // On a terminal the report is coloured, unless NO_COLOR says otherwise.
    t.true(colour.stdout.includes(`${ESC}[31mFAIL ${ESC}[0m  private-key`), colour.stdout);
    t.false(noColour.stdout.includes(ESC));
    t.true(
      noColour.stdout.split('\n').some((l) => l.startsWith('FAIL   private-key') && l.endsWith('[malformed-private-key]')),
      noColour.stdout,
    );
    // -v prints each command on stderr, which the terminal shows before the report: the JSON starts at the first "{".
    const report = JSON.parse(json.stdout.slice(json.stdout.indexOf('{\n'))) as Diagnosis;
    t.deepEqual(verdictsOf(report), verdicts({ 'private-key': 'fail malformed-private-key', 'key-match': 'skip', hostnames: 'skip' }));
    t.true(json.stdout.includes(`+ cat ${p['tls.key']} | openssl pkey -pubout -passin pass:`), json.stdout);
  });
}

// ---------------------------------------------------------------------------------------------
// openssl missing: verdicts come from node:crypto, the evidence says what was not run

test('--openssl /nonexistent/openssl: the verdict is unchanged and the evidence names the command not run', async (t) => {
  const { certs, keys } = fx();
  const p = files(t, {
    'bad.crt': certs.leaf.replace(END_CERT, '-----END CERTIFICATE----'),
    'tls.crt': certs.leaf + certs.int,
    'other.key': keys.other.pem,
    'ca.crt': certs.root,
  });
  const missing = ['--openssl', '/nonexistent/openssl'];
  const [bad, mismatch] = await Promise.all([
    checkOne(t, ['--cert', p['bad.crt']!, ...missing], { exit: 1, verdicts: MALFORMED_CERT }),
    checkOne(
      t,
      ['--cert', p['tls.crt']!, '--key', p['other.key']!, '--ca', p['ca.crt']!, ...missing],
      { exit: 1, verdicts: verdicts({ 'key-match': 'fail key-mismatch', hostnames: 'skip' }) },
      [keys.other.pem],
    ),
  ]);
  t.deepEqual(findingOf(bad, 'certificate').evidence, [
    'node:crypto: ERR_OSSL_PEM_BAD_END_LINE',
    `openssl not found (use --openssl PATH); not run: cat ${p['bad.crt']} | openssl x509 -noout -text -passin pass:`,
  ]);
  const evidence = findingOf(mismatch, 'key-match').evidence;
  t.is(evidence.length, 4);
  t.is(evidence[2], `openssl not found (use --openssl PATH); not run: cat ${p['tls.crt']} | openssl x509 -noout -pubkey -passin pass:`);
  t.is(evidence[3], `openssl not found (use --openssl PATH); not run: cat ${p['tls.crt']} | openssl x509 -noout -modulus -passin pass:`);
});
