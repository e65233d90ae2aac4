// The leak canary. One RSA and one EC private key, made at test time, are planted everywhere a key
// can sit — in the ingress secrets (as the key, as the certificate, as the CA, as extra data keys,
// as raw non-base64 data), in the apigee-watcher log (the whole PEM, line by line), inline in an
// overrides.yaml, in an ApigeeRoute's spec.ports[0].tls.privateKey, in key files handed to
// `check`, in a curl transcript — and then every command is run in every output form (text,
// -o json, -o yaml, --verbose). No line of either key's body, and no other spelling of its
// private bytes (helpers/canary.ts), may show in stdout, stderr or an error message, and nothing
// may be written to TMPDIR: each run gets a private TMPDIR that is watched while it runs.
// The in-process tests at the end feed node:crypto, node-forge and the YAML library inputs built
// from the canary that make them throw, and check that what the product says carries no input.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { parse as parseYaml, parseDocument } from 'yaml';
import { parseOverrides } from '../src/apigee/overrides.js';
import { decodeSecretValue } from '../src/apigee/secret-layout.js';
import { analyseCertificate, analysePrivateKey, signatureAlgorithmOf } from '../src/pki/index.js';
import { apigeeCluster, watcherSecretNotFoundLine, type K8sObject, type LogEntry } from '../src/sim/index.js';
import { BUNDLE, REPO_ROOT, withCluster, type Cluster, type RunResult } from './helpers/cluster.js';
import { canaryLeaks, canarySelfTest, makeCanary, type Canary } from './helpers/canary.js';
import { listTree, withPrivateTmp } from './helpers/private-tmp.js';
import { ecKey, fullChain, limited, rootCa, rsaKey, stackLines, type DiagnosisJson, type DiagnosisListJson } from './helpers/scenarios.js';

// ---------------------------------------------------------------------------------------------
// The canaries and the PKI around them, made once per test process

const RSA = makeCanary('rsa', rsaKey());
const EC = makeCanary('ec', ecKey());
const CANARIES: readonly Canary[] = [RSA, EC];
const OTHER: KeyObject = rsaKey(); // never planted: its certificate goes with a canary key

const now = new Date();
const ORG = 'canary';
const NS = 'apigee';
const ca = rootCa('Canary Test Root CA', now);
const host = (eg: string): string => `${eg}.${ORG}.example.com`;
const chainFor = (eg: string, key: KeyObject): string => fullChain(ca, host(eg), key, { now });

/** A PEM split into its lines, each one as a separate log line (no blank ones). */
const pemLines = (pem: string): string[] => pem.split('\n').filter((l) => l !== '');
const ALL_PEMS = CANARIES.flatMap((c) => [c.pkcs8, c.traditional]);

/** Anything in a file that betrays a key: a canary, or any PEM private key at all. */
function fileFindings(content: string): string[] {
  const found = canaryLeaks(content, CANARIES);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(content)) found.push('a PEM private key');
  return found;
}

// ---------------------------------------------------------------------------------------------
// Running the built bundle: a private TMPDIR per run, optional stdin, a few runs at a time

function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', NO_COLOR: '1' };
}

async function exec(args: string[], env: Record<string, string>, input?: string): Promise<RunResult> {
  const r = await execa(process.execPath, [BUNDLE, ...args], {
    env,
    extendEnv: false,
    cwd: REPO_ROOT,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    reject: false,
    timeout: 90_000,
    stripFinalNewline: false,
  });
  return { exitCode: r.exitCode ?? -1, stdout: typeof r.stdout === 'string' ? r.stdout : '', stderr: typeof r.stderr === 'string' ? r.stderr : '' };
}

/**
 * One run of the bundle with its own TMPDIR, and what must hold for every run: no canary in
 * stdout or stderr, no stack trace, no file in TMPDIR that holds key material at any moment,
 * and no file left in TMPDIR afterwards.
 */
async function runClean(t: ExecutionContext, env: Record<string, string>, args: string[], input?: string): Promise<RunResult> {
  const report = await limited(() => withPrivateTmp((tmp) => exec(args, { ...env, TMPDIR: tmp }, input), fileFindings));
  const r = report.value;
  const label = args.join(' ');
  t.deepEqual(canaryLeaks(r.stdout, CANARIES), [], `key material in stdout of: ${label}`);
  t.deepEqual(canaryLeaks(r.stderr, CANARIES), [], `key material in stderr of: ${label}`);
  t.deepEqual(stackLines(`${r.stdout}\n${r.stderr}`), [], `stack trace printed by: ${label}`);
  t.deepEqual(report.before, [], 'the private TMPDIR starts empty');
  t.deepEqual(report.flagged, [], `key material written to TMPDIR by: ${label}`);
  t.deepEqual(report.remaining, [], `files left in TMPDIR by: ${label}`);
  return r;
}

