// Property tests (fast-check) for every parser that reads untrusted bytes: pki (certificates and
// private keys), the signature catalog (matchText / matchLine), the apigee-watcher line reader,
// the overrides.yaml reader and Secret data decoding. Each parser gets at least 10,000 generated
// inputs per run (RUNS below, checked by the first test), plus a handful of 10 MB, deeply nested
// and thousand-block inputs. What must hold for every input:
//   - the parser returns, never throws;
//   - the result is classified: ok with the parsed thing, or a problem from the declared union
//     with a non-empty one-line detail (never the last-resort "could not be analysed");
//   - a detail never quotes the input (no 16-character base64 run of the input is in it);
//   - valid input stays ok under harmless rewrites (CRLF, blanks, BOM, block order), and each
//     kind of damage gets the problem that names it.
// Then the CLI: invalid names exit 2 before any request, Secret data that is not base64 is a
// classified finding, a watcher log line of megabytes gives bounded evidence.
// A failure prints fast-check's seed and path; rerun one with FC_SEED=<seed>.
import { isIP } from 'node:net';
import { X509Certificate, type KeyObject } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { hostnameProblem, nameProblem } from '../src/apigee/names.js';
import { parseOverrides, type Overrides } from '../src/apigee/overrides.js';
import { analyseMaterial } from '../src/checks/analyse-material.js';
import { decodeSecretValue, LAYOUTS, secretMaterial } from '../src/apigee/secret-layout.js';
import {
  MAX_BLOCKS,
  analyseCertificate,
  analysePrivateKey,
  signatureAlgorithmOf,
  type CertProblem,
  type CertificateAnalysis,
  type KeyAnalysis,
  type KeyProblem,
} from '../src/pki/index.js';
import { CAUSES } from '../src/report/finding.js';
import {
  MAX_LINE_CHARS,
  SIGNATURES,
  extractWatcherMessage,
  matchLine,
  matchText,
  watcherSecretNotFound,
  type SignatureMatch,
} from '../src/signatures/index.js';
import { apigeeCluster, tlsSecret, watcherSecretNotFoundLine, type LogEntry } from '../src/sim/index.js';
import { REPO_ROOT, clusterFor } from './helpers/cluster.js';
import { tempDir } from './helpers/files.js';
import { pkiFixtures } from './helpers/pki-fixtures.js';
import { cliRun, finding, fullChain, rootCa, rsaKey, stackLines, type DiagnosisJson } from './helpers/scenarios.js';

// ---------------------------------------------------------------------------------------------
// Run budget: generated inputs per parser, split across its properties

const RUNS = {
  certificate: {
    bytes: 1500,
    text: 1000,
    soup: 1500,
    truncation: 1000,
    bitFlip: 1000,
    derFlip: 800,
    lineShuffle: 600,
    blockShuffle: 300,
    harmless: 800,
    crWhitespace: 600,
    badBase64: 800,
    base64Swap: 500,
    labels: 300,
    nonUtf8: 300,
  },
  privateKey: {
    bytes: 1500,
    text: 1000,
    soup: 1500,
    truncation: 1000,
    bitFlip: 1000,
    derFlip: 800,
    lineShuffle: 600,
    combined: 300,
    harmless: 800,
    crWhitespace: 600,
    badBase64: 800,
    base64Swap: 500,
    labels: 300,
    nonUtf8: 300,
  },
  matchText: { random: 3000, catalogSoup: 3500, longLines: 1500, notStrings: 500, invariance: 1500 },
  watcher: { random: 2500, found: 3000, notFound: 3000, message: 1000, notStrings: 500 },
  parseOverrides: { random: 2500, roundTrip: 2500, mutated: 3000, anything: 2000 },
  decodeSecretValue: { roundTrip: 3000, whitespace: 2000, random: 3000, corrupted: 2000 },
} as const;

const PER_PARSER = 10_000;
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

/** Runs a property exactly `numRuns` times and fails the test with fast-check's report (seed, path, counterexample). */
function holds<Ts>(t: ExecutionContext, property: fc.IProperty<Ts>, numRuns: number): void {
  const details = fc.check(property, { numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });
  if (details.failed) {
    // The reason first: counterexamples can be long PEM texts.
    const reason = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    t.fail(
      `${reason.split('\n')[0]}\n(seed ${details.seed}, path ${details.counterexamplePath}; rerun with FC_SEED=${details.seed})\n${fc.defaultReportMessage(details as fc.RunDetails<unknown>) ?? ''}`,
    );
    return;
  }
  t.is(details.numRuns, numRuns);
}

test('budget: every parser gets at least 10,000 generated inputs', (t) => {
  const totals = Object.fromEntries(Object.entries(RUNS).map(([parser, runs]) => [parser, Object.values(runs).reduce((a: number, b: number) => a + b, 0)]));
  for (const [parser, total] of Object.entries(totals)) t.true(total >= PER_PARSER, `${parser}: ${total}`);
  t.deepEqual(Object.keys(totals), ['certificate', 'privateKey', 'matchText', 'watcher', 'parseOverrides', 'decodeSecretValue']);
});

// ---------------------------------------------------------------------------------------------
// What a classified result is

const CERT_PROBLEMS = Object.keys({
  empty: true,
  'bad-end-line': true,
  'missing-end-line': true,
  'bad-base64': true,
  'no-newline-between-blocks': true,
  'trailing-garbage': true,
  'leading-garbage': true,
  der: true,
  'double-base64': true,
  'private-key-not-certificate': true,
  'bad-der': true,
  'no-certificate-block': true,
} satisfies Record<CertProblem, true>) as CertProblem[];

const KEY_PROBLEMS = Object.keys({
  empty: true,
  'bad-end-line': true,
  'missing-end-line': true,
  'bad-base64': true,
  'trailing-garbage': true,
  'leading-garbage': true,
  der: true,
  'double-base64': true,
  'encrypted-pkcs8': true,
  'encrypted-legacy': true,
  openssh: true,
  'certificate-not-key': true,
  'public-key-not-private-key': true,
  'bad-der': true,
  'no-key-block': true,
} satisfies Record<KeyProblem, true>) as KeyProblem[];

const NOTES = new Set(['bom', 'crlf']);
const LAST_RESORT = /could not be analysed/;
const WINDOW = 16;

/** The first 16-character base64 run of `detail` that also occurs in the input, if any. */
function quotedInput(input: Buffer | string, detail: string): string | undefined {
  const texts = typeof input === 'string' ? [input] : [input.toString('latin1'), input.toString('utf8')];
  for (let i = 0; i + WINDOW <= detail.length; i += 1) {
    const w = detail.slice(i, i + WINDOW);
    if (/^[A-Za-z0-9+/=]+$/.test(w) && texts.some((x) => x.includes(w))) return w;
  }
  return undefined;
}

class Violation extends Error {}
function require_(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Violation(what);
}

function commonFailure(input: Buffer, r: { detail: unknown; nodeErrorCode?: unknown }): void {
  require_(typeof r.detail === 'string' && r.detail.trim() !== '', 'detail is empty');
  require_(!r.detail.includes('\n'), `detail has a line break: ${r.detail}`);
  require_(!LAST_RESORT.test(r.detail), `the last-resort catch answered (something threw): ${r.detail}`);
  require_(
    r.nodeErrorCode === undefined || (typeof r.nodeErrorCode === 'string' && /^[A-Z][A-Z0-9_]*$/.test(r.nodeErrorCode)),
    `nodeErrorCode ${String(r.nodeErrorCode)}`,
  );
  const quoted = quotedInput(input, r.detail);
  require_(quoted === undefined, `detail quotes the input (${quoted}): ${r.detail}`);
}

function notesOk(notes: unknown): void {
  require_(Array.isArray(notes) && notes.every((n) => NOTES.has(n as string)) && new Set(notes).size === notes.length, `notes ${JSON.stringify(notes)}`);
}

/** Throws a Violation unless `r` is a classified certificate analysis of `input`. */
function classifiedCertificate(input: Buffer, r: CertificateAnalysis): CertificateAnalysis {
  require_(typeof r === 'object' && r !== null, 'no result');
  notesOk(r.notes);
  if (r.ok === true) {
    require_(Array.isArray(r.certificates) && r.certificates.length > 0, 'ok without certificates');
    let last = -1;
    for (const c of r.certificates) {
      require_(c.x509 instanceof X509Certificate, 'not an X509Certificate');
      require_(Number.isInteger(c.index) && c.index > last, `index ${c.index} after ${last}`);
      last = c.index;
      require_(typeof c.subject === 'string' && typeof c.issuer === 'string' && typeof c.signatureAlgorithm === 'string', 'names');
      require_(
        !Number.isNaN(c.notBefore.getTime()) && !Number.isNaN(c.notAfter.getTime()),
        `ok, but a date is unreadable: notBefore ${c.x509.validFrom}, notAfter ${c.x509.validTo}`,
      );
      require_(Array.isArray(c.sans.dns) && Array.isArray(c.sans.ip), 'sans');
    }
    require_(
      r.truncated === undefined || (r.truncated === true && r.certificates.length === MAX_BLOCKS),
      `truncated ${String(r.truncated)} with ${r.certificates.length}`,
    );
    return r;
  }
  require_(r.ok === false, `ok is ${String((r as { ok: unknown }).ok)}`);
  require_(CERT_PROBLEMS.includes(r.problem), `problem ${String(r.problem)}`);
  require_(r.blockIndex === undefined || (Number.isInteger(r.blockIndex) && r.blockIndex >= 0 && r.blockIndex <= MAX_BLOCKS), `blockIndex ${r.blockIndex}`);
  commonFailure(input, r);
  return r;
}

function classifiedKey(input: Buffer, r: KeyAnalysis): KeyAnalysis {
  require_(typeof r === 'object' && r !== null, 'no result');
  notesOk(r.notes);
  if (r.ok === true) {
    require_(typeof r.key === 'object' && (r.key as KeyObject).type === 'private', 'ok without a private KeyObject');
    require_(['pkcs8', 'pkcs1', 'sec1'].includes(r.format), `format ${r.format}`);
    require_(typeof r.keyType === 'string' && r.keyType !== '', 'keyType');
    return r;
  }
  require_(r.ok === false, `ok is ${String((r as { ok: unknown }).ok)}`);
  require_(KEY_PROBLEMS.includes(r.problem), `problem ${String(r.problem)}`);
  commonFailure(input, r);
  return r;
}

