// A hostile or broken cluster (safety, second round): keys planted in the Apigee objects, in the
// watcher's `failed to get secret` line and logged one record per key line in three framings;
// terminal escapes in an ApigeeIssue, an ARC error, a watcher line and a certificate subject;
// bare OAuth and AWS tokens in a log; pod names that are flags, paths or 125 characters long; a
// `{kind: Secret, name}` reference inside an ARC. Every input is made here, at test time.
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { apigeeCluster, ingressGatewayPod, type K8sObject, type LogMap } from '../src/sim/index.js';
import { BUNDLE, clusterFor, type Cluster, type RunResult } from './helpers/cluster.js';
import { canaryLeaks, makeCanary } from './helpers/canary.js';
import { logLines } from './helpers/log-stamps.js';
import {
  cliRun,
  finding,
  fullChain,
  item,
  plant,
  rootCa,
  rsaKey,
  stackLines,
  verdicts,
  type DiagnosisJson,
  type DiagnosisListJson,
} from './helpers/scenarios.js';

const ORG = 'acme';
const NS = 'apigee';
const ca = rootCa('Hostile Test Root CA');
const secretKey = rsaKey();
const SECRET_KEY_PEM = plant(secretKey);
/** The key planted in objects and logs: it must never be shown, nor enter a bundle. */
const CANARY = makeCanary('planted', rsaKey());
const KEY = CANARY.pkcs8;
const KEY_LINES = KEY.trimEnd().split('\n');

/** What a terminal obeys: clear screen, OSC 52 (write the clipboard), carriage return, C1 CSI, bidi override. */
const CLEAR = '\u001b[2J';
const OSC52 = '\u001b]52;c;ZXZpbCBjbGlwYm9hcmQ=\u0007';
const ESCAPES = `${CLEAR}${OSC52}\rPASS everything\u009b31m\u202eevil`;
/** Raw controls (but tab and newline), DEL, C1 and bidi controls: none may reach a terminal raw. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const rawControls = (text: string): string[] => text.split('\n').filter((l) => RAW_CONTROL.test(l));

// Tokens in the shapes that need no `Bearer` or `token=` beside them.
const YA29 = `ya29.c.b0AXv0zTOkmQd3Xl-long_token.part2${'-Aa1_x9'.repeat(8)}`;
const REFRESH = '1//0gLrz8XqYk2RCgYIARAAGBASNwF-L9IrBv1JmX0Tn2eQ';
const AWS_KEY_ID = 'AKIAIOSFODNN7PLANTED';
const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlcGxhbnRlZHRva2Vu';
const CLIENT_SECRET = 'GOCSPX-plantedClientSecret42';
const TOKENS = [YA29, REFRESH, AWS_KEY_ID, JWT, CLIENT_SECRET];

const HOST = `prod.${ORG}.example.com`;
const scenario = apigeeCluster({
  org: ORG,
  envgroups: [
    // The leaf's subject carries a bidi override (a UTF8String may; node:crypto prints it raw).
    {
      name: 'prod',
      secret: { cert: fullChain(ca, `${HOST}\u202emoc.live`, secretKey, { sans: [HOST] }), key: SECRET_KEY_PEM },
      errors: [`reconcile failed ${ESCAPES}: ${KEY}`],
    },
    { name: 'gone', secret: null },
  ],
  issues: [
    {
      name: 'acme-prod-issue',
      reason: 'AIS_INGRESS_CERT_EXPIREY',
      severity: 'ERROR',
      routeConfig: `${ORG}-prod`,
      secret: `${ORG}-prod`,
      details: `The ingress certificate stored in the Kubernetes secret "${ORG}-prod" referenced by ApigeeRouteConfig "${ORG}-prod" ${ESCAPES} has expired; its key: ${KEY}`,
    },
  ],
});

/** One key line per log record, in the framings loggers use. */
const FRAMINGS: Array<(line: string) => string> = [
  (l) => `ts=2026-01-01T10:00:00Z level=info msg="${l}" caller=main.go:42`,
  (l) => JSON.stringify({ level: 'info', msg: l }),
  (l) => `[${l}]`,
];
const STRUCTURED_KEY_LINES = FRAMINGS.flatMap((frame) => KEY_LINES.map(frame));
const WATCHER_HOSTILE = [
  // The playbook's line, with escapes and a key riding along on one JSON record.
  JSON.stringify({ level: 'error', msg: `NOT_FOUND: failed to get secret "${ORG}-gone" in namespace "${NS}" ${ESCAPES} ${KEY}` }),
  ...STRUCTURED_KEY_LINES,
];
const INGRESS_HOSTILE = [
  `upstream auth with ${YA29} and refresh ${REFRESH}`,
  `aws ${AWS_KEY_ID} jwt ${JWT}`,
  JSON.stringify({ client_secret: CLIENT_SECRET, private_key_id: 'abc123', private_key: KEY }),
  `escape ${ESCAPES}`,
];