type Form = 'text' | 'json' | 'yaml' | 'verbose' | 'verboseJson';
const FORM_ARGS: Record<Form, string[]> = { text: [], json: ['-o', 'json'], yaml: ['-o', 'yaml'], verbose: ['--verbose'], verboseJson: ['-v', '-o', 'json'] };
const EVERY_FORM: readonly Form[] = ['text', 'json', 'yaml', 'verbose', 'verboseJson'];

interface FormOptions {
  /** stdin for the runs. */
  input?: string;
  /** The runs give the same document (no fresh keys or clocks in it): -o yaml must equal -o json. */
  sameDocument?: boolean;
  /** The command runs kubectl or openssl: --verbose must have printed them. */
  runsCommands?: boolean;
  /** Which forms to run; default all five. -o json always runs. */
  forms?: readonly Form[];
}

type Forms = Partial<Record<Form, RunResult>> & { json: RunResult };

/** The report a run printed; a run that printed none fails the test with what it printed instead. */
function parsed<T>(t: ExecutionContext, r: RunResult, label: string, parse: (text: string) => unknown = JSON.parse): T {
  try {
    return parse(r.stdout) as T;
  } catch {
    t.fail(`${label}: no report (exit ${r.exitCode}): ${r.stdout.slice(0, 300)} ${r.stderr.slice(0, 500)}`);
    return {} as T;
  }
}