const cert = (input: Buffer): CertificateAnalysis => classifiedCertificate(input, analyseCertificate(input));
const key = (input: Buffer): KeyAnalysis => classifiedKey(input, analysePrivateKey(input));
const fingerprints = (r: CertificateAnalysis): string[] => (r.ok ? r.certificates.map((c) => c.fingerprint256) : []);
const problemOf = (r: CertificateAnalysis | KeyAnalysis): string => (r.ok ? 'ok' : r.problem);

// ---------------------------------------------------------------------------------------------
// Valid material, made once at test time

const fx = pkiFixtures();
const CHAINS: readonly string[] = [
  fx.certs.leaf + fx.certs.int + fx.certs.root,
  fx.certs.p256Leaf + fx.certs.int,
  fx.certs.ed25519Leaf,
  fx.certs.sha1SelfSigned,
  fx.certs.rsa1024Leaf + fx.certs.int + fx.certs.root,
  fx.certs.p384Leaf,
];
const KEYS: readonly string[] = [fx.keys.leaf.pem, fx.leafPkcs1, fx.p256Sec1, fx.keys.p256.pem, fx.keys.p384.pem, fx.keys.ed25519.pem, fx.keys.rsa1024.pem];
const EXPECTED_FINGERPRINTS = new Map(CHAINS.map((c) => [c, fingerprints(analyseCertificate(Buffer.from(c)))]));
const EXPECTED_SPKI = new Map(KEYS.map((k) => [k, spkiOf(analysePrivateKey(Buffer.from(k)))]));

function spkiOf(r: KeyAnalysis): string {
  return r.ok ? r.key.export({ type: 'pkcs8', format: 'der' }).toString('base64') : '';
}

/** A PEM text as blocks of lines: [BEGIN, ...body, END]. */
function blocksOf(pem: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] | null = null;
  for (const line of pem.split('\n')) {
    if (line.startsWith('-----BEGIN ')) current = [line];
    else if (current) {
      current.push(line);
      if (line.startsWith('-----END ')) {
        blocks.push(current);
        current = null;
      }
    }
  }
  return blocks;
}

const derOfBlock = (block: string[]): Buffer => Buffer.from(block.slice(1, -1).join(''), 'base64');
const labelOf = (block: string[]): string => block[0]!.slice('-----BEGIN '.length, -'-----'.length);
const armour = (label: string, der: Buffer): string =>
  `-----BEGIN ${label}-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;

const chainArb = fc.constantFrom(...CHAINS);
const keyArb = fc.constantFrom(...KEYS);

/** Characters of all kinds, lone surrogates included. */
const anyChar = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('\r', '\n', '\t', ' ', '\uFEFF', '"', '{', '}', '\\', ':', '-', '=', '\u0000', '\u00e9', '\u2028') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
);
const anyString = (maxLength: number) => fc.string({ unit: anyChar, maxLength });

/** Text tokens PEM parsers react to, to build PEM-ish soup. */
function pemToken(kind: 'CERTIFICATE' | 'PRIVATE KEY'): fc.Arbitrary<string> {
  const body = (kind === 'CERTIFICATE' ? CHAINS : KEYS).flatMap((p) => p.split('\n').filter((l) => l !== '' && !l.startsWith('-----')));
  return fc.oneof(
    fc.constantFrom(
      `-----BEGIN ${kind}-----`,
      `-----END ${kind}-----`,
      '-----BEGIN CERTIFICATE-----',
      '-----END CERTIFICATE-----',
      '-----BEGIN RSA PRIVATE KEY-----',
      '-----END EC PRIVATE KEY-----',
    ),
    fc.constantFrom(
      '-----BEGIN ENCRYPTED PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      '-----BEGIN PUBLIC KEY-----',
      '-----END CERTIFICATE----------BEGIN CERTIFICATE-----',
    ),
    fc.constantFrom(
      'Proc-Type: 4,ENCRYPTED',
      'DEK-Info: AES-256-CBC,00',
      '',
      ' ',
      '\t',
      '\r',
      '-----',
      '----BEGIN CERTIFICATE-----',
      '  -----END CERTIFICATE-----',
      'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
    ),
    fc.constantFrom(...body),
    fc.base64String({ maxLength: 80 }),
    anyString(40),
  );
}

/** Body line positions (block, line) of a PEM, for targeted damage. */
function bodyPositions(pem: string): Array<[number, number]> {
  const lines = pem.split('\n');
  const out: Array<[number, number]> = [];
  let block = -1;
  let inside = false;
  lines.forEach((l, i) => {
    if (l.startsWith('-----BEGIN ')) {
      block += 1;
      inside = true;
    } else if (l.startsWith('-----END ')) inside = false;
    else if (inside && l !== '') out.push([block, i]);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// pki: the families of input, each for certificates and keys

const TRUNCATION_PROBLEMS_CERT = ['empty', 'no-certificate-block', 'missing-end-line', 'bad-end-line', 'trailing-garbage'];
const TRUNCATION_PROBLEMS_KEY = ['empty', 'no-key-block', 'missing-end-line', 'bad-end-line', 'trailing-garbage'];

test('pki: random bytes and random text are classified, never thrown on, never quoted', (t) => {
  holds(
    t,
    fc.property(fc.uint8Array({ maxLength: 4096 }), (a) => void cert(Buffer.from(a))),
    RUNS.certificate.bytes,
  );
  holds(
    t,
    fc.property(fc.uint8Array({ maxLength: 4096 }), (a) => void key(Buffer.from(a))),
    RUNS.privateKey.bytes,
  );
  holds(
    t,
    fc.property(anyString(2000), (s) => void cert(Buffer.from(s))),
    RUNS.certificate.text,
  );
  holds(
    t,
    fc.property(anyString(2000), (s) => void key(Buffer.from(s))),
    RUNS.privateKey.text,
  );
});

test('pki: PEM soup (armour lines, headers, body lines, base64, garbage, in any order)', (t) => {
  for (const [kind, parse, runs] of [
    ['CERTIFICATE', cert, RUNS.certificate.soup],
    ['PRIVATE KEY', key, RUNS.privateKey.soup],
  ] as const) {
    const soup = fc.tuple(fc.array(pemToken(kind), { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean());
    holds(
      t,
      fc.property(soup, ([tokens, eol, bom]) => void parse(Buffer.from(`${bom ? '\uFEFF' : ''}${tokens.join(eol)}`))),
      runs,
    );
  }
});

test('pki: every truncation of a valid chain or key is ok exactly when it ends after an END line, else a named cut', (t) => {
  const certCut = fc.tuple(chainArb, fc.nat());
  holds(
    t,
    fc.property(certCut, ([chain, n]) => {
      const prefix = chain.slice(0, n % (chain.length + 1));
      const r = cert(Buffer.from(prefix));
      const complete = prefix.trimEnd().endsWith('-----END CERTIFICATE-----');
      require_(r.ok === complete, `ok ${r.ok} for a prefix that ${complete ? 'ends' : 'does not end'} with an END line (${problemOf(r)})`);
      if (r.ok) {
        const blocks = prefix.split('-----END CERTIFICATE-----').length - 1;
        require_(JSON.stringify(fingerprints(r)) === JSON.stringify(EXPECTED_FINGERPRINTS.get(chain)!.slice(0, blocks)), 'the certificates before the cut');
      } else {
        require_(TRUNCATION_PROBLEMS_CERT.includes(r.problem), `a cut named ${r.problem}`);
        require_((r.problem === 'empty') === (prefix.trim() === ''), `empty is for empty input only (${r.problem})`);
      }
    }),
    RUNS.certificate.truncation,
  );
  holds(
    t,
    fc.property(fc.tuple(keyArb, fc.nat()), ([pem, n]) => {
      const prefix = pem.slice(0, n % (pem.length + 1));
      const r = key(Buffer.from(prefix));
      const complete = /-----END [A-Z ]*PRIVATE KEY-----$/.test(prefix.trimEnd());
      require_(r.ok === complete, `ok ${r.ok} for a prefix that ${complete ? 'ends' : 'does not end'} with an END line (${problemOf(r)})`);
      if (r.ok) require_(spkiOf(r) === EXPECTED_SPKI.get(pem), 'the same key');
      else {
        require_(TRUNCATION_PROBLEMS_KEY.includes(r.problem), `a cut named ${r.problem}`);
        require_((r.problem === 'empty') === (prefix.trim() === ''), `empty is for empty input only (${r.problem})`);
      }
    }),
    RUNS.privateKey.truncation,
  );
});

const flips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 });
function flipBits(bytes: Buffer, edits: ReadonlyArray<readonly [number, number]>): Buffer {
  const out = Buffer.from(bytes);
  for (const [at, bit] of edits) out[at % out.length] = (out[at % out.length]! ^ (1 << bit)) & 0xff;
  return out;
}

test('pki: bit flips anywhere in the PEM text are classified', (t) => {
  holds(
    t,
    fc.property(chainArb, flips, (chain, edits) => void cert(flipBits(Buffer.from(chain), edits))),
    RUNS.certificate.bitFlip,
  );
  holds(
    t,
    fc.property(keyArb, flips, (pem, edits) => void key(flipBits(Buffer.from(pem), edits))),
    RUNS.privateKey.bitFlip,
  );
});

test('pki: bit flips inside the DER, re-armoured, are ok or bad-der of exactly that block', (t) => {
  holds(
    t,
    fc.property(chainArb, fc.nat(), flips, (chain, which, edits) => {
      const blocks = blocksOf(chain);
      const b = which % blocks.length;
      const text = blocks.map((block, i) => (i === b ? armour('CERTIFICATE', flipBits(derOfBlock(block), edits)) : `${block.join('\n')}\n`)).join('');
      const r = cert(Buffer.from(text));
      if (!r.ok) {
        require_(r.problem === 'bad-der', `damaged DER named ${r.problem}`);
        require_(r.blockIndex === b, `blockIndex ${r.blockIndex}, damage in ${b}`);
      } else require_(r.certificates.length === blocks.length, 'every certificate');
    }),
    RUNS.certificate.derFlip,
  );
  holds(
    t,
    fc.property(keyArb, flips, (pem, edits) => {
      const [block] = blocksOf(pem);
      const r = key(Buffer.from(armour(labelOf(block!), flipBits(derOfBlock(block!), edits))));
      require_(r.ok || r.problem === 'bad-der', `damaged DER named ${problemOf(r)}`);
    }),
    RUNS.privateKey.derFlip,
  );
});

test('pki: shuffled lines are classified; shuffled whole blocks stay ok with the same certificates', (t) => {
  const shuffledLines = (pem: string) => {
    const lines = pem.split('\n');
    return fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }).map((l) => ({ original: lines, shuffled: l }));
  };
  holds(
    t,
    fc.property(chainArb.chain(shuffledLines), ({ original, shuffled }) => {
      const r = cert(Buffer.from(shuffled.join('\n')));
      if (shuffled.join('\n') === original.join('\n')) require_(r.ok, 'the unshuffled chain is ok');
    }),
    RUNS.certificate.lineShuffle,
  );
  holds(
    t,
    fc.property(keyArb.chain(shuffledLines), ({ original, shuffled }) => {
      const r = key(Buffer.from(shuffled.join('\n')));
      if (shuffled.join('\n') === original.join('\n')) require_(r.ok, 'the unshuffled key is ok');
    }),
    RUNS.privateKey.lineShuffle,
  );
  const shuffledBlocks = (chain: string) => {
    const blocks = blocksOf(chain);
    return fc.shuffledSubarray(blocks, { minLength: blocks.length, maxLength: blocks.length }).map((s) => ({ chain, shuffled: s }));
  };
  holds(
    t,
    fc.property(chainArb.chain(shuffledBlocks), ({ chain, shuffled }) => {
      const r = cert(Buffer.from(shuffled.map((b) => `${b.join('\n')}\n`).join('')));
      require_(r.ok, `block order is the chain check's business, not the parser's (${problemOf(r)})`);
      require_(JSON.stringify([...fingerprints(r)].sort()) === JSON.stringify([...EXPECTED_FINGERPRINTS.get(chain)!].sort()), 'the same certificates');
    }),
    RUNS.certificate.blockShuffle,
  );
  // A key file with certificates around the key (a combined PEM): the key is found, whatever the order.
  holds(
    t,
    fc.property(keyArb, chainArb, fc.nat(), (pem, chain, at) => {
      const blocks = blocksOf(chain).map((b) => `${b.join('\n')}\n`);
      blocks.splice(at % (blocks.length + 1), 0, pem);
      const r = key(Buffer.from(blocks.join('')));
      require_(r.ok && spkiOf(r) === EXPECTED_SPKI.get(pem), `the key among certificates (${problemOf(r)})`);
    }),
    RUNS.privateKey.combined,
  );
});

/** Rewrites that every tool accepts: CRLF on any lines, blanks around blocks and after BEGIN, indented or joined body lines, trailing blanks on armour lines, a BOM. */
const harmless = fc.record({
  crlf: fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
  armourTrail: fc.constantFrom('', ' ', '\t', ' \t '),
  around: fc.array(fc.constantFrom('', ' ', '\t', '  '), { maxLength: 3 }),
  blankAfterBegin: fc.boolean(),
  body: fc.constantFrom('as-is', 'joined', 'indented', 'tab-split'),
  bom: fc.boolean(),
});
type Harmless = typeof harmless extends fc.Arbitrary<infer T> ? T : never;

function rewrite(pem: string, h: Harmless): { text: string; crlf: boolean } {
  const out: string[] = [...h.around];
  for (const block of blocksOf(pem)) {
    const [begin, ...rest] = block;
    const end = rest.pop()!;
    let body = rest;
    if (h.body === 'joined') body = [rest.join('')];
    if (h.body === 'indented') body = rest.map((l) => `  ${l}`);
    if (h.body === 'tab-split') body = rest.map((l) => `${l.slice(0, 10)}\t${l.slice(10)}`);
    out.push(`${begin}${h.armourTrail}`, ...(h.blankAfterBegin ? [''] : []), ...body, `${end}${h.armourTrail}`, ...h.around);
  }
  let crlf = false;
  const text = out.map((l, i) => {
    const useCrlf = h.crlf[i % h.crlf.length]!;
    crlf ||= useCrlf;
    return `${l}${useCrlf ? '\r\n' : '\n'}`;
  });
  return { text: `${h.bom ? '\uFEFF' : ''}${text.join('')}`, crlf };
}

test('pki: valid input stays ok, with the same content, after CR/LF normalisation and other harmless rewrites', (t) => {
  holds(
    t,
    fc.property(chainArb, harmless, (chain, h) => {
      const { text, crlf } = rewrite(chain, h);
      const r = cert(Buffer.from(text));
      require_(r.ok, `rewritten chain not ok: ${problemOf(r)} ${r.ok ? '' : r.detail}`);
      require_(JSON.stringify(fingerprints(r)) === JSON.stringify(EXPECTED_FINGERPRINTS.get(chain)), 'the same certificates');
      const notes = [...(h.bom ? ['bom'] : []), ...(crlf ? ['crlf'] : [])];
      require_(JSON.stringify(r.notes) === JSON.stringify(notes), `notes ${JSON.stringify(r.notes)}, expected ${JSON.stringify(notes)}`);
    }),
    RUNS.certificate.harmless,
  );
  holds(
    t,
    fc.property(keyArb, harmless, (pem, h) => {
      const { text, crlf } = rewrite(pem, h);
      const r = key(Buffer.from(text));
      require_(r.ok, `rewritten key not ok: ${problemOf(r)} ${r.ok ? '' : r.detail}`);
      require_(spkiOf(r) === EXPECTED_SPKI.get(pem), 'the same key');
      const notes = [...(h.bom ? ['bom'] : []), ...(crlf ? ['crlf'] : [])];
      require_(JSON.stringify(r.notes) === JSON.stringify(notes), `notes ${JSON.stringify(r.notes)}, expected ${JSON.stringify(notes)}`);
    }),
    RUNS.privateKey.harmless,
  );
});

const insertion = fc.array(fc.tuple(fc.nat(), fc.constantFrom('\r', ' ', '\t', '\r\n', '\n', '\f', '\v', '\u00a0')), { minLength: 1, maxLength: 6 });
function insertAt(text: string, edits: ReadonlyArray<readonly [number, string]>): string {
  let out = text;
  for (const [at, s] of edits) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + s + out.slice(i);
  }
  return out;
}

test('pki: CR and whitespace inserted anywhere are classified; spaces and tabs inside body lines change nothing', (t) => {
  holds(
    t,
    fc.property(chainArb, insertion, (chain, edits) => void cert(Buffer.from(insertAt(chain, edits)))),
    RUNS.certificate.crWhitespace / 2,
  );
  holds(
    t,
    fc.property(keyArb, insertion, (pem, edits) => void key(Buffer.from(insertAt(pem, edits)))),
    RUNS.privateKey.crWhitespace / 2,
  );
  const inBody = (pem: string) =>
    fc.tuple(fc.constantFrom(...bodyPositions(pem)), fc.nat(), fc.constantFrom(' ', '\t', '\r', ' \t')).map(([[, line], at, ws]) => {
      const lines = pem.split('\n');
      const l = lines[line]!;
      const i = at % (l.length + 1);
      lines[line] = l.slice(0, i) + ws + l.slice(i);
      return { pem, text: lines.join('\n') };
    });
  holds(
    t,
    fc.property(chainArb.chain(inBody), ({ pem, text }) => {
      const r = cert(Buffer.from(text));
      require_(r.ok && JSON.stringify(fingerprints(r)) === JSON.stringify(EXPECTED_FINGERPRINTS.get(pem)), `blank inside a body line: ${problemOf(r)}`);
    }),
    RUNS.certificate.crWhitespace / 2,
  );
  holds(
    t,
    fc.property(keyArb.chain(inBody), ({ pem, text }) => {
      const r = key(Buffer.from(text));
      require_(r.ok && spkiOf(r) === EXPECTED_SPKI.get(pem), `blank inside a body line: ${problemOf(r)}`);
    }),
    RUNS.privateKey.crWhitespace / 2,
  );
});

/** Printable characters outside the base64 alphabet that cannot be mistaken for armour, a header or a blank. */
const NOT_BASE64 = [...'!#$%&*,.;?@^_~|"\'()[]{}<>`', '\u00e9', '\u00ff', '\u00a7'];