/** A legal pod name of 125 characters, too long for ustar's name fields under the archive's folder. */
const LONG_POD = `apigee-ingressgateway-${'x'.repeat(125 - 'apigee-ingressgateway-'.length)}`;
/** Names only a hostile or broken API server sends. */
const FLAG_POD = '--cache-dir';
const PATH_POD = '../../escape';

interface Oddities {
  /** Ingress gateway pods with these names (each labelled as the real one is). */
  pods?: string[];
  /** A `{kind: Secret, name}` reference inside the ARC. */
  secretRef?: boolean;
}

function hostileObjects(odd: Oddities): K8sObject[] {
  const ingress = (name: string): K8sObject => ingressGatewayPod({ org: ORG, name, namespace: NS });
  const objects = scenario.objects.map((o) => {
    if (o.kind !== 'ApigeeRouteConfig' || !odd.secretRef) return o;
    // A reference to a Secret inside an Apigee object is not a Secret object.
    return { ...o, spec: { ...(o.spec as object), extraRef: { kind: 'Secret', name: `${ORG}-prod` } } };
  });
  return [...objects, ...(odd.pods ?? []).map(ingress)];
}

function hostileLogs(): LogMap {
  const watcherKey = `${NS}/${scenario.watcherPod}/apigee-watcher`;
  return {
    ...scenario.logs,
    [watcherKey]: [...(scenario.logs[watcherKey] as ReadonlyArray<string>), ...WATCHER_HOSTILE],
    [`${NS}/${scenario.ingressPod}/istio-proxy`]: INGRESS_HOSTILE,
    [`${NS}/${LONG_POD}/istio-proxy`]: ['a line of the long-named pod'],
    [`${NS}/${FLAG_POD}/istio-proxy`]: ['never read'],
  };
}

const hostileCluster = (t: ExecutionContext, odd: Oddities = {}): Promise<Cluster> => clusterFor(t, hostileObjects(odd), hostileLogs());

function assertNoKey(t: ExecutionContext, r: RunResult, what: string): void {
  const all = `${r.stdout}\n${r.stderr}`;
  t.deepEqual(canaryLeaks(all, [CANARY]), [], `key material shown by ${what}`);
  t.deepEqual(stackLines(all), [], what);
}

function assertNoRawControl(t: ExecutionContext, r: RunResult, what: string): void {
  t.deepEqual(rawControls(`${r.stdout}\n${r.stderr}`), [], `raw control characters shown by ${what}`);
}

const FORMATS = [[], ['-v'], ['-o', 'json'], ['-o', 'yaml']];

// ---------------------------------------------------------------------------------------------
// diagnose: keys in objects and lines are not shown (finding 2), nor terminal escapes (finding 4)

test('diagnose --all: keys planted in an ApigeeIssue, an ARC error and a watcher line show in no output form', async (t) => {
  const c = await hostileCluster(t);
  for (const args of FORMATS) {
    const r = await cliRun(c.env, ['diagnose', '--all', ...args]);
    t.is(r.exitCode, 1, `${args.join(' ')}: ${r.stderr}`);
    assertNoKey(t, r, `diagnose --all ${args.join(' ')}`);
  }
  const list = JSON.parse((await cliRun(c.env, ['diagnose', '--all', '-o', 'json'])).stdout) as DiagnosisListJson;
  const prod = item(list, 'prod');
  t.is(finding(prod, 'apigee-issues').cause, 'apigee-issue-reported', verdicts(prod).join(', '));
  t.is(finding(prod, 'route-config').cause, 'route-config-error');
  t.is(finding(item(list, 'gone'), 'ingress-secret').cause, 'missing-ingress-secret');
  const text = await cliRun(c.env, ['diagnose', 'prod']);
  t.regex(text.stdout, /has expired; its key: <private key removed>/);
});

test('diagnose and collect on a hostile cluster: no raw ESC, BEL, CR, C1 or U+202E in any output or bundle file; text shows them escaped', async (t) => {
  const c = await hostileCluster(t);
  for (const args of FORMATS) {
    const r = await cliRun(c.env, ['diagnose', '--all', ...args]);
    t.is(r.exitCode, 1, `${args.join(' ')}: ${r.stderr}`);
    assertNoRawControl(t, r, `diagnose --all ${args.join(' ')}`);
  }
  // JSON escapes are lossless: the evidence still says what the cluster said.
  const json = await cliRun(c.env, ['diagnose', 'prod', '-o', 'json']);
  const issueEvidence = finding(JSON.parse(json.stdout) as DiagnosisJson, 'apigee-issues').evidence.join('\n');
  t.true(issueEvidence.includes(CLEAR) && issueEvidence.includes('\u202e'), issueEvidence);
  t.regex(json.stdout, /\\u202e/);
  t.regex(json.stdout, /\\u009b/);
  // Text shows each control as a visible escape where the cluster put it.
  const text = await cliRun(c.env, ['diagnose', 'prod', '-v']);
  t.true(text.stdout.includes(String.raw`\x1b[2J\x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07\x0dPASS everything\x9b31m\u202eevil`), text.stdout);
  t.true(text.stdout.includes(String.raw`CN=prod.acme.example.com\u202emoc.live`), text.stdout);

  const { r, files } = await collectIn(c, []);
  t.is(r.exitCode, 1, r.stderr);
  assertNoRawControl(t, r, 'collect');
  t.true(files.size > 5);
  for (const [path, content] of files) t.deepEqual(rawControls(content), [], path);
});

