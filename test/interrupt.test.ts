// Ending a run early, and never waiting on a person: Ctrl-C (SIGINT) ends `diagnose` with exit 130
// and takes every kubectl and openssl child with it; the --timeout deadline does the same with
// exit 3; and on a real terminal an encrypted key is reported, never prompted for.
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { apigeeCluster, type FaultRule } from '../src/sim/index.js';
import { BUNDLE, REPO_ROOT, clusterFor, leakedKeyLines, type Cluster, type RunResult } from './helpers/cluster.js';
import { finding, fullChain, rootCa, rsaKey, stackLines, verdicts, type DiagnosisJson, type DiagnosisListJson } from './helpers/scenarios.js';
import {
  NS,
  ORG,
  alive,
  descendants,
  describe,
  host,
  lines,
  onPath,
  pidRecordingWrapper,
  reap,
  recordedPids,
  reliabilityCluster,
  track,
  until,
  type ClustersContext,
} from './helpers/reliability.js';

const SECRETS_PATH = `/api/v1/namespaces/${NS}/secrets`;
const SCENARIO = reliabilityCluster();

test.beforeEach((t) => {
  (t.context as ClustersContext).clusters = [];
});

// The plugin never writes: checked after every test, on every cluster the test used.
test.afterEach.always((t) => {
  for (const c of (t.context as ClustersContext).clusters) t.deepEqual(c.sim.writeAttempts(), [], `write attempts on ${c.sim.url}`);
});

interface Children {
  /** Wrappers to pass as --kubectl and --openssl. */
  kubectl: string;
  openssl: string;
  /** Adds every current descendant of `pid` (Linux /proc) to what must be gone at the end. */
  snapshot(pid: number): void;
  /** Every pid a wrapper recorded, plus every descendant snapshotted. */
  seen(): number[];
}

/** kubectl and openssl wrappers that record the pid of every process the CLI starts. */
async function recordChildren(t: ExecutionContext, c: Cluster): Promise<Children> {
  const kubectlPids = join(c.dir, 'kubectl.pids');
  const opensslPids = join(c.dir, 'openssl.pids');
  const kubectl = await pidRecordingWrapper(c.dir, 'kubectl-wrapper', onPath('kubectl', c.env.PATH), kubectlPids);
  const openssl = await pidRecordingWrapper(c.dir, 'openssl-wrapper', onPath('openssl', c.env.PATH), opensslPids);
  const tree = new Set<number>();
  const children: Children = {
    kubectl,
    openssl,
    snapshot: (pid) => {
      for (const p of descendants(pid)) tree.add(p);
    },
    seen: () => [...new Set([...recordedPids(kubectlPids), ...recordedPids(opensslPids), ...tree])],
  };
  // Whatever a failing product leaves behind is ended here (these are the CLI's own children).
  t.teardown(() => reap(children.seen().filter(alive)));
  return children;
}

/** The built bundle, started in the background with the cluster's environment. */
function startCli(c: Cluster, args: string[]) {
  return execa(process.execPath, [BUNDLE, ...args], {
    env: c.env,
    extendEnv: false,
    cwd: REPO_ROOT,
    stdin: 'ignore',
    reject: false,
    timeout: 60_000,
    stripFinalNewline: false,
  });
}

async function hangingCluster(t: ExecutionContext): Promise<Cluster> {
  const faults: FaultRule[] = [{ match: `^GET ${SECRETS_PATH}\\?`, hang: true }];
  return track(t, await clusterFor(t, SCENARIO.objects, SCENARIO.logs, { faults }));
}

function assertNoSurvivors(t: ExecutionContext, children: Children): void {
  const seen = children.seen();
  t.true(seen.length > 0, 'the wrappers recorded no child: the test did not observe the run');
  const survivors = seen.filter(alive);
  t.deepEqual(survivors, [], `children alive after the CLI exited: ${describe(survivors)}`);
}

// ---------------------------------------------------------------------------------------------
// Ctrl-C and the deadline

test('SIGINT while kubectl waits on a hanging server: exit 130, and no kubectl or openssl child survives', async (t) => {
  const c = await hangingCluster(t);
  const children = await recordChildren(t, c);
  const cli = startCli(c, ['diagnose', 'prod', '--kubectl', children.kubectl, '--openssl', children.openssl]);
  t.teardown(() => {
    if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
  });

  await until(() => c.sim.requests.some((q) => q.path === SECRETS_PATH), 30_000, 'the secrets list to reach the simulator');
  children.snapshot(cli.pid!);
  cli.kill('SIGINT');
  const r = await cli;

  t.is(r.signal, undefined, `the CLI was killed by ${String(r.signal)} instead of exiting`);
  t.is(r.exitCode, 130, String(r.stderr));
  t.deepEqual(stackLines(`${String(r.stdout)}\n${String(r.stderr)}`), []);
  assertNoSurvivors(t, children);
});