function corruptBody(pem: string, edits: ReadonlyArray<readonly [number, number, string]>): { text: string; firstBlock: number } {
  const positions = bodyPositions(pem);
  const lines = pem.split('\n');
  let firstBlock = Number.MAX_SAFE_INTEGER;
  for (const [p, at, ch] of edits) {
    const [block, line] = positions[p % positions.length]!;
    const l = lines[line]!;
    const i = at % l.length;
    lines[line] = l.slice(0, i) + ch + l.slice(i + 1);
    firstBlock = Math.min(firstBlock, block);
  }
  return { text: lines.join('\n'), firstBlock };
}

test('pki: a character outside the base64 alphabet in a body is bad-base64, in the block where it is', (t) => {
  const edits = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...NOT_BASE64)), { minLength: 1, maxLength: 3 });
  holds(
    t,
    fc.property(chainArb, edits, (chain, e) => {
      const { text, firstBlock } = corruptBody(chain, e);
      const r = cert(Buffer.from(text, 'latin1'));
      require_(
        !r.ok && r.problem === 'bad-base64' && r.blockIndex === firstBlock,
        `${problemOf(r)} at ${r.ok ? '-' : r.blockIndex}, expected bad-base64 at ${firstBlock}`,
      );
    }),
    RUNS.certificate.badBase64,
  );
  holds(
    t,
    fc.property(keyArb, edits, (pem, e) => {
      const r = key(Buffer.from(corruptBody(pem, e).text, 'latin1'));
      require_(!r.ok && r.problem === 'bad-base64', `${problemOf(r)}, expected bad-base64`);
    }),
    RUNS.privateKey.badBase64,
  );
});

test('pki: a base64 character swapped for another (no padding touched) is ok or bad-der of that block', (t) => {
  const B64 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'];
  const swap = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...B64));
  const swapped = (pem: string, [p, at, ch]: [number, number, string]) => {
    const positions = bodyPositions(pem);
    const [block, line] = positions[p % positions.length]!;
    const lines = pem.split('\n');
    const l = lines[line]!;
    const i = at % l.replace(/=+$/, '').length;
    lines[line] = l.slice(0, i) + ch + l.slice(i + 1);
    return { text: lines.join('\n'), block };
  };
  holds(
    t,
    fc.property(chainArb, swap, (chain, s) => {
      const { text, block } = swapped(chain, s);
      const r = cert(Buffer.from(text));
      require_(r.ok || (r.problem === 'bad-der' && r.blockIndex === block), `${problemOf(r)}, expected ok or bad-der at ${block}`);
    }),
    RUNS.certificate.base64Swap,
  );
  holds(
    t,
    fc.property(keyArb, swap, (pem, s) => {
      const r = key(Buffer.from(swapped(pem, s).text));
      require_(r.ok || r.problem === 'bad-der', `${problemOf(r)}, expected ok or bad-der`);
    }),
    RUNS.privateKey.base64Swap,
  );
});