// ---------------------------------------------------------------------------------------------
// collect: structured key records (finding 1), tokens (14), odd names and objects (9, 10)

async function extract(archive: string, into: string): Promise<Map<string, string>> {
  await mkdir(into, { recursive: true });
  await execa('tar', ['-xzf', archive, '-C', into]);
  const files = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(join(into, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path);
      else files.set(path, await readFile(join(into, path), 'utf8'));
    }
  };
  await walk('');
  return files;
}

/** collect in a fresh working folder (a flag-named pod must not make kubectl write into it). */
async function collectIn(c: Cluster, args: string[]): Promise<{ r: RunResult; files: Map<string, string>; cwd: string[] }> {
  const cwd = await mkdtemp(join(tmpdir(), 'apigee-tls-hostile-'));
  try {
    const out = join(cwd, 'bundle.tar.gz');
    const p = await execa(process.execPath, [BUNDLE, 'collect', 'prod', '--out', out, ...args], {
      env: c.env,
      extendEnv: false,
      cwd,
      stdin: 'ignore',
      reject: false,
      timeout: 60_000,
    });
    const r = { exitCode: p.exitCode ?? -1, stdout: String(p.stdout), stderr: String(p.stderr) };
    const left = (await readdir(cwd)).sort();
    const files = left.includes('bundle.tar.gz') ? await extract(out, join(cwd, 'x')) : new Map<string, string>();
    return { r, files, cwd: left };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

test('collect, with and without --no-redact: a key logged one line per record (logfmt, JSON, brackets) leaves no line in any file', async (t) => {
  const c = await hostileCluster(t);
  for (const args of [[], ['--no-redact']]) {
    const { r, files } = await collectIn(c, args);
    t.is(r.exitCode, 1, r.stderr);
    assertNoKey(t, r, `collect ${args.join(' ')}`);
    t.true(files.size > 5, [...files.keys()].join(' '));
    for (const [path, text] of files) t.deepEqual(canaryLeaks(text, [CANARY]), [], `${path} ${args.join(' ')}`);
    const watcher = files.get(`bundle/logs/${scenario.watcherPod}/apigee-watcher.log`) ?? '';
    t.regex(watcher, /failed to get secret/);
  }
});

test('collect redacts bare ya29. and 1// Google tokens, AWS key ids, JWTs and client_secret/private_key fields', async (t) => {
  const c = await hostileCluster(t);
  const { r, files } = await collectIn(c, []);
  t.is(r.exitCode, 1, r.stderr);
  const ingress = files.get(`bundle/logs/${scenario.ingressPod}/istio-proxy.log`) ?? '';
  t.is(logLines(ingress)[0], 'upstream auth with <redacted> and refresh <redacted>');
  for (const [path, text] of files) for (const token of TOKENS) t.false(text.includes(token), `${path} holds ${token.slice(0, 12)}…`);
});

test('collect with a pod named --cache-dir: the name is skipped as a gap, never a kubectl flag (nothing written to the working folder)', async (t) => {
  const c = await hostileCluster(t, { pods: [FLAG_POD] });
  const { r, files, cwd } = await collectIn(c, []);
  t.is(r.exitCode, 1, r.stderr);
  // `kubectl logs --cache-dir -c …` would have written ./-c/discovery/… here.
  t.deepEqual(cwd, ['bundle.tar.gz']);
  t.false(
    c.sim.requests.some((q) => q.path.includes(FLAG_POD)),
    'a log of an invalid pod name was requested',
  );
  t.regex(files.get('bundle/README.txt') ?? '', /invalid pod name "--cache-dir": skipped/);
  t.false([...files.keys()].some((f) => f.includes(FLAG_POD)));
});

test('collect survives odd objects: a 125-character pod is archived (pax header), a ../ pod name is a gap, a Secret reference in an ARC is kept', async (t) => {
  const c = await hostileCluster(t, { pods: [LONG_POD, PATH_POD], secretRef: true });
  const { r, files } = await collectIn(c, []);
  t.is(r.exitCode, 1, r.stderr);
  t.deepEqual(logLines(files.get(`bundle/logs/${LONG_POD}/istio-proxy.log`) ?? ''), ['a line of the long-named pod', '']);
  t.regex(files.get('bundle/README.txt') ?? '', /invalid pod name "\.\.\/\.\.\/escape": skipped/);
  t.regex(files.get('bundle/route-config.yaml') ?? '', /extraRef:\n\s+kind: Secret\n\s+name: acme-prod/);
  t.false(
    c.sim.requests.some((q) => q.path.includes('escape')),
    'a log of an invalid pod name was requested',
  );
});