/** The run in several output forms; all exit alike, and the yaml parses (to the json document, when stable). */
async function allForms(t: ExecutionContext, env: Record<string, string>, args: string[], o: FormOptions = {}): Promise<Forms> {
  const forms = [...new Set<Form>(['json', ...(o.forms ?? EVERY_FORM)])];
  const results = await Promise.all(forms.map((f) => runClean(t, env, [...args, ...FORM_ARGS[f]], o.input)));
  const out = Object.fromEntries(forms.map((f, i) => [f, results[i]!])) as Forms;
  const label = args.join(' ');
  for (const f of forms) t.is(out[f]!.exitCode, out.json.exitCode, `exit code of ${label} (${f})`);
  const doc = parsed<{ kind: string }>(t, out.json, label);
  if (out.verboseJson) t.deepEqual(Object.keys(parsed<object>(t, out.verboseJson, `${label} -v`)), Object.keys(doc), `${label}: -v -o json is a report`);
  if (out.yaml) {
    const yamlDoc = parsed<{ kind: string }>(t, out.yaml, label, parseYaml);
    if (o.sameDocument) t.deepEqual(yamlDoc, doc, `${label}: -o yaml is the -o json document`);
    else t.is(yamlDoc.kind, doc.kind, `${label}: -o yaml is a report too`);
  }
  // --verbose prints each command as it runs: it must have printed some, and still no key.
  if (o.runsCommands && out.verbose) t.regex(out.verbose.stderr, /^\+ /m, `${label} --verbose printed no command`);
  return out;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const failing = (d: DiagnosisJson): string[] => d.findings.filter((f) => f.status === 'fail').map((f) => `${f.check} ${f.cause}`);

// ---------------------------------------------------------------------------------------------
// The cluster: one env group per place a key can sit

const corruptEnd = (pem: string): string => pem.replace(/-----END ([A-Z ]+)-----/, '-----END $1----');
const truncated = (pem: string): string => pemLines(pem).slice(0, 3).join('\n') + '\n';

function canaryCluster(): { objects: K8sObject[]; logs: Record<string, LogEntry[]> } {
  const s = apigeeCluster({
    org: ORG,
    now,
    envgroups: [
      {
        name: 'healthy',
        secret: { cert: chainFor('healthy', RSA.key), key: RSA.pkcs8, extraData: { 'backup.key': EC.pkcs8, 'old-key.pem': RSA.traditional } },
      },
      {
        name: 'healthy-ec',
        secretName: 'healthy-ec-tls',
        secret: { layout: 'kubernetes.io/tls', cert: chainFor('healthy-ec', EC.key), key: EC.traditional, extraData: { 'tls.key.bak': RSA.pkcs8 } },
      },
      { name: 'mismatch', secret: { cert: chainFor('mismatch', OTHER), key: RSA.traditional } },
      { name: 'mismatch-ec', secret: { cert: chainFor('mismatch-ec', OTHER), key: EC.pkcs8 } },
      { name: 'key-as-cert', secret: { cert: EC.traditional, key: EC.traditional } },
      { name: 'broken-key', secret: { cert: chainFor('broken-key', RSA.key), key: corruptEnd(RSA.pkcs8) } },
      { name: 'truncated-key', secret: { cert: chainFor('truncated-key', EC.key), key: truncated(EC.pkcs8) } },
      // Data that is not base64 at all: the PEM text itself, stored verbatim.
      { name: 'raw-data', secret: { rawData: { cert: RSA.pkcs8, key: `${EC.pkcs8}!` } } },
      { name: 'mtls', mode: 'MUTUAL', secret: { cert: chainFor('mtls', RSA.key), key: RSA.pkcs8, ca: EC.pkcs8 } },
      { name: 'missing', secret: null },
    ],
  });
  // An inline key on every ApigeeRoute, where no Apigee field expects one.
  for (const o of s.objects) {
    if (o.kind !== 'ApigeeRoute') continue;
    const ports = (o.spec as { ports: Array<{ tls: Record<string, unknown> }> }).ports;
    ports[0]!.tls.privateKey = RSA.pkcs8;
    ports[0]!.tls.ecPrivateKey = EC.traditional;
  }
  // The whole PEM of every canary form in the watcher log, line by line, plain and as JSON records,
  // around the playbook's NOT_FOUND line.
  const [logKey] = Object.keys(s.logs);
  const entries = [...(s.logs[logKey!] as LogEntry[])];
  const at = new Date(now.getTime() - 30_000);
  for (const pem of ALL_PEMS) {
    for (const line of pemLines(pem)) {
      entries.push({ time: at, line }, { time: at, line: JSON.stringify({ level: 'info', ts: at.getTime() / 1000, msg: line }) });
    }
  }
  entries.push({ time: at, line: watcherSecretNotFoundLine(`${ORG}-missing`, NS, { json: true, time: at }) });
  return { objects: s.objects, logs: { [logKey!]: entries } };
}

const EXPECTED_FAILURES: Record<string, string[]> = {
  healthy: [],
  'healthy-ec': [],
  mismatch: ['key-match key-mismatch'],
  'mismatch-ec': ['key-match key-mismatch'],
  'key-as-cert': ['certificate malformed-certificate'],
  'broken-key': ['private-key malformed-private-key'],
  'truncated-key': ['private-key malformed-private-key'],
  'raw-data': ['certificate malformed-certificate', 'private-key malformed-private-key'],
  mtls: ['mtls-ca mtls-ca-invalid'],
  missing: ['ingress-secret missing-ingress-secret'],
};

let cluster: Cluster | undefined;
let inputs: string | undefined;

test.before(async () => {
  const { objects, logs } = canaryCluster();
  cluster = await withCluster(objects, logs);
  inputs = mkdtempSync(join(tmpdir(), 'apigee-tls-leak-inputs-'));
});

test.after.always(async () => {
  await cluster?.close();
  if (inputs) rmSync(inputs, { recursive: true, force: true });
});

/** Writes an input file (owner-only) into the inputs folder, which is not the run's TMPDIR. */
function input(name: string, content: string | Buffer): string {
  const path = join(inputs!, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

/** The cluster's isolated kubectl environment (the run's TMPDIR is added by runClean). */
const clusterEnv = (): Record<string, string> => {
  const { TMPDIR: _ignored, ...env } = cluster!.env;
  return env;
};

const CODE_CACHE = /^(home\/)?\.cache\/kubectl-apigee_tls\/v8-[0-9a-f]{16}-v[\d.]+-\w+\.bin$/;

/** kubectl's HOME, cache and kubeconfig: kubectl may cache discovery there, never a Secret. */
function assertHomeClean(t: ExecutionContext): void {
  const found: string[] = [];
  for (const rel of listTree(cluster!.dir)) {
    const full = join(cluster!.dir, rel);
    if (!statSync(full).isFile()) continue;
    const content = readFileSync(full).toString('latin1');
    // The plugin's V8 code cache is its own compiled code: its strings include the PEM labels the
    // parsers look for, so only the canaries (real key material) count there.
    const findings = CODE_CACHE.test(rel) ? canaryLeaks(content, CANARIES) : fileFindings(content);
    for (const f of findings) found.push(`${rel}: ${f}`);
  }
  t.deepEqual(found, [], 'key material on disk under kubectl HOME');
}

test('the canaries are live: every form of each key is found in its own PEM, and in nothing public', (t) => {
  for (const c of CANARIES) {
    const own = canarySelfTest(c);
    t.true(
      own.some((l) => l.includes('PEM body line')),
      `${c.name}: ${own.join('; ')}`,
    );
    t.true(
      own.some((l) => l.includes('base64 body run')),
      c.name,
    );
    t.true(
      c.needles.some((n) => n.what.startsWith('a private value')),
      c.name,
    );
    // The base64 of the PEM is how a Secret stores it: that spelling is a leak too.
    t.not(canaryLeaks(Buffer.from(c.pkcs8).toString('base64'), [c]).length, 0, c.name);
  }
  // Public halves are not key material: the certificate and the SPKI carry no canary.
  const publicText = [chainFor('healthy', RSA.key), chainFor('healthy-ec', EC.key)].join('\n');
  t.deepEqual(canaryLeaks(publicText, CANARIES), []);
});

// ---------------------------------------------------------------------------------------------
// diagnose

test('diagnose --all: every env group is classified, and no form of the report shows a canary or writes one', async (t) => {
  const forms = await allForms(t, clusterEnv(), ['diagnose', '--all'], { sameDocument: true, runsCommands: true });
  t.is(forms.json.exitCode, 1);
  const list = parsed<DiagnosisListJson>(t, forms.json, 'diagnose --all');
  const byGroup = Object.fromEntries(list.items.map((d) => [String(d.target.envgroup), failing(d)]));
  t.deepEqual(byGroup, EXPECTED_FAILURES);
  assertHomeClean(t);
});

test('diagnose <envgroup>: a key that matches, one that does not, a damaged one, a key as the certificate (-v -o json)', async (t) => {
  const expectations: Array<[string, number]> = [
    ['healthy', 0],
    ['healthy-ec', 0],
    ['mismatch', 1],
    ['mismatch-ec', 1],
    ['key-as-cert', 1],
    ['broken-key', 1],
    ['raw-data', 1],
    ['mtls', 1],
  ];
  await Promise.all(
    expectations.map(async ([eg, exitCode]) => {
      const json = await runClean(t, clusterEnv(), ['diagnose', eg, '-v', '-o', 'json']);
      t.is(json.exitCode, exitCode, `${eg}: ${json.stderr.slice(-500)}`);
      t.regex(json.stderr, /^\+ kubectl /m, eg);
      t.deepEqual(failing(parsed<DiagnosisJson>(t, json, eg)), EXPECTED_FAILURES[eg], `${eg}: ${json.stderr.slice(0, 300)}`);
    }),
  );
  assertHomeClean(t);
});

/** overrides.yaml with the canary inline, the way a key gets pasted into the wrong file. */
function inlineOverrides(): string {
  const block = (pem: string, indent: string) =>
    pemLines(pem)
      .map((l) => `${indent}${l}`)
      .join('\n');
  return [
    `org: ${ORG}`,
    'virtualhosts:',
    '  - name: healthy',
    `    sslCertPath: ${input('healthy.crt', chainFor('healthy', RSA.key))}`,
    `    sslKeyPath: ${input('healthy.key', RSA.pkcs8)}`,
    '    sslKey: |',
    block(RSA.pkcs8, '      '),
    `    privateKey: ${JSON.stringify(EC.traditional)}`,
    '  - name: mismatch',
    `    sslCertPath: ${input('mismatch.crt', chainFor('mismatch', OTHER))}`,
    `    sslKeyPath: ${input('mismatch.key', RSA.traditional)}`,
    '    inlineKey: >-',
    block(EC.pkcs8, '      '),
    '',
  ].join('\n');
}

test('diagnose --overrides with the canary inline in a virtualhost: nothing of it printed', async (t) => {
  const overrides = input('overrides-inline.yaml', inlineOverrides());
  const single = await allForms(t, clusterEnv(), ['diagnose', 'mismatch', '--overrides', overrides], { sameDocument: true, runsCommands: true });
  t.is(single.json.exitCode, 1);
  t.deepEqual(failing(parsed<DiagnosisJson>(t, single.json, 'diagnose mismatch --overrides')), ['key-match key-mismatch']);
  const all = await allForms(t, clusterEnv(), ['diagnose', '--all', '--overrides', overrides], { sameDocument: true, forms: ['verboseJson'] });
  t.is(all.json.exitCode, 1);
  const list = parsed<DiagnosisListJson>(t, all.json, 'diagnose --all --overrides');
  t.deepEqual(Object.fromEntries(list.items.map((d) => [String(d.target.envgroup), failing(d)])), EXPECTED_FAILURES);
  assertHomeClean(t);
});

// A key pasted where a name belongs. SEC1 EC keys are the sharp case: the private scalar starts at
// the 10th body character, so an error that quotes the first 80 characters of the value quotes it.
const ecBody = pemLines(EC.traditional).slice(1, -1).join('');
const ecPkcs8Body = pemLines(EC.pkcs8).slice(1, -1).join('');
const PASTED: Array<[title: string, file: string, text: string, diagnoseError: RegExp]> = [
  [
    'an EC key (SEC1 PEM) as virtualhosts[].sslSecret',
    'sslsecret-sec1.yaml',
    `org: ${ORG}\nvirtualhosts:\n  - name: healthy\n    sslSecret: ${JSON.stringify(EC.traditional)}\n`,
    /^error: invalid secret name /,
  ],
  [
    'an RSA key (PKCS#8 PEM) as virtualhosts[].sslSecret',
    'sslsecret-pkcs8.yaml',
    `org: ${ORG}\nvirtualhosts:\n  - name: healthy\n    sslSecret: ${JSON.stringify(RSA.pkcs8)}\n`,
    /^error: invalid secret name /,
  ],
  [
    'an EC key body (PKCS#8, no armour) as virtualhosts[].name',
    'name-body.yaml',
    `org: ${ORG}\nvirtualhosts:\n  - name: ${JSON.stringify(ecPkcs8Body)}\n    sslSecret: healthy-tls\n`,
    /^error: invalid env group name /,
  ],
  [
    'an EC key body (SEC1, no armour) as org',
    'org-body.yaml',
    `org: ${JSON.stringify(ecBody)}\nvirtualhosts:\n  - name: healthy\n    sslSecret: healthy-tls\n`,
    /^error: invalid org name /,
  ],
];

for (const [title, file, text, diagnoseError] of PASTED) {
  test(`diagnose --overrides with ${title}: refused (exit 2) without quoting the key`, async (t) => {
    const path = input(file, text);
    for (const args of [
      ['diagnose', 'healthy', '--overrides', path],
      ['diagnose', '--all', '--overrides', path, '-o', 'json'],
    ]) {
      const r = await runClean(t, clusterEnv(), args);
      t.is(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
      t.is(r.stdout, '');
      t.regex(r.stderr, diagnoseError);
    }
  });

  test(`check --overrides with ${title}: no form of the report or error quotes the key`, async (t) => {
    const path = input(`check-${file}`, text);
    for (const args of [
      ['check', '--overrides', path],
      ['check', '--overrides', path, '-o', 'json'],
    ]) {
      const r = await runClean(t, baseEnv(inputs!), args);
      // Whether check refuses the name (2) or reports the virtual host (0, nothing to check), it
      // finishes cleanly; what matters here is that the key is not printed.
      t.true(r.exitCode === 0 || r.exitCode === 2, `${args.join(' ')}: exit ${r.exitCode}`);
    }
  });
}

test('overrides.yaml with a key body pasted as a mapping key: no library warning quotes it (check and diagnose)', async (t) => {
  // YAML lets a key be a collection; the YAML library warns about it on stderr, quoting ~30 characters.
  const text = `org: ${ORG}\n? [${JSON.stringify(ecBody)}]\n: pasted\nvirtualhosts:\n  - name: healthy\n`;
  const path = input('collection-key.yaml', text);
  const runs: Array<[Record<string, string>, string[]]> = [
    [baseEnv(inputs!), ['check', '--overrides', path]],
    [clusterEnv(), ['diagnose', 'healthy', '--overrides', path]],
  ];
  for (const [env, args] of runs) {
    const r = await runClean(t, env, args);
    t.false(r.stderr.includes('Warning:'), `${args[0]}: ${r.stderr}`);
  }
});

test('diagnose --overrides: YAML broken around an inline key is refused (exit 2) naming a position, not the text', async (t) => {
  const line = pemLines(RSA.pkcs8)[1]!;
  const cases: Array<[string, string]> = [
    ['bad-indent.yaml', `org: ${ORG}\nvirtualhosts:\n  - name: healthy\n    sslKey: |\n      ${pemLines(RSA.pkcs8).join('\n    ')}\n  bad\n`],
    ['tab.yaml', `org: ${ORG}\nvirtualhosts:\n\t- name: healthy\n\t  sslKey: ${line}\n`],
    ['quote.yaml', `org: ${ORG}\nvirtualhosts:\n  - name: healthy\n    sslKey: "${line}\n    sslCertPath: x\n`],
    ['alias.yaml', `org: ${ORG}\nvirtualhosts:\n  - name: healthy\n    sslKey: *${pemLines(EC.traditional)[1]!.replace(/[+/=]/g, 'x')}\n`],
  ];
  for (const [file, text] of cases) {
    const path = input(file, text);
    const r = await runClean(t, clusterEnv(), ['diagnose', 'healthy', '--overrides', path, '-v']);
    t.is(r.exitCode, 2, `${file}: ${r.stderr}`);
    t.is(r.stdout, '', file);
    t.regex(
      r.stderr,
      new RegExp(
        `^error: overrides file ${escapeRegExp(path)} is not valid YAML( \\(line \\d+, column \\d+\\)| \\(an alias that is unknown or expands too far\\))?\\n`,
      ),
      file,
    );
  }
});

// ---------------------------------------------------------------------------------------------
// check

test('check: the canary as --key (matching, not matching, damaged), as the certificate, as the CA', async (t) => {
  const env = baseEnv(inputs!);
  const rsaKeyFile = input('rsa.key', RSA.pkcs8);
  const rsaPkcs1File = input('rsa-pkcs1.key', RSA.traditional);
  const ecSec1File = input('ec-sec1.key', EC.traditional);
  const ecPkcs8File = input('ec.key', EC.pkcs8);
  const brokenFile = input('broken.key', corruptEnd(EC.pkcs8));
  const healthyChain = input('check-healthy.crt', chainFor('healthy', RSA.key));
  const ecChain = input('check-ec.crt', chainFor('healthy-ec', EC.key));
  const otherChain = input('check-other.crt', chainFor('mismatch', OTHER));
  const keyThenChain = input('key-then-chain.pem', RSA.pkcs8 + chainFor('healthy', RSA.key));
  const few: Form[] = ['json', 'verbose'];
  const cases: Array<[string[], number, string[], readonly Form[]]> = [
    [['check', '--cert', healthyChain, '--key', rsaKeyFile, '--host', host('healthy')], 0, [], EVERY_FORM],
    [['check', '--cert', ecChain, '--key', ecSec1File], 0, [], few],
    [['check', '--cert', otherChain, '--key', rsaPkcs1File], 1, ['key-match key-mismatch'], EVERY_FORM],
    [['check', '--cert', otherChain, '--key', ecPkcs8File], 1, ['key-match key-mismatch'], few],
    [['check', '--cert', healthyChain, '--key', brokenFile], 1, ['private-key malformed-private-key'], few],
    // The certificate file IS the canary key.
    [['check', '--cert', rsaKeyFile, '--key', rsaKeyFile], 1, ['certificate malformed-certificate'], EVERY_FORM],
    [['check', '--cert', ecSec1File], 1, ['certificate malformed-certificate'], few],
    [['check', '--cert', keyThenChain, '--key', rsaKeyFile], 1, ['certificate malformed-certificate'], few],
  ];
  await Promise.all(
    cases.map(async ([args, exitCode, failures, forms]) => {
      const out = await allForms(t, env, args, { sameDocument: true, runsCommands: exitCode !== 0, forms });
      t.is(out.json.exitCode, exitCode, args.join(' '));
      t.deepEqual(failing(parsed<DiagnosisJson>(t, out.json, args.join(' '))), failures, args.join(' '));
    }),
  );
  // The canary as the CA: refused as a usage error whose text names the file, never its content.
  const r = await runClean(t, env, ['check', '--cert', healthyChain, '--key', rsaKeyFile, '--ca', ecPkcs8File]);
  t.is(r.exitCode, 2);
  t.is(r.stdout, '');
  t.regex(r.stderr, new RegExp(`^error: CA file ${escapeRegExp(ecPkcs8File)} is not a PEM certificate: `));
});

test('check --overrides: files named by the overrides, and the canary inline in it', async (t) => {
  const env = baseEnv(inputs!);
  const overrides = input('check-overrides.yaml', inlineOverrides());
  const forms = await allForms(t, env, ['check', '--overrides', overrides], { sameDocument: true, runsCommands: true });
  t.is(forms.json.exitCode, 1);
  const list = parsed<DiagnosisListJson>(t, forms.json, 'check --overrides');
  t.deepEqual(
    list.items.map((d) => [d.target.envgroup, failing(d)]),
    [
      ['healthy', []],
      ['mismatch', ['key-match key-mismatch']],
    ],
  );
  const one = await allForms(t, env, ['check', '--overrides', overrides, '--envgroup', 'healthy'], { sameDocument: true, forms: ['json'] });
  t.is(one.json.exitCode, 0);
  // Broken YAML around the inline key: exit 2, the error names the file and a position only.
  const broken = input('check-broken.yaml', `virtualhosts:\n  - name: healthy\n    sslKey: "${pemLines(RSA.pkcs8)[2]}\n`);
  const r = await runClean(t, env, ['check', '--overrides', broken]);
  t.is(r.exitCode, 2);
  t.regex(r.stderr, new RegExp(`^error: overrides file ${escapeRegExp(broken)} is not valid YAML( \\(line \\d+, column \\d+\\))?\\n`));
});

// ---------------------------------------------------------------------------------------------
// probe --from-curl-log

function transcript(): string {
  return [
    '*   Trying 203.0.113.10:443...',
    '* Connected to api.canary.example.com (203.0.113.10) port 443 (#0)',
    '* ALPN: offers h2,http/1.1',
    '} [5 bytes data]',
    '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
    // Someone pasted the key into the same file as the transcript.
    '$ cat tls.key',
    ...pemLines(RSA.pkcs8),
    ...pemLines(EC.traditional),
    '* OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.canary.example.com:443 ',
    '* Closing connection 0',
    'curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.canary.example.com:443 ',
    ...pemLines(EC.pkcs8).map((l) => `> ${l}`),
    ...pemLines(RSA.traditional).map((l) => `{ [${l.length} bytes data] ${l}`),
    '',
  ].join('\n');
}

test('probe --from-curl-log: a transcript holding the canary (file and stdin) is classified and quotes none of it', async (t) => {
  const env = baseEnv(inputs!);
  const file = input('curl-v.txt', transcript());
  const fromFile = await allForms(t, env, ['probe', '--from-curl-log', file], { sameDocument: true });
  t.is(fromFile.json.exitCode, 1);
  t.deepEqual(failing(parsed<DiagnosisJson>(t, fromFile.json, 'probe --from-curl-log FILE')), ['handshake handshake-closed']);
  const fromStdin = await allForms(t, env, ['probe', '--from-curl-log', '-'], { input: transcript(), sameDocument: true, forms: ['json', 'verbose'] });
  t.is(fromStdin.json.exitCode, 1);
  t.deepEqual(failing(parsed<DiagnosisJson>(t, fromStdin.json, 'probe --from-curl-log -')), ['handshake handshake-closed']);
});

// ---------------------------------------------------------------------------------------------
// demo: its keys are made inside the child, so no canary can be planted; what is printed and
// what is written must hold no private key at all.

/** A run of 48 or more base64 characters that is not hex (fingerprints are): every key body has many. */
const LONG_BASE64 = /[A-Za-z0-9+/]{48,}/g;

test('demo: no private key in any output form, nothing left in TMPDIR, no key written there while it ran', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'apigee-tls-leak-demo-home-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  const forms = await allForms(t, baseEnv(home), ['demo'], { runsCommands: true, forms: ['verbose', 'json', 'yaml'] });
  t.is(forms.json.exitCode, 1);
  t.true((parsed<DiagnosisListJson>(t, forms.json, 'demo').items ?? []).length > 0);
  for (const [form, r] of Object.entries(forms) as Array<[string, RunResult]>) {
    const out = `${r.stdout}\n${r.stderr}`;
    t.deepEqual(out.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----/g) ?? [], [], `demo ${form}: a PEM private key`);
    t.deepEqual(
      (out.match(LONG_BASE64) ?? []).filter((run) => !/^[0-9a-f]+$/i.test(run)),
      [],
      `demo ${form}: a long base64 run`,
    );
  }
});

// ---------------------------------------------------------------------------------------------
// In process: what node:crypto, node-forge and the YAML library throw never reaches a detail

const body = (pem: string): string => pemLines(pem).slice(1, -1).join('\n');
const derOf = (pem: string): Buffer => Buffer.from(body(pem).replace(/\n/g, ''), 'base64');
const armour = (label: string, b64: string): string => `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;

function flipByte(der: Buffer, at: number): Buffer {
  const copy = Buffer.from(der);
  copy[at] = (copy[at]! ^ 0x5a) & 0xff;
  return copy;
}

/** Inputs built from the canaries that make node:crypto (or the PEM scanner) refuse them. */
function hostileKeyInputs(c: Canary): Array<[string, Buffer]> {
  const der = derOf(c.pkcs8);
  const tradDer = derOf(c.traditional);
  const b64 = der.toString('base64');
  const wrongLabel = c.name === 'rsa' ? 'EC PRIVATE KEY' : 'RSA PRIVATE KEY';
  const bodyLine = pemLines(c.pkcs8)[1]!;
  return [
    [`${c.name}: PKCS#8 body under the ${wrongLabel} label`, Buffer.from(armour(wrongLabel, b64))],
    [`${c.name}: traditional body under the PRIVATE KEY label`, Buffer.from(armour('PRIVATE KEY', tradDer.toString('base64')))],
    [`${c.name}: a byte of the DER flipped`, Buffer.from(armour('PRIVATE KEY', flipByte(der, 40).toString('base64')))],
    [
      `${c.name}: DER cut short`,
      Buffer.from(
        armour(
          'PRIVATE KEY',
          der
            .subarray(0, der.length - 7)
            .toString('base64')
            .replace(/=+$/, '')
            .padEnd(Math.ceil((der.length - 7) / 3) * 4, '='),
        ),
      ),
    ],
    [`${c.name}: DER with trailing bytes`, Buffer.from(armour('PRIVATE KEY', Buffer.concat([der, Buffer.from([0, 0, 0])]).toString('base64')))],
    [`${c.name}: header lines on an unencrypted key`, Buffer.from(c.pkcs8.replace('-----\n', `-----\nComment: ${bodyLine.slice(0, 20)}\n\n`))],
    [
      `${c.name}: Proc-Type ENCRYPTED on a plain body`,
      Buffer.from(c.traditional.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n')),
    ],
    [`${c.name}: ENCRYPTED PRIVATE KEY label on a plain body`, Buffer.from(armour('ENCRYPTED PRIVATE KEY', b64))],
    [`${c.name}: a body line as the label`, Buffer.from(armour(bodyLine.replace(/[^A-Za-z0-9]/g, 'Q'), b64))],
    [`${c.name}: raw DER, flipped`, flipByte(der, 30)],
    [`${c.name}: raw DER plus a byte`, Buffer.concat([der, Buffer.from([0x41])])],
    [`${c.name}: the body without armour`, Buffer.from(body(c.pkcs8))],
    [`${c.name}: base64 of the PEM`, Buffer.from(Buffer.from(c.pkcs8).toString('base64'))],
    [`${c.name}: text after END`, Buffer.from(`${c.pkcs8}${bodyLine}\n`)],
    [`${c.name}: text before BEGIN`, Buffer.from(`${bodyLine}\n${c.pkcs8}`)],
    [`${c.name}: a bad base64 character in the body`, Buffer.from(c.pkcs8.replace(bodyLine, `${bodyLine.slice(0, 30)}*${bodyLine.slice(31)}`))],
    [`${c.name}: the END line damaged`, Buffer.from(corruptEnd(c.pkcs8))],
    [`${c.name}: no END line`, Buffer.from(truncated(c.traditional))],
    [`${c.name}: CR line ends`, Buffer.from(c.pkcs8.replace(/\n/g, '\r'))],
    [`${c.name}: the DER under the CERTIFICATE label`, Buffer.from(armour('CERTIFICATE', b64))],
    [`${c.name}: UTF-16`, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(c.pkcs8, 'utf16le')])],
  ];
}