test('pki: an unknown PEM label is named by kind, and the label itself never reaches the detail', (t) => {
  const label = fc.stringMatching(/^[A-Z0-9]{6,30}$/).map((s) => `ZQ${s}`);
  holds(
    t,
    fc.property(label, chainArb, fc.boolean(), (l, chain, asKey) => {
      const [block] = blocksOf(chain);
      const name = asKey ? `${l} PRIVATE KEY` : l;
      const text = armour(name, derOfBlock(block!));
      const r = cert(Buffer.from(text));
      require_(!r.ok && r.problem === (asKey ? 'private-key-not-certificate' : 'no-certificate-block'), `${problemOf(r)}`);
      require_(!r.ok && !r.detail.includes(l), `the label is quoted: ${r.ok ? '' : r.detail}`);
    }),
    RUNS.certificate.labels,
  );
  holds(
    t,
    fc.property(label, keyArb, fc.boolean(), (l, pem, privateSuffix) => {
      const [block] = blocksOf(pem);
      const name = privateSuffix ? `${l} PRIVATE KEY` : l;
      const r = key(Buffer.from(armour(name, derOfBlock(block!))));
      require_(!r.ok && r.problem === 'no-key-block', `${problemOf(r)}`);
      require_(!r.ok && !r.detail.includes(l), `the label is quoted: ${r.ok ? '' : r.detail}`);
    }),
    RUNS.privateKey.labels,
  );
});

test('pki: non-UTF-8 bytes (invalid sequences, Latin-1, overlong forms) inserted anywhere are classified', (t) => {
  const bad = fc.constantFrom<number[]>(
    [0x80],
    [0xff],
    [0xc0, 0xad],
    [0xe0, 0x80, 0x80],
    [0xed, 0xa0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xfe],
    [0xe9],
    [0xc3],
  );
  const edits = fc.array(fc.tuple(fc.nat(), bad), { minLength: 1, maxLength: 4 });
  const apply = (pem: string, e: ReadonlyArray<readonly [number, number[]]>) => {
    let out = Buffer.from(pem);
    for (const [at, bytes] of e) {
      const i = at % (out.length + 1);
      out = Buffer.concat([out.subarray(0, i), Buffer.from(bytes), out.subarray(i)]);
    }
    return out;
  };
  holds(
    t,
    fc.property(chainArb, edits, (chain, e) => require_(!cert(apply(chain, e)).ok, 'non-UTF-8 bytes accepted')),
    RUNS.certificate.nonUtf8,
  );
  holds(
    t,
    fc.property(keyArb, edits, (pem, e) => require_(!key(apply(pem, e)).ok, 'non-UTF-8 bytes accepted')),
    RUNS.privateKey.nonUtf8,
  );
});

// ---------------------------------------------------------------------------------------------
// pki: a few huge, deep and many-block inputs (a few runs each, not thousands)

const TEN_MB = 10 * 1024 * 1024;

function pseudoRandom(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

test('pki: 10 MB inputs are classified, each by the damage it has', (t) => {
  const chain = CHAINS[0]!;
  const keyPem = KEYS[0]!;
  const random = pseudoRandom(TEN_MB, 7);
  random[0] = 0x00;
  const cases: Array<[string, Buffer, string, string]> = [
    [
      'one 10 MB body line, certificate',
      Buffer.from(`-----BEGIN CERTIFICATE-----\n${'A'.repeat(TEN_MB)}\n-----END CERTIFICATE-----\n`),
      'bad-der',
      'certificate-not-key',
    ],
    [
      'one 10 MB body line, private key',
      Buffer.from(`-----BEGIN PRIVATE KEY-----\n${'A'.repeat(TEN_MB)}\n-----END PRIVATE KEY-----\n`),
      'private-key-not-certificate',
      'bad-der',
    ],
    ['10 MB of line feeds', Buffer.alloc(TEN_MB, 0x0a), 'empty', 'empty'],
    ['10 MB of dashes', Buffer.alloc(TEN_MB, 0x2d), 'no-certificate-block', 'no-key-block'],
    ['10 MB of BEGIN lines', Buffer.from('-----BEGIN CERTIFICATE-----\n'.repeat(TEN_MB / 28)), 'missing-end-line', 'missing-end-line'],
    ['10 MB of END lines', Buffer.from('-----END CERTIFICATE-----\n'.repeat(TEN_MB / 26)), 'no-certificate-block', 'no-key-block'],
    ['one 10 MB BEGIN line', Buffer.from(`-----BEGIN ${'-----BEGIN '.repeat(TEN_MB / 11)}`), 'no-certificate-block', 'no-key-block'],
    [
      '10 MB of bare base64',
      Buffer.from(
        'QUFB'
          .repeat(16)
          .concat('\n')
          .repeat(TEN_MB / 65),
      ),
      'no-certificate-block',
      'no-key-block',
    ],
    [
      '10 MB of double base64',
      Buffer.from(Buffer.from(chain.repeat(Math.ceil((TEN_MB * 0.75) / chain.length))).toString('base64')),
      'double-base64',
      'double-base64',
    ],
    ['10 MB of binary', random, 'no-certificate-block', 'no-key-block'],
    ['10 MB of DER-looking binary', Buffer.concat([Buffer.from([0x30, 0x84, 0x00, 0xa0, 0x00, 0x00]), Buffer.alloc(TEN_MB)]), 'der', 'der'],
    ['a chain, then 10 MB of text', Buffer.from(`${chain}${'garbage text\n'.repeat(TEN_MB / 13)}`), 'trailing-garbage', 'trailing-garbage'],
    ['10 MB of text, then a key', Buffer.from(`${'garbage text\n'.repeat(TEN_MB / 13)}${keyPem}`), 'leading-garbage', 'leading-garbage'],
    ['10 MB of lone CRs around text', Buffer.from('x\r'.repeat(TEN_MB / 2)), 'no-certificate-block', 'no-key-block'],
  ];
  for (const [what, bytes, certProblem, keyProblem] of cases) {
    t.true(bytes.length >= TEN_MB - 64, `${what}: ${bytes.length} bytes`);
    for (const [parser, parse, expected] of [
      ['certificate', cert, certProblem],
      ['key', key, keyProblem],
    ] as const) {
      let r: CertificateAnalysis | KeyAnalysis | undefined;
      t.notThrows(() => {
        r = parse(bytes);
      }, `${what} (${parser})`);
      if (r) t.is(problemOf(r), expected, `${what} (${parser})`);
    }
  }
});

/** DER: `depth` SEQUENCEs around a NULL, every length in long form (4 bytes when `overlong`). */
function nestedDer(depth: number, overlong: boolean): Buffer {
  const parts: Buffer[] = [];
  let inner = 2;
  const headers: Buffer[] = [];
  for (let i = 0; i < depth; i += 1) {
    const h =
      overlong || inner >= 0x10000
        ? Buffer.from([0x30, 0x84, (inner >>> 24) & 0xff, (inner >>> 16) & 0xff, (inner >>> 8) & 0xff, inner & 0xff])
        : Buffer.from([0x30, 0x82, inner >> 8, inner & 0xff]);
    headers.push(h);
    inner += h.length;
  }
  for (let i = headers.length - 1; i >= 0; i -= 1) parts.push(headers[i]!);
  parts.push(Buffer.from([0x05, 0x00]));
  return Buffer.concat(parts);
}

test('pki: deeply nested and overlong ASN.1, as PEM and as raw DER, is bad-der or der; forge says unknown', (t) => {
  const leafDer = derOfBlock(blocksOf(CHAINS[0]!)[0]!);
  const longFormLeaf = Buffer.concat([Buffer.from([0x30, 0x84, 0, 0]), leafDer.subarray(2)]); // 30 82 LL LL → 30 84 00 00 LL LL
  const inputs: Array<[string, Buffer]> = [
    ['nested 100,000 deep', nestedDer(100_000, false)],
    ['nested 10,000 deep, 4-byte lengths', nestedDer(10_000, true)],
    ['a length of 4 GiB', Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00])],
    ['an 8-byte length', Buffer.from([0x30, 0x88, 0, 0, 0, 0, 0, 0, 0, 3, 0x02, 0x01, 0x00])],
    ['an indefinite length, never closed', Buffer.concat([Buffer.from([0x30, 0x80]), Buffer.alloc(1000, 0x30)])],
    ['a length past the end', Buffer.from([0x30, 0x82, 0x7f, 0xff, 0x02, 0x01, 0x00])],
    ['a certificate with a non-minimal outer length', longFormLeaf],
    ['an OID of 10,000 arcs', Buffer.concat([Buffer.from([0x30, 0x82, 0x27, 0x14, 0x06, 0x82, 0x27, 0x10]), Buffer.alloc(10_000, 0x81)])],
  ];
  for (const [what, der] of inputs) {
    const asCert = cert(Buffer.from(armour('CERTIFICATE', der)));
    const asKey = key(Buffer.from(armour('PRIVATE KEY', der)));
    const rawCert = cert(der);
    const rawKey = key(der);
    t.true(asCert.ok || problemOf(asCert) === 'bad-der', `${what} as a CERTIFICATE block: ${problemOf(asCert)}`);
    t.is(problemOf(asKey), 'bad-der', `${what} as a PRIVATE KEY block`);
    // DER is recognised by a SEQUENCE with a long-form length of 1 to 4 bytes; other binary is binary.
    const derShaped = der[1]! >= 0x81 && der[1]! <= 0x84;
    t.is(problemOf(rawCert), derShaped ? 'der' : 'no-certificate-block', `${what} as raw DER (certificate)`);
    t.is(problemOf(rawKey), derShaped ? 'der' : 'no-key-block', `${what} as raw DER (key)`);
    const name = signatureAlgorithmOf(der);
    t.true(typeof name === 'string' && name.length > 0 && name.length < 200, `${what}: forge gave ${name.slice(0, 50)}`);
  }
  t.is(signatureAlgorithmOf(nestedDer(100_000, false)), 'unknown');
  t.is(signatureAlgorithmOf(nestedDer(10_000, true)), 'unknown');
});