test('--timeout while kubectl waits on a hanging server: exit 3 saying the deadline passed, and no child survives', async (t) => {
  const c = await hangingCluster(t);
  const children = await recordChildren(t, c);
  const cli = startCli(c, ['diagnose', 'prod', '--timeout', '3s', '--kubectl', children.kubectl, '--openssl', children.openssl]);
  t.teardown(() => {
    if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
  });
  await until(() => c.sim.requests.some((q) => q.path === SECRETS_PATH), 30_000, 'the secrets list to reach the simulator');
  children.snapshot(cli.pid!);
  const r = await cli;

  t.is(r.exitCode, 3, String(r.stderr));
  t.is(r.stdout, '');
  t.regex(lines(String(r.stderr))[0] ?? '', /^error: .*deadline .*passed/);
  t.deepEqual(stackLines(String(r.stderr)), []);
  assertNoSurvivors(t, children);
});

// ---------------------------------------------------------------------------------------------
// A real terminal: encrypted keys are reported, never prompted for

const ca = rootCa('Interrupt Test Root CA');
const encryptedKey = rsaKey();
const PASSPHRASE = 'correct horse battery staple';
const ENCRYPTED_PKCS8 = encryptedKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }).toString();
const ENCRYPTED_LEGACY = encryptedKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }).toString();

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the built bundle on a pseudo-terminal (`script`), so openssl or node could see a TTY. */
async function onTerminal(c: Cluster, args: string[]): Promise<RunResult> {
  const command = [process.execPath, BUNDLE, ...args].map(shellQuote).join(' ');
  const r = await execa('script', ['-qec', command, '/dev/null'], {
    env: c.env,
    extendEnv: false,
    cwd: REPO_ROOT,
    stdin: 'ignore',
    reject: false,
    timeout: 60_000,
  });
  // A terminal writes CRLF; stdout and stderr share it.
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? '').replace(/\r\n/g, '\n'), stderr: String(r.stderr ?? '') };
}

test('on a terminal, encrypted keys (PKCS#8 ENCRYPTED and legacy Proc-Type) are malformed-private-key, exit 1, never "Enter pass phrase"', async (t) => {
  t.true(ENCRYPTED_PKCS8.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----'));
  t.regex(ENCRYPTED_LEGACY, /^-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: /);
  const sc = apigeeCluster({
    org: ORG,
    envgroups: [
      { name: 'enc-pkcs8', secret: { cert: fullChain(ca, host('enc-pkcs8'), encryptedKey), key: ENCRYPTED_PKCS8 } },
      { name: 'enc-legacy', secret: { cert: fullChain(ca, host('enc-legacy'), encryptedKey), key: ENCRYPTED_LEGACY } },
    ],
  });
  const c = track(t, await clusterFor(t, sc.objects, sc.logs));

  const assertNoPrompt = (r: RunResult, what: string): void => {
    // OpenSSL's prompts: "Enter pass phrase for <stdin>:", "Enter PEM pass phrase:".
    t.notRegex(r.stdout, /Enter (PEM )?pass ?phrase/i, what);
    t.deepEqual(stackLines(r.stdout), [], what);
    for (const pem of [ENCRYPTED_PKCS8, ENCRYPTED_LEGACY]) t.deepEqual(leakedKeyLines(r.stdout, pem), [], `key material printed by ${what}`);
  };

  for (const eg of ['enc-pkcs8', 'enc-legacy']) {
    const r = await onTerminal(c, ['diagnose', eg, '-o', 'json']);
    assertNoPrompt(r, eg);
    t.is(r.exitCode, 1, r.stdout);
    const d = JSON.parse(r.stdout) as DiagnosisJson;
    t.is(d.result, 'problems-found');
    const f = finding(d, 'private-key');
    t.is(f.status, 'fail', eg);
    t.is(f.cause, 'malformed-private-key', eg);
    t.regex(f.summary, /encrypted/, eg);
    t.deepEqual(
      verdicts(d).filter((v) => / (fail|error)/.test(v)),
      ['private-key fail malformed-private-key'],
      eg,
    );
  }

  // The text report on the terminal too (colour off by NO_COLOR; nothing waits for input).
  const all = await onTerminal(c, ['diagnose', '--all']);
  assertNoPrompt(all, 'diagnose --all');
  t.is(all.exitCode, 1, all.stdout);
  t.regex(all.stdout, /malformed-private-key/);
  const json = await onTerminal(c, ['diagnose', '--all', '-o', 'json']);
  t.is(json.exitCode, 1, json.stdout);
  const list = JSON.parse(json.stdout) as DiagnosisListJson;
  t.deepEqual(list.items.map((i) => `${String(i.target.envgroup)} ${i.result}`).sort(), ['enc-legacy problems-found', 'enc-pkcs8 problems-found']);
});

test('on a terminal, collect with an encrypted key finishes without a prompt and writes its archive (exit 1)', async (t) => {
  const sc = apigeeCluster({
    org: ORG,
    envgroups: [{ name: 'enc-legacy', secret: { cert: fullChain(ca, host('enc-legacy'), encryptedKey), key: ENCRYPTED_LEGACY } }],
  });
  const c = track(t, await clusterFor(t, sc.objects, sc.logs));
  const out = join(c.dir, 'bundle.tar.gz');
  const r = await onTerminal(c, ['collect', 'enc-legacy', '--out', out]);
  t.notRegex(r.stdout, /Enter (PEM )?pass ?phrase/i);
  t.deepEqual(stackLines(r.stdout), []);
  t.deepEqual(leakedKeyLines(r.stdout, ENCRYPTED_LEGACY), []);
  t.is(r.exitCode, 1, r.stdout);
  t.true((await stat(out)).isFile());
});