test('pki: node:crypto errors on inputs made of the canary become details that quote none of it', (t) => {
  const seenCodes = new Set<string>();
  for (const c of CANARIES) {
    for (const [what, bytes] of hostileKeyInputs(c)) {
      const key = analysePrivateKey(bytes);
      const cert = analyseCertificate(bytes);
      for (const [parser, r] of [
        ['key', key],
        ['certificate', cert],
      ] as const) {
        if (r.ok) {
          t.is(parser, 'key', `${what}: the certificate parser accepted a key`);
          continue;
        }
        t.true(r.detail.length > 0, `${what} (${parser})`);
        t.deepEqual(canaryLeaks(r.detail, CANARIES), [], `${what} (${parser}): detail quotes the key`);
        t.deepEqual(canaryLeaks(JSON.stringify(r), CANARIES), [], `${what} (${parser}): result quotes the key`);
        if (r.nodeErrorCode) {
          seenCodes.add(r.nodeErrorCode);
          t.regex(r.nodeErrorCode, /^[A-Z][A-Z0-9_]*$/, what);
        }
      }
    }
    // What the product would otherwise have to hide: node:crypto's own message for these inputs.
    t.throws(() =>
      createPrivateKey({ key: armour(c.name === 'rsa' ? 'EC PRIVATE KEY' : 'RSA PRIVATE KEY', derOf(c.pkcs8).toString('base64')), format: 'pem' }),
    );
    // node-forge's ASN.1 reader on key DER, whole and broken: a name or 'unknown', never a throw or the input.
    for (const der of [derOf(c.pkcs8), derOf(c.traditional), flipByte(derOf(c.traditional), 1), derOf(c.pkcs8).subarray(0, 100)]) {
      const name = signatureAlgorithmOf(der);
      t.regex(name, /^[A-Za-z0-9.-]+$/, c.name);
      t.deepEqual(canaryLeaks(name, CANARIES), [], c.name);
    }
  }
  // The inputs did reach node:crypto and make it throw (the check above is not vacuous).
  t.true(seenCodes.size >= 3, [...seenCodes].join(', '));
});