test('pki: thousands of PEM blocks: the first 1000 are read, the rest is not', (t) => {
  const leaf = fx.certs.leaf;
  const many = cert(Buffer.from(leaf.repeat(1500)));
  t.true(many.ok);
  if (many.ok) {
    t.is(many.certificates.length, MAX_BLOCKS);
    t.true(many.truncated);
  }
  // Blocks past the 1000th are not read, so damage there is not seen.
  t.is(problemOf(cert(Buffer.from(`${leaf.repeat(MAX_BLOCKS)}-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n`))), 'ok');
  const broken999 = cert(Buffer.from(`${leaf.repeat(999)}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`));
  t.like(broken999, { ok: false, problem: 'bad-der', blockIndex: 999 });
  t.like(cert(Buffer.from('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'.repeat(5000))), { ok: false, problem: 'bad-der', blockIndex: 0 });
  t.like(cert(Buffer.from('-----BEGIN X-----\n-----END X-----\n'.repeat(5000))), { ok: false, problem: 'no-certificate-block', blockIndex: 0 });
  const keyPem = KEYS[2]!;
  t.true(key(Buffer.from(keyPem.repeat(3000))).ok);
  const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
  t.true(key(Buffer.from(params.repeat(999) + keyPem)).ok);
  t.like(key(Buffer.from(params.repeat(3000) + keyPem)), { ok: false, problem: 'no-key-block' });
  t.like(key(Buffer.from(leaf.repeat(3000))), { ok: false, problem: 'certificate-not-key' });
});

test('pki: UTF-16 and other encodings of a valid chain are named, not parsed', (t) => {
  const chain = CHAINS[0]!;
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(chain, 'utf16le')]);
  const utf16be = Buffer.from(utf16le.subarray(2)).swap16();
  const cases: Array<[string, Buffer, string, string]> = [
    ['UTF-16LE with BOM', utf16le, 'no-certificate-block', 'no-key-block'],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]), 'no-certificate-block', 'no-key-block'],
    ['UTF-16LE without BOM', utf16le.subarray(2), 'no-certificate-block', 'no-key-block'],
    ['classic Mac line ends', Buffer.from(chain.replace(/\n/g, '\r')), 'no-certificate-block', 'no-key-block'],
    ['Latin-1 text before BEGIN', Buffer.concat([Buffer.from([0xe9, 0x0a]), Buffer.from(chain)]), 'leading-garbage', 'leading-garbage'],
  ];
  for (const [what, bytes, c, k] of cases) {
    t.is(problemOf(cert(bytes)), c, what);
    t.is(problemOf(key(bytes)), k, what);
  }
});

// ---------------------------------------------------------------------------------------------
// The signature catalog: matchText and matchLine

/** Lines the catalog knows (and lines that look close), to mix into generated text. */
const SAMPLE_LINES = [
  '4027D3D1197F0000:error:0480006C:PEM routines:get_name:no start line:../crypto/pem/pem_lib.c:763:Expecting: CERTIFICATE',
  '136613728412992:error:0909006C:PEM routines:get_name:no start line:pem_lib.c:745:Expecting: ANY PRIVATE KEY',
  'Could not read certificate from badend.crt',
  'Could not read private key from good.crt',
  'Unable to load certificate',
  'unable to load Private Key',
  'ERR_OSSL_PEM_BAD_END_LINE: error:04800066:PEM routines::bad end line',
  'ERR_OSSL_PEM_BAD_BASE64_DECODE: error:04800064:PEM routines::bad base64 decode',
  'ERR_OSSL_ASN1_WRONG_TAG: error:068000A8:asn1 encoding routines::wrong tag',
  'ERR_OSSL_UNSUPPORTED: error:1E08010C:DECODER routines::unsupported',
  'error:0900006e:PEM routines:OPENSSL_internal:NO_START_LINE',
  'Failed to load certificate chain from <inline>',
  'Failed to load incomplete private key from path: <inline>, Cause: error:0900006e:PEM routines:OPENSSL_internal:NO_START_LINE',
  'tls: failed to find any PEM data in key input',
  'tls: private key does not match public key',
  'Not an RSA key',
  'Modulus=No modulus for this public key type',
  'Enter pass phrase for enc-pkcs1.key:',
  'ERR_OSSL_BAD_DECRYPT: error:1C800064:Provider routines::bad decrypt',
  'verify error:num=10:certificate has expired',
  'Verify return code: 10 (certificate has expired)',
  '* TLSv1.3 (IN), TLS alert, unknown CA (560):',
  '* OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.example.com:443 ',
  'curl: (35) OpenSSL SSL_connect: Connection reset by peer in connection to api.example.com:443 ',
  'curl: (60) SSL certificate problem: certificate has expired',
  'curl: (60) SSL certificate problem: self-signed certificate',
  'Error: read ECONNRESET',
  'ECONNRESETS are counted here',
  'Files a.txt and b.txt differ',
  'NOT_FOUND: failed to get secret "acme-prod" in namespace "apigee": secrets "acme-prod" not found',
  '{"level":"error","ts":1.7e9,"msg":"NOT_FOUND: failed to get secret \\"acme-prod\\" in namespace \\"apigee\\""}',
  'Hostname other.example.com does NOT match certificate',
  '-----BEGIN CERTIFICATE-----',
];

const SIGNATURE_BY_ID = new Map(SIGNATURES.map((s) => [s.id, s]));
const KNOWN_CAUSES = new Set<string>(CAUSES);

/** The lines matchText sees: split on LF, a trailing CR removed. */
function linesOf(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

const brief = (ms: readonly SignatureMatch[]): string => JSON.stringify(ms.map((m) => [m.lineNumber, m.id, [...m.causes]]));

/** Throws unless the matches are well-formed and exactly what matching each line alone gives. */
function consistentMatches(text: string, matches: readonly SignatureMatch[]): void {
  require_(Array.isArray(matches), 'not an array');
  const lines = linesOf(text);
  let last = 0;
  const kindsPerLine = new Map<number, Set<string>>();
  for (const m of matches) {
    const s = SIGNATURE_BY_ID.get(m.id);
    require_(s !== undefined, `unknown id ${m.id}`);
    require_(m.kind === s.kind && m.tool === s.tool && m.meaning === s.meaning && m.source === s.source, `${m.id}: fields differ from the catalog`);
    require_(
      m.causes.every((c: string) => KNOWN_CAUSES.has(c)),
      `${m.id}: causes ${m.causes.join(',')}`,
    );
    require_(
      Number.isInteger(m.lineNumber) && m.lineNumber >= Math.max(1, last) && m.lineNumber <= lines.length,
      `line number ${m.lineNumber} after ${last} of ${lines.length}`,
    );
    last = m.lineNumber;
    require_(m.line === lines[m.lineNumber - 1], `line ${m.lineNumber} is not quoted as given`);
    const kinds = kindsPerLine.get(m.lineNumber) ?? new Set<string>();
    require_(!kinds.has(m.kind), `two matches of kind ${m.kind} on line ${m.lineNumber}`);
    kinds.add(m.kind);
    kindsPerLine.set(m.lineNumber, kinds);
  }
  const oneByOne = lines.flatMap((l, i) => matchLine(l, i + 1));
  require_(brief(oneByOne) === brief(matches), 'matchText differs from matchLine line by line');
}

const sampleLine = fc.constantFrom(...SAMPLE_LINES);
const decorated = fc
  .tuple(
    fc.constantFrom('', '\uFEFF', '  ', '\t', '2025-06-01T10:00:00.000000Z ', 'E1127 07:46:28.456354 1 x.go:1] '),
    sampleLine,
    fc.constantFrom('', '\r', ' ', ' trailing words', '\u0000'),
    anyString(30),
  )
  .map(([pre, line, post, junk]) => [`${pre}${line}${post}`, junk]);

test('signatures: matchText on random text is consistent, classified and never throws', (t) => {
  holds(
    t,
    fc.property(anyString(3000), (s) => consistentMatches(s, matchText(s))),
    RUNS.matchText.random,
  );
  const soup = fc.tuple(
    fc.array(
      fc.oneof(
        decorated.map(([l]) => l!),
        decorated.map(([, j]) => j!),
        sampleLine,
      ),
      { maxLength: 30 },
    ),
    fc.constantFrom('\n', '\r\n'),
  );
  holds(
    t,
    fc.property(soup, ([lines, eol]) => {
      const text = lines.join(eol);
      const matches = matchText(text);
      consistentMatches(text, matches);
      // Every catalog sample that is a line of its own is found on its own line (junk may hold line breaks).
      let lineNumber = 1;
      for (const l of lines) {
        if (SAMPLE_LINES.includes(l) && matchLine(l).length > 0)
          require_(
            matches.some((m) => m.lineNumber === lineNumber && m.line === l),
            `line ${lineNumber} (${l}) not matched`,
          );
        lineNumber += l.split('\n').length - 1 + 1;
      }
    }),
    RUNS.matchText.catalogSoup,
  );
});

test('signatures: only the first MAX_LINE_CHARS characters of a line count, however long it is', (t) => {
  const long = fc.tuple(sampleLine, fc.integer({ min: 0, max: 3 * MAX_LINE_CHARS }), fc.constantFrom('x', ' ', 'A', '\u00e9'), fc.boolean());
  holds(
    t,
    fc.property(long, ([line, pad, ch, before]) => {
      const text = before ? `${ch.repeat(pad)}${line}` : `${line}${ch.repeat(pad)}`;
      const head = text.slice(0, MAX_LINE_CHARS);
      require_(brief(matchLine(text)) === brief(matchLine(head)), 'the tail of a long line changed the matches');
      if (before && pad >= MAX_LINE_CHARS) require_(matchLine(text).length === 0, 'a signature past the cap was matched');
      consistentMatches(text, matchText(text));
    }),
    RUNS.matchText.longLines,
  );
});

test('signatures: a trailing CR, a BOM, or the OpenSSL thread id never change which entries match', (t) => {
  const tid = fc.oneof(fc.stringMatching(/^[0-9A-F]{8,16}$/), fc.stringMatching(/^[1-9][0-9]{8,15}$/));
  holds(
    t,
    fc.property(sampleLine, tid, (line, id) => {
      const ids = (l: string) => JSON.stringify(matchLine(l).map((m) => m.id));
      require_(ids(`${line}\r`) === ids(line), 'a trailing CR changed the matches');
      require_(ids(`\uFEFF${line}`) === ids(line), 'a BOM changed the matches');
      const withTid = line.replace(/^[0-9A-F]{1,24}:error:/, `${id}:error:`);
      require_(ids(withTid) === ids(line), 'the thread id changed the matches');
    }),
    RUNS.matchText.invariance,
  );
  holds(
    t,
    fc.property(fc.anything(), (v) => {
      if (typeof v === 'string') return;
      require_(Array.isArray(matchText(v as string)) && matchText(v as string).length === 0, 'matchText of a non-string');
      require_(Array.isArray(matchLine(v as string)) && matchLine(v as string).length === 0, 'matchLine of a non-string');
    }),
    RUNS.matchText.notStrings,
  );
});

test('signatures: 10 MB lines and texts stay classified, with bounded matches', (t) => {
  const sig = 'ERR_OSSL_PEM_BAD_END_LINE: error:04800066:PEM routines::bad end line';
  t.deepEqual(matchText('x'.repeat(TEN_MB)), []);
  t.deepEqual(matchText('\n'.repeat(TEN_MB)), []);
  const perLine = matchLine(sig).length;
  t.true(perLine > 0);
  t.is(matchText(`${sig}${'x'.repeat(TEN_MB)}`).length, perLine);
  t.deepEqual(matchText(`${'x'.repeat(TEN_MB)}${sig}`), []);
  t.deepEqual(matchLine(`${'\u00e9'.repeat(TEN_MB)}${sig}`), []);
  const manyShort = 'short\n'.repeat(TEN_MB / 6);
  t.deepEqual(matchText(manyShort), []);
  const lines = `${sig}\n`.repeat(20_000);
  const matches = matchText(lines);
  t.is(matches.length, 20_000 * perLine);
  t.is(matches.at(-1)!.lineNumber, 20_000);
});

// ---------------------------------------------------------------------------------------------
// The apigee-watcher line reader

const dnsName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/);
const noQuote = fc.string({ unit: fc.constantFrom(...'abcXYZ019 :;,.{}[]-_/\\\t'.split('')), maxLength: 40 });

test('watcher: random lines and names give a boolean, never a throw', (t) => {
  holds(
    t,
    fc.property(anyString(400), anyString(40), (line, secret) => {
      const found = watcherSecretNotFound(line, secret);
      require_(typeof found === 'boolean', 'not a boolean');
      require_(typeof extractWatcherMessage(line) === 'string', 'message is not a string');
      if (!line.includes('failed to get secret')) require_(!found, 'found without the marker');
    }),
    RUNS.watcher.random,
  );
  holds(
    t,
    fc.property(fc.anything(), fc.anything(), (a, b) => {
      require_(
        watcherSecretNotFound(a as string, b as string) === (typeof a === 'string' && typeof b === 'string' && b !== '' && watcherSecretNotFound(a, b)),
        'non-strings',
      );
      if (typeof a !== 'string') require_(extractWatcherMessage(a as string) === '', 'message of a non-string');
    }),
    RUNS.watcher.notStrings,
  );
});

/** The playbook's line for `secret`, in each spelling the watcher might use. */
const foundLine = fc
  .tuple(
    dnsName,
    dnsName,
    fc.constantFrom('plain', 'msg', 'message', 'error', 'stamped-msg', 'cut'),
    noQuote,
    fc.dictionary(fc.constantFrom('level', 'ts', 'caller', 'logger', 'x'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  )
  .map(([secret, ns, form, prefix, extra]) => {
    const plain = watcherSecretNotFoundLine(secret, ns);
    const record = (field: string) => JSON.stringify({ ...extra, [field]: plain });
    const line = {
      plain: `${prefix}${plain}`,
      msg: record('msg'),
      message: record('message'),
      error: JSON.stringify({ ...extra, msg: 'reconcile failed', error: plain }),
      'stamped-msg': `2025-06-01T10:00:00.123456789Z ${record('msg')}`,
      cut: record('msg').slice(0, record('msg').indexOf(`secret \\"${secret}\\"`) + `secret \\"${secret}\\"`.length),
    }[form];
    return { secret, line, form };
  });

test('watcher: the NOT_FOUND line is found for its secret in every spelling', (t) => {
  holds(
    t,
    fc.property(foundLine, ({ secret, line, form }) => {
      require_(watcherSecretNotFound(line, secret), `${form} not found`);
    }),
    RUNS.watcher.found,
  );
});

test('watcher: another secret, a longer name, or another message is not taken for it', (t) => {
  holds(
    t,
    fc.property(foundLine, dnsName, fc.constantFrom('-x', 'x', '.b', '-0'), ({ secret, line }, other, suffix) => {
      // The line is about `secret`; asking for `secret + suffix` or an unrelated name is no.
      require_(!watcherSecretNotFound(line, `${secret}${suffix}`), 'a longer name matched');
      if (!line.includes(`"${other}\\"`) && !line.includes(`"${other}"`)) require_(!watcherSecretNotFound(line, other), `${other} matched`);
      require_(!watcherSecretNotFound(line.replace(/failed to get secret/g, 'failed to list secret'), secret), 'another message matched');
    }),
    RUNS.watcher.notFound,
  );
  holds(
    t,
    fc.property(
      fc.string({ maxLength: 200 }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
      fc.constantFrom('msg', 'message'),
      (m, extra, field) => {
        const { msg: _m, message: _n, ...rest } = extra as Record<string, unknown>;
        const record = { ...rest, [field]: m };
        require_(extractWatcherMessage(JSON.stringify(record)) === m, 'the message field');
        require_(extractWatcherMessage(`I0601 10:00:00.000 ${JSON.stringify(record)}`) === m, 'after a short prefix');
      },
    ),
    RUNS.watcher.message,
  );
});

test('watcher: 10 MB and deeply nested lines', (t) => {
  const plain = watcherSecretNotFoundLine('acme-prod');
  t.true(watcherSecretNotFound(`${plain}${'x'.repeat(TEN_MB)}`, 'acme-prod'));
  t.true(watcherSecretNotFound(JSON.stringify({ level: 'error', msg: plain, pad: 'y'.repeat(TEN_MB) }), 'acme-prod'));
  t.false(watcherSecretNotFound(`${'x'.repeat(TEN_MB)}failed to get secret "acme-prodx"`, 'acme-prod'));
  const deep = `{"msg":"m","x":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`;
  t.is(extractWatcherMessage(deep), 'm');
  const deepObject = `{${'"a":{'.repeat(500_000)}"msg":${JSON.stringify(plain)}${'}'.repeat(500_001)}`;
  t.is(extractWatcherMessage(deepObject), deepObject);
  t.true(watcherSecretNotFound(deepObject, 'acme-prod'));
  const unclosed = `{"msg":${JSON.stringify(plain)},"x":${'['.repeat(1_000_000)}}`;
  t.is(extractWatcherMessage(unclosed), unclosed);
  t.true(watcherSecretNotFound(unclosed, 'acme-prod'));
});

// ---------------------------------------------------------------------------------------------
// overrides.yaml

const OVERRIDES_ERROR =
  /^(is not valid YAML( \(line \d+, column \d+\)| \(an alias that is unknown or expands too far\))?|is not a YAML mapping \(expected org:, virtualhosts: …\)|is larger than 4 MiB; not an overrides file|nests deeper than 64 levels; not an overrides file)$/;
const VH_FIELDS = ['name', 'sslCertPath', 'sslKeyPath', 'sslSecret', 'caCertPath', 'tlsMode'];

function classifiedOverrides(text: string, r: ReturnType<typeof parseOverrides>): void {
  require_(typeof r === 'object' && r !== null, 'no result');
  if (r.ok === true) {
    const o = r.overrides;
    require_(Array.isArray(o.virtualhosts), 'virtualhosts');
    for (const vh of o.virtualhosts) {
      require_(typeof vh.name === 'string' && vh.name !== '', 'a virtual host without a name');
      for (const [k, v] of Object.entries(vh)) require_(VH_FIELDS.includes(k) && typeof v === 'string' && v !== '', `virtual host field ${k}`);
    }
    for (const k of Object.keys(o)) require_(['org', 'namespace', 'virtualhosts'].includes(k), `field ${k}`);
    require_(o.org === undefined || (typeof o.org === 'string' && o.org !== ''), 'org');
    require_(o.namespace === undefined || (typeof o.namespace === 'string' && o.namespace !== ''), 'namespace');
    return;
  }
  require_(r.ok === false && typeof r.error === 'string', 'neither ok nor an error');
  require_(OVERRIDES_ERROR.test(r.error), `error text ${JSON.stringify(r.error)}`);
  const quoted = quotedInput(text, r.error);
  require_(quoted === undefined, `error quotes the input: ${quoted}`);
}

const overrides = (text: string) => {
  const r = parseOverrides(text);
  classifiedOverrides(text, r);
  return r;
};

/** What parseOverrides must read from a document that is this JavaScript value. */
function expectedOverrides(doc: unknown): Overrides | null {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const o = doc as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const own = (x: Record<string, unknown>, k: string) => (Object.prototype.hasOwnProperty.call(x, k) ? x[k] : undefined);
  const list = own(o, 'virtualhosts');
  const virtualhosts = (Array.isArray(list) ? list : [])
    .filter(
      (e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e) && str(own(e as Record<string, unknown>, 'name')) !== undefined,
    )
    .map(
      (e) => Object.fromEntries(VH_FIELDS.map((k) => [k, str(own(e, k))]).filter(([, v]) => v !== undefined)) as unknown as Overrides['virtualhosts'][number],
    );
  const out: Overrides = { virtualhosts };
  if (str(own(o, 'org'))) out.org = str(own(o, 'org'))!;
  if (str(own(o, 'namespace'))) out.namespace = str(own(o, 'namespace'))!;
  return out;
}

const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constant(''),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const vhArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        name: scalar,
        sslCertPath: scalar,
        sslKeyPath: scalar,
        sslSecret: scalar,
        caCertPath: scalar,
        tlsMode: fc.constantFrom('SIMPLE', 'MUTUAL', ''),
        other: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const overridesDoc = fc.record(
  {
    org: scalar,
    namespace: scalar,
    virtualhosts: fc.oneof({ weight: 4, arbitrary: fc.array(vhArb, { maxLength: 5 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
    gcp: fc.record({ projectID: scalar, region: scalar }),
    ['__proto__']: fc.record({ virtualhosts: fc.array(vhArb, { maxLength: 2 }), org: scalar }),
    extra: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);

test('overrides: random text is a mapping read safely or an error that names a position only', (t) => {
  holds(
    t,
    fc.property(anyString(600), (s) => void overrides(s)),
    RUNS.parseOverrides.random,
  );
  holds(
    t,
    fc.property(fc.anything({ maxDepth: 4 }), (v) => {
      let text: unknown;
      try {
        text = yamlStringify(v);
      } catch {
        return; // values YAML cannot write: nothing to parse
      }
      if (typeof text === 'string') overrides(text); // undefined writes nothing
    }),
    RUNS.parseOverrides.anything,
  );
});

test('overrides: parsing never prints: no library warning on stderr (it would quote the text)', async (t) => {
  const warnings: string[] = [];
  const listener = (w: Error) => warnings.push(w.message);
  process.on('warning', listener);
  try {
    const collectionKey = fc.oneof(
      fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 3 }).map((a) => JSON.stringify(a)),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 30 }), { minKeys: 1, maxKeys: 2 }).map((o) => JSON.stringify(o)),
    );
    holds(
      t,
      fc.property(collectionKey, (k) => void overrides(`org: x\n? ${k}\n: y\nvirtualhosts:\n  - name: a\n`)),
      200,
    );
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  t.deepEqual(warnings.slice(0, 3), []);
});

test('overrides: a document reads back to exactly its org, namespace and named virtual hosts (own keys only)', (t) => {
  holds(
    t,
    fc.property(overridesDoc, (doc) => {
      const text = yamlStringify(doc);
      const r = overrides(text);
      require_(r.ok, `not read: ${r.ok ? '' : r.error}`);
      require_(
        JSON.stringify(r.overrides) === JSON.stringify(expectedOverrides(doc)),
        `read ${JSON.stringify(r.overrides)}, expected ${JSON.stringify(expectedOverrides(doc))}`,
      );
    }),
    RUNS.parseOverrides.roundTrip,
  );
});

const VALID_OVERRIDES = `gcp:
  projectID: my-project
  region: us-east1
org: my-org
namespace: apigee
virtualhosts:
  - name: prod-group
    sslCertPath: ./certs/prod.crt
    sslKeyPath: ./certs/prod.key
  - name: test-group
    sslSecret: test-group-tls
    tlsMode: MUTUAL
    caCertPath: ./certs/ca.pem
envs:
  - name: prod
    serviceAccountPaths:
      synchronizer: ./sa/sync.json
`;

test('overrides: a valid file, truncated, spliced, re-indented, tabbed or shuffled, is classified', (t) => {
  const edit = fc.oneof(
    fc.tuple(
      fc.constant('insert' as const),
      fc.nat(),
      fc.oneof(
        anyString(6),
        fc.constantFrom('\t', '\r', ': ', '- ', '&a ', '*a', '"', "'", '{', '[', '#', '|', '>', '!!binary ', '%YAML 1.1\n', '---\n', '...\n', '<<: *a\n'),
      ),
    ),
    fc.tuple(fc.constant('delete' as const), fc.nat(), fc.integer({ min: 1, max: 20 })),
    fc.tuple(fc.constant('truncate' as const), fc.nat(), fc.constant(0)),
  );
  holds(
    t,
    fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), fc.boolean(), (edits, shuffle) => {
      let text = VALID_OVERRIDES;
      if (shuffle) {
        const lines = text.split('\n');
        lines.push(lines.splice(edits.length % lines.length, 1)[0]!);
        text = lines.join('\n');
      }
      for (const [op, at, arg] of edits) {
        const i = at % (text.length + 1);
        if (op === 'insert') text = text.slice(0, i) + arg + text.slice(i);
        else if (op === 'delete') text = text.slice(0, i) + text.slice(i + (arg as number));
        else text = text.slice(0, i);
      }
      overrides(text);
    }),
    RUNS.parseOverrides.mutated,
  );
  t.deepEqual(parseOverrides(VALID_OVERRIDES), {
    ok: true,
    overrides: {
      virtualhosts: [
        { name: 'prod-group', sslCertPath: './certs/prod.crt', sslKeyPath: './certs/prod.key' },
        { name: 'test-group', sslSecret: 'test-group-tls', caCertPath: './certs/ca.pem', tlsMode: 'MUTUAL' },
      ],
      org: 'my-org',
      namespace: 'apigee',
    },
  });
});

test('overrides: 10 MB, alias bombs and 4 MB documents', (t) => {
  t.deepEqual(parseOverrides(`org: x\n${'#'.repeat(TEN_MB)}\n`), { ok: false, error: 'is larger than 4 MiB; not an overrides file' });
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x]',
    'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    'org: x',
  ].join('\n');
  t.deepEqual(parseOverrides(bomb), { ok: false, error: 'is not valid YAML (an alias that is unknown or expands too far)' });
  const many = `org: x\nvirtualhosts:\n${Array.from({ length: 50_000 }, (_, i) => `  - name: eg-${i}\n    sslSecret: s-${i}\n`).join('')}`;
  t.true(many.length < 4 * 1024 * 1024);
  const r = overrides(many);
  t.true(r.ok && r.overrides.virtualhosts.length === 50_000);
  const oneLine = `org: ${'x'.repeat(4 * 1024 * 1024 - 100)}\n`;
  const r2 = overrides(oneLine);
  t.true(r2.ok && r2.overrides.org!.length === 4 * 1024 * 1024 - 100);
});