test('secret data: the canary as not-base64 text and as corrupted base64 is classified, never quoted', (t) => {
  for (const c of CANARIES) {
    const stored = Buffer.from(c.pkcs8).toString('base64');
    const variants: Array<[string, string]> = [
      ['raw PEM text', c.pkcs8],
      ['url-safe alphabet', Buffer.from(c.pkcs8).toString('base64url')],
      ['one character short', stored.slice(0, -1)],
      ['a space-separated bad character', `${stored.slice(0, 40)} ! ${stored.slice(40)}`],
      ['base64 twice', Buffer.from(stored).toString('base64')],
    ];
    for (const [what, value] of variants) {
      const bytes = decodeSecretValue(value);
      const cert = analyseCertificate(bytes);
      t.false(cert.ok, `${c.name} ${what}`);
      if (!cert.ok) t.deepEqual(canaryLeaks(JSON.stringify(cert), CANARIES), [], `${c.name} ${what}`);
      const key = analysePrivateKey(bytes);
      if (!key.ok) t.deepEqual(canaryLeaks(JSON.stringify(key), CANARIES), [], `${c.name} ${what}`);
    }
  }
});

test('overrides.yaml: the YAML library quotes the offending text; parseOverrides names only the position', (t) => {
  const line = pemLines(EC.traditional)[1]!.replace(/[+/=]/g, 'x');
  const documents = [
    `org: ${ORG}\nvirtualhosts:\n  - name: healthy\n    sslKey: *${line}\n`,
    `org: ${ORG}\nvirtualhosts:\n  - name: healthy\n    sslKey: "${line}\n`,
    `org: ${ORG}\nvirtualhosts:\n  - name: healthy\n    sslKey: ${line}: ${line}\n`,
    `org: ${ORG}\nvirtualhosts:\n  - name: healthy\n    sslKey: |\n      ${line}\n   ${line}\n`,
    `org: ${ORG}\nvirtualhosts:\n\t- ${line}\n`,
    `&${line} org: ${ORG}\n&${line} a: b\n*${line}: [*${line}, !!binary ${line}\n`,
  ];
  let libraryQuoted = 0;
  for (const text of documents) {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true });
    if (doc.errors.some((e) => e.message.includes(line.slice(0, 24)))) libraryQuoted += 1;
    const r = parseOverrides(text);
    t.false(r.ok, text);
    if (!r.ok) {
      t.regex(r.error, /^is not valid YAML( \(line \d+, column \d+\)| \(an alias that is unknown or expands too far\))?$/, text);
      t.deepEqual(canaryLeaks(r.error, CANARIES), [], text);
      t.false(r.error.includes(line.slice(0, 16)), text);
    }
  }
  // The library itself does quote the text for some of these: the rewrite is what keeps it out.
  t.true(libraryQuoted > 0);
});