/**
 * Deep nesting makes the YAML library overflow the stack; it reports that as an error, but a
 * second such document in the same process then kills it (V8: "RegExpCompiler Allocation
 * failed - process out of memory"). Run in a child process so that a crash fails this test only.
 */
test('overrides: deeply nested documents, one after another in one process, are refused and nothing crashes', async (t) => {
  const script = `
    import { parseOverrides } from ${JSON.stringify(new URL('../src/apigee/overrides.ts', import.meta.url).href)};
    const docs = [
      '- '.repeat(5000) + 'a',
      '['.repeat(100000),
      '- '.repeat(5000) + 'a',
      'org: x\\nvirtualhosts:\\n' + '  '.repeat(1) + '- '.repeat(4000) + 'name: a',
      '{a: '.repeat(20000),
      '- '.repeat(5000) + 'a',
    ];
    for (const d of docs) process.stdout.write(JSON.stringify(parseOverrides(d)) + '\\n');
  `;
  const r = await execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    reject: false,
    timeout: 60_000,
    all: true,
  });
  const firstLines = (r.all ?? '').split('\n').slice(0, 8).join('\n');
  t.is(r.exitCode, 0, `the process died: ${firstLines}`);
  const lines = (r.stdout ?? '').split('\n').filter((l) => l !== '');
  t.is(lines.length, 6, firstLines);
  for (const line of lines) {
    const parsed = JSON.parse(line) as { ok: boolean; error?: string };
    t.false(parsed.ok, line);
    t.regex(parsed.error ?? '', OVERRIDES_ERROR, line);
  }
});

// ---------------------------------------------------------------------------------------------
// Secret data decoding

const whitespaceIn = fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '\n', '\r\n', '\t', '  \n')), { maxLength: 8 });

test('secret data: base64 decodes to exactly its bytes, with any whitespace in it', (t) => {
  holds(
    t,
    fc.property(fc.uint8Array({ maxLength: 3000 }), (a) => {
      const bytes = Buffer.from(a);
      require_(decodeSecretValue(bytes.toString('base64')).equals(bytes), 'round trip');
    }),
    RUNS.decodeSecretValue.roundTrip,
  );
  holds(
    t,
    fc.property(fc.uint8Array({ maxLength: 3000 }), whitespaceIn, (a, ws) => {
      const bytes = Buffer.from(a);
      require_(decodeSecretValue(insertAt(bytes.toString('base64'), ws)).equals(bytes), 'round trip with whitespace');
    }),
    RUNS.decodeSecretValue.whitespace,
  );
});

test('secret data: what is not canonical base64 is decoded as base64 -d would, and marked undecodable so it never passes', (t) => {
  holds(
    t,
    fc.property(
      fc.oneof(
        anyString(400),
        fc
          .base64String({ maxLength: 400 })
          .chain((b) => fc.tuple(fc.constant(b), fc.nat(), fc.constantFrom('-', '_', '!', '=', 'é', '.')).map(([s, at, ch]) => insertAt(s, [[at, ch]]))),
      ),
      (s) => {
        const out = decodeSecretValue(s);
        require_(Buffer.isBuffer(out), 'not a Buffer');
        const compact = s.replace(/\s+/g, '');
        const canonical = compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
        require_(out.equals(Buffer.from(compact, 'base64')), 'decoded like base64 -d');
        const material = secretMaterial({ metadata: { name: 's' }, data: { cert: s, key: s } }, { namespace: 'apigee' }, LAYOUTS[0], false, []);
        require_(canonical === !material.cert.undecodable && canonical === !material.key!.undecodable, 'undecodable exactly when not canonical base64');
      },
    ),
    RUNS.decodeSecretValue.random,
  );
  // Corrupted base64 of a chain or key, as a hand-edited Secret holds it: never ok, always classified.
  const corrupt = fc.tuple(fc.oneof(chainArb, keyArb), fc.nat(), fc.constantFrom('drop', '!', '-', '_', '*', 'é', 'url-safe', 'unpadded'));
  holds(
    t,
    fc.property(corrupt, ([pem, at, how]) => {
      const b64 = Buffer.from(pem).toString('base64');
      const i = at % b64.length;
      const special: Record<string, string> = {
        drop: b64.slice(0, i) + b64.slice(i + 1),
        'url-safe': Buffer.from(pem).toString('base64url'),
        unpadded: b64.replace(/=+$/, '').slice(0, -1),
      };
      const value = special[how] ?? b64.slice(0, i) + how + b64.slice(i + 1);
      // Through the product's path for a Secret: decode, then analyse.
      const analysis = analyseMaterial(
        secretMaterial({ metadata: { name: 's' }, data: { cert: value, key: value } }, { namespace: 'apigee' }, LAYOUTS[0], false, []),
      );
      const c = analysis.cert!;
      const k = analysis.key!;
      // Dropping a character or a URL-safe alphabet may still leave valid base64 (e.g. no - or _ in it).
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
        require_(!c.ok && !k.ok, `corrupted base64 accepted (${problemOf(c)} / ${problemOf(k)})`);
      }
    }),
    RUNS.decodeSecretValue.corrupted,
  );
  const big = Buffer.alloc(TEN_MB, 0x41);
  t.true(decodeSecretValue(big.toString('base64')).equals(big));
  t.true(decodeSecretValue(`${big.toString('base64')}!`).equals(big));
});

// ---------------------------------------------------------------------------------------------
// Names: checked before anything runs

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^(\*\.)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*\.?$/;

test('names: nameProblem accepts exactly DNS-1123 labels; hostnameProblem exactly hostnames and IP addresses', (t) => {
  const nameish = fc.string({ unit: fc.constantFrom(...'abz09-._/;$`|&*?~ \'"\\\nAZ'.split(''), 'é', '\u200b'), maxLength: 70 });
  holds(
    t,
    fc.property(nameish, fc.constantFrom('env group', 'org', 'namespace') as fc.Arbitrary<'env group' | 'org' | 'namespace'>, (n, kind) => {
      const valid = n.length <= 63 && DNS_LABEL.test(n);
      require_((nameProblem(kind, n) === null) === valid, `${JSON.stringify(n)}: ${nameProblem(kind, n)}`);
    }),
    2000,
  );
  const hostish = fc.string({ unit: fc.constantFrom(...'ab09AF-.:*/;$ \n_'.split('')), maxLength: 60 });
  holds(
    t,
    fc.property(hostish, (h) => {
      const valid = h.length <= 253 && (DNS_NAME.test(h) || isIP(h) !== 0);
      require_((hostnameProblem(h) === null) === valid, `${JSON.stringify(h)}: ${hostnameProblem(h) ?? 'accepted'}`);
    }),
    2000,
  );
});

const DNS_LABEL_RULE = "must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";
const HOSTILE = [
  'a;b',
  '$(id)',
  '`id`',
  'a|b',
  'a&&b',
  'a b',
  "a'b",
  'a"b',
  'a>b',
  'a\nb',
  'a/b',
  '../etc',
  '..',
  'C:\\x',
  '-rf',
  '--all',
  'a'.repeat(64),
  'a'.repeat(5000),
  'Prod',
  'ｅg',
  'a\u200bb',
];

test('CLI: hostile env group, --org, -n and --host values exit 2 before a single request', async (t) => {
  const s = apigeeCluster({ org: 'acme', envgroups: [{ name: 'prod', secret: null }] });
  const c = await clusterFor(t, s.objects, s.logs);
  // Rejected values are echoed only when short, printable, one line and not base64-like or PEM.
  const shown = (v: string) =>
    /^[\x20-\x7e]{1,64}$/.test(v) && !/[A-Za-z0-9+/=]{20,}/.test(v) && !v.includes('-----') ? JSON.stringify(v) : `(a ${v.length}-character value, not shown)`;
  const cases: Array<[string[], string]> = [];
  for (const v of HOSTILE) {
    // A value that starts with a dash can only be given after `--`, where it is not the env group.
    if (!v.startsWith('-')) cases.push([['diagnose', v], `error: invalid env group name ${shown(v)}: ${DNS_LABEL_RULE}`]);
    cases.push([['diagnose', 'prod', `--org=${v}`], `error: invalid org name ${shown(v)}: ${DNS_LABEL_RULE}`]);
    cases.push([['diagnose', 'prod', `--namespace=${v}`], `error: invalid namespace name ${shown(v)}: ${DNS_LABEL_RULE}`]);
  }
  for (const v of ['-rf', '--all', '-']) cases.push([['diagnose', '--', v], '']);
  for (const v of ['a;b', '$(id)', 'a b', 'a/b', '../etc', '-x', '--all', 'a\nb', `${'a.'.repeat(127)}com`, '..', '.', ':::', 'ab:cd']) {
    cases.push([['diagnose', 'prod', `--host=${v}`], `error: invalid hostname ${shown(v)}`]);
  }
  const results = await Promise.all(cases.map(([args]) => cliRun(c.env, args)));
  cases.forEach(([args, message], i) => {
    const r = results[i]!;
    const label = JSON.stringify(args).slice(0, 120);
    t.is(r.exitCode, 2, label);
    t.is(r.stdout, '', label);
    if (message === '') t.regex(r.stderr, /^error: [^\n]+\nSee 'kubectl apigee-tls diagnose --help' for usage\.\n$/, label);
    else t.is(r.stderr, `${message}\nSee 'kubectl apigee-tls diagnose --help' for usage.\n`, label);
  });
  t.deepEqual(c.sim.requests, []);
});

test('CLI: Secret data that is not base64 is a classified malformed-certificate / malformed-private-key finding', async (t) => {
  const ca = rootCa('Properties Root CA');
  const k = rsaKey();
  const chain = fullChain(ca, 'bad.acme.example.com', k);
  const keyPem = k.export({ type: 'pkcs8', format: 'pem' }).toString();
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const variants: Record<string, { cert: string; key: string }> = {
    garbage: { cert: 'not base64!!', key: '%%%%' },
    // The PEM itself where its base64 belongs: the API server would refuse it, Istio could not decode it.
    'raw-pem': { cert: chain, key: keyPem },
    'cut-short': { cert: b64(chain).slice(0, -3), key: b64(keyPem).slice(1) },
    'bad-character': { cert: `${b64(chain).slice(0, 100)}*${b64(chain).slice(101)}`, key: `${b64(keyPem).slice(0, 50)}!${b64(keyPem).slice(51)}` },
    'base64-twice': { cert: b64(b64(chain)), key: b64(b64(keyPem)) },
    empty: { cert: '', key: '' },
  };
  const s = apigeeCluster({ org: 'acme', envgroups: Object.keys(variants).map((name) => ({ name })) });
  const objects = [
    ...s.objects,
    ...Object.entries(variants).map(([name, v]) => tlsSecret({ name: `acme-${name}`, namespace: 'apigee', rawData: { cert: v.cert, key: v.key } })),
  ];
  const c = await clusterFor(t, objects, s.logs);
  const r = await cliRun(c.env, ['diagnose', '--all', '-o', 'json']);
  t.is(r.exitCode, 1, r.stderr);
  t.deepEqual(stackLines(r.stderr), []);
  const list = JSON.parse(r.stdout) as { items: DiagnosisJson[] };
  t.deepEqual(list.items.map((d) => d.target.envgroup).sort(), Object.keys(variants).sort());
  for (const d of list.items) {
    const eg = String(d.target.envgroup);
    t.like(finding(d, 'certificate'), { status: 'fail', cause: 'malformed-certificate' }, eg);
    t.like(finding(d, 'private-key'), { status: 'fail', cause: 'malformed-private-key' }, eg);
    for (const f of d.findings) t.not(f.status, 'error', `${eg} ${f.check}: ${f.summary}`);
  }
});

test('CLI: watcher log lines of 5 MB, with the NOT_FOUND record and without, give bounded evidence', async (t) => {
  const s = apigeeCluster({ org: 'acme', envgroups: [{ name: 'prod', secret: null }] });
  const [logKey] = Object.keys(s.logs);
  const plain = watcherSecretNotFoundLine('acme-prod');
  const at = new Date(Date.now() - 60_000);
  const FIVE_MB = 5 * 1024 * 1024;
  const recordFirst = JSON.stringify({ level: 'error', ts: at.getTime() / 1000, msg: plain, pad: 'x'.repeat(FIVE_MB) });
  const noMarker = JSON.stringify({ level: 'info', ts: at.getTime() / 1000, msg: 'y'.repeat(FIVE_MB) });
  const markerAfterPad = JSON.stringify({ level: 'error', pad: 'z'.repeat(FIVE_MB), msg: plain });
  const plainThenJunk = `${plain} ${'w'.repeat(FIVE_MB)}`;
  const logs = { [logKey!]: [recordFirst, noMarker, markerAfterPad, plainThenJunk, 'q'.repeat(FIVE_MB)].map((line): LogEntry => ({ time: at, line })) };
  const c = await clusterFor(t, s.objects, logs);
  const [json, text] = await Promise.all([cliRun(c.env, ['diagnose', 'prod', '-o', 'json']), cliRun(c.env, ['diagnose', 'prod'])]);
  t.is(json.exitCode, 1, json.stderr);
  t.is(text.exitCode, 1, text.stderr);
  t.true(json.stdout.length < 64 * 1024, `json report of ${json.stdout.length} characters`);
  t.true(text.stdout.length < 64 * 1024, `text report of ${text.stdout.length} characters`);
  const d = JSON.parse(json.stdout) as DiagnosisJson;
  const f = finding(d, 'ingress-secret');
  t.is(f.cause, 'missing-ingress-secret');
  t.deepEqual(f.evidence.slice(0, 2), [`${recordFirst.slice(0, 2000)}…`, `${plainThenJunk.slice(0, 2000)}…`]);
  for (const e of d.findings.flatMap((x) => x.evidence)) t.true(e.length <= 2001, `evidence of ${e.length} characters`);
  t.like(finding(d, 'watcher-logs'), { status: 'pass' });
});

test('CLI: a certificate whose validity dates cannot be read is a classified finding, not an internal error', async (t) => {
  // Found by the DER bit-flip property: a month of 13 in notAfter.
  const leafDer = derOfBlock(blocksOf(fx.certs.leaf)[0]!);
  const at = leafDer.toString('latin1').indexOf('300101000000Z');
  t.true(at > 0);
  const broken = Buffer.from(leafDer);
  broken.write('301301000000Z', at, 'latin1');
  const dir = tempDir(t, 'apigee-tls-props-');
  const certFile = dir.write('bad-date.crt', armour('CERTIFICATE', broken) + fx.certs.int + fx.certs.root);
  const keyFile = dir.write('leaf.key', fx.keys.leaf.pem);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir.path, LANG: 'C.UTF-8' };
  const r = await cliRun(env, ['check', '--cert', certFile, '--key', keyFile, '-o', 'json']);
  t.false(r.stderr.includes('internal error'), r.stderr);
  t.is(r.exitCode, 1, r.stderr);
  if (r.stdout.startsWith('{')) t.like(finding(JSON.parse(r.stdout) as DiagnosisJson, 'certificate'), { status: 'fail', cause: 'malformed-certificate' });
});
