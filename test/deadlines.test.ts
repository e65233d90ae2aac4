// Deadlines that hold (safety, second round): the --timeout deadline survives garbage collection;
// a grandchild holding the pipe (a credential plugin, a wrapper) is killed with its group and does
// not hold the run; stdin reads stop on the deadline and on signals; a watcher stream cut short
// makes watcher-logs `error` (exit 3, 130 after Ctrl-C), never "healthy"; kubectl's stderr is
// capped while it is read; the line splitters search only the new chunk. The fake kubectl and
// the inputs are written by each test into a private temp dir.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { lineSplitter } from '../src/exec/stream.js';
import { markerScanner, type ScannedLines } from '../src/gather/log-scan.js';
import { apigeeCluster, type FaultRule, type K8sObject, type LogMap } from '../src/sim/index.js';
import { BUNDLE, REPO_ROOT, clusterFor } from './helpers/cluster.js';
import { finding, fullChain, plant, rootCa, rsaKey, stackLines, type DiagnosisJson } from './helpers/scenarios.js';
import { alive, describe, reap, recordedPids, until } from './helpers/reliability.js';

const ORG = 'acme';
const NS = 'apigee';
const ca = rootCa('Deadlines Test Root CA');
const key = rsaKey();
const KEY_PEM = plant(key);
const HEALTHY = apigeeCluster({ org: ORG, envgroups: [{ name: 'prod', secret: { cert: fullChain(ca, `prod.${ORG}.example.com`, key), key: KEY_PEM } }] });

const privateDir = async (t: ExecutionContext): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-deadlines-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

/** An executable shell script in `dir`. */
async function script(dir: string, name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

/** The built bundle in the background, with `nodeArgs` before it; killed at the end of the test if still running. */
function startCli(
  t: ExecutionContext,
  env: Record<string, string>,
  args: string[],
  o: { nodeArgs?: string[]; stdin?: 'pipe' | 'ignore'; cap?: number; ownGroup?: boolean } = {},
) {
  const cli = execa(process.execPath, [...(o.nodeArgs ?? []), BUNDLE, ...args], {
    env,
    // In a group of its own, so a test can signal the group as a terminal's Ctrl-C does.
    detached: o.ownGroup ?? false,
    extendEnv: false,
    cwd: REPO_ROOT,
    stdin: o.stdin ?? 'ignore',
    reject: false,
    // The bound each test asserts: a run that outlives it is killed and the test fails.
    timeout: o.cap ?? 30_000,
    stripFinalNewline: false,
  });
  t.teardown(() => {
    if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
  });
  return cli;
}

const assertNoSurvivors = (t: ExecutionContext, pids: number[]): void => {
  t.true(pids.length > 0, 'the fake kubectl recorded no process: the test did not observe the run');
  const survivors = pids.filter(alive);
  reap(survivors);
  t.deepEqual(survivors, [], `processes of the run alive after it ended: ${describe(survivors)}`);
};

// ---------------------------------------------------------------------------------------------
// Finding 3: the deadline survives garbage collection (nodejs/node#57736)

test('--timeout 10s ends a run with 20,000 secrets and a hanging list within 15 s, even with a garbage collection every 200 ms (exit 3)', async (t) => {
  const fillers: K8sObject[] = Array.from({ length: 20_000 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `filler-${i}`, namespace: NS },
    type: 'Opaque',
    data: { note: Buffer.from(`filler ${i}`).toString('base64') },
  }));
  const faults: FaultRule[] = [{ match: /\/apigeeissues/, hang: true }];
  const c = await clusterFor(t, [...HEALTHY.objects, ...fillers], HEALTHY.logs, { faults });
  const dir = await privateDir(t);
  // A collection every 200 ms: what a run that parses 20,000 secrets does to the heap anyway.
  const gc = join(dir, 'gc.cjs');
  await writeFile(gc, 'setInterval(() => globalThis.gc(), 200).unref();\n');
  const cli = startCli(t, c.env, ['diagnose', 'prod', '--timeout', '10s', '--request-timeout', '120s'], {
    nodeArgs: ['--expose-gc', '--require', gc],
    cap: 15_000,
  });
  const r = await cli;
  t.false(r.timedOut, `the run outlived its deadline by more than 5 s (${Math.round(r.durationMs)} ms)`);
  t.log(`the run took ${Math.round(r.durationMs)} ms`);
  t.is(r.exitCode, 3, String(r.stderr));
  t.regex(String(r.stdout) + String(r.stderr), /deadline passed \(--timeout\)/);
});

// ---------------------------------------------------------------------------------------------
// Finding 7: a grandchild holding the pipe

/** A kubectl that starts a grandchild sharing its stdout and stderr (as a wrapper or a credential plugin does), then waits. */
async function pipeHoldingKubectl(dir: string): Promise<{ kubectl: string; pids: () => number[] }> {
  const pidFile = join(dir, 'pids');
  const kubectl = await script(dir, 'kubectl', `echo $$ >> '${pidFile}'\nsh -c 'echo $$ >> "$1"; exec sleep 300' grandchild '${pidFile}' &\nexec sleep 300`);
  return { kubectl, pids: () => recordedPids(pidFile) };
}

test('a grandchild holding the pipe does not hold the run past --timeout, and no process of the run survives it (exit 3)', async (t) => {
  const c = await clusterFor(t, HEALTHY.objects, HEALTHY.logs);
  const dir = await privateDir(t);
  const fake = await pipeHoldingKubectl(dir);
  const r = await startCli(t, c.env, ['diagnose', 'prod', '--timeout', '3s', '--kubectl', fake.kubectl], { cap: 20_000 });
  t.false(r.timedOut, 'the run was held past its deadline');
  t.is(r.exitCode, 3, String(r.stderr));
  t.deepEqual(stackLines(String(r.stderr)), []);
  assertNoSurvivors(t, fake.pids());
});

test('SIGTERM while a grandchild holds the pipe: exit 130, and the whole process group is gone', async (t) => {
  const c = await clusterFor(t, HEALTHY.objects, HEALTHY.logs);
  const dir = await privateDir(t);
  const fake = await pipeHoldingKubectl(dir);
  const cli = startCli(t, c.env, ['diagnose', 'prod', '--timeout', '60s', '--kubectl', fake.kubectl], { cap: 20_000 });
  // Every kubectl the run starts and its grandchild: the listing calls run at once.
  await until(() => fake.pids().length >= 4, 15_000, 'the fake kubectl and its grandchild to start');
  cli.kill('SIGTERM');
  const r = await cli;
  t.false(r.timedOut, 'SIGTERM was ignored');
  t.is(r.exitCode, 130, String(r.stderr));
  assertNoSurvivors(t, fake.pids());
});

// ---------------------------------------------------------------------------------------------
// Finding 8: stdin

/**
 * A preload that writes `marker` once the bundle's main module has run its synchronous part,
 * which is where the signal handlers are installed: after that a SIGINT is the CLI's to handle.
 */
async function readyMarker(dir: string): Promise<{ nodeArgs: string[]; ready: () => boolean }> {
  const marker = join(dir, 'ready');
  const preload = join(dir, 'ready.cjs');
  await writeFile(preload, `setImmediate(() => require('node:fs').writeFileSync(${JSON.stringify(marker)}, ''));\n`);
  return { nodeArgs: ['--require', preload], ready: () => existsSync(marker) };
}

test('probe --from-curl-log - with a writer that never finishes: the deadline ends it (exit 3), as does SIGINT (exit 130); no "healthy"', async (t) => {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: await privateDir(t), NO_COLOR: '1' };
  const timed = startCli(t, env, ['probe', '--from-curl-log', '-', '--timeout', '2s'], { stdin: 'pipe', cap: 15_000 });
  timed.stdin!.write('* Trying 203.0.113.10:443...\n');
  const r = await timed;
  t.false(r.timedOut, 'stdin held the run past its deadline');
  t.is(r.exitCode, 3, String(r.stderr));
  t.is(String(r.stderr), "error: stopped: the run's deadline passed (--timeout) while reading stdin\n");
  t.is(String(r.stdout), '');

  const marker = await readyMarker(env.HOME);
  const interrupted = startCli(t, env, ['probe', '--from-curl-log', '-', '--timeout', '60s'], { stdin: 'pipe', cap: 15_000, nodeArgs: marker.nodeArgs });
  interrupted.stdin!.write('* Trying 203.0.113.10:443...\n');
  await until(marker.ready, 15_000, 'the CLI to handle SIGINT');
  interrupted.kill('SIGINT');
  const i = await interrupted;
  t.false(i.timedOut, 'SIGINT was ignored while reading stdin');
  t.is(i.exitCode, 130, String(i.stderr));
  t.notRegex(String(i.stdout), /healthy/);
});

// ---------------------------------------------------------------------------------------------
// Finding 5: a watcher stream cut short

/**
 * The watcher writes well over the simulator's 64 KiB write size, then nothing more, never ending.
 * The runs read it with `--tail -1`: a tail makes the simulator wait for the end before it sends.
 */
function stalledWatcherLogs(): LogMap {
  const watcherKey = `${NS}/${HEALTHY.watcherPod}/apigee-watcher`;
  const lines = Array.from({ length: 3000 }, (_, i) => `info: reconciled route ${i} ${'.'.repeat(40)}`);
  return {
    ...HEALTHY.logs,
    [watcherKey]: async function* stalled() {
      yield* lines;
      await new Promise(() => undefined);
    },
  };
}

const watcherVerdict = (stdout: string): string => {
  const f = finding(JSON.parse(stdout) as DiagnosisJson, 'watcher-logs');
  return `${f.status} ${f.summary}`;
};

test('a watcher stream cut by --timeout: watcher-logs is error and the run incomplete (exit 3), never healthy', async (t) => {
  const c = await clusterFor(t, HEALTHY.objects, stalledWatcherLogs());
  const r = await startCli(t, c.env, ['diagnose', 'prod', '--tail', '-1', '--timeout', '4s', '-o', 'json']);
  t.is(r.exitCode, 3, String(r.stderr));
  t.is(
    watcherVerdict(String(r.stdout)),
    "error could not read the apigee-watcher logs to the end (the stream was cut short): stopped: the run's deadline passed (--timeout)",
  );
  t.is((JSON.parse(String(r.stdout)) as DiagnosisJson).result, 'incomplete');
});

test('a watcher stream is not bounded by --request-timeout (it would cut a long log): a stalled one runs to the deadline, error (exit 3)', async (t) => {
  const c = await clusterFor(t, HEALTHY.objects, stalledWatcherLogs());
  const r = await startCli(t, c.env, ['diagnose', 'prod', '--tail', '-1', '--request-timeout', '1s', '--timeout', '6s', '-o', 'json']);
  t.is(r.exitCode, 3, String(r.stderr));
  t.is(
    watcherVerdict(String(r.stdout)),
    "error could not read the apigee-watcher logs to the end (the stream was cut short): stopped: the run's deadline passed (--timeout)",
  );
});

test('Ctrl-C (SIGINT to the whole foreground group, as a terminal sends it) while the watcher stream runs: exit 130, no "healthy" report', async (t) => {
  const c = await clusterFor(t, HEALTHY.objects, stalledWatcherLogs());
  const cli = startCli(t, c.env, ['diagnose', 'prod', '--tail', '-1', '--timeout', '60s'], { ownGroup: true });
  await until(() => c.sim.requests.some((q) => q.path.endsWith('/log')), 15_000, 'the watcher log to be requested');
  // The stream is flowing: the simulator has sent its first 64 KiB.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  process.kill(-cli.pid!, 'SIGINT');
  const r = await cli;
  t.is(r.exitCode, 130, String(r.stderr));
  t.notRegex(String(r.stdout), /healthy/);
  t.regex(String(r.stdout), /ERROR {2}watcher-logs/);
});

// ---------------------------------------------------------------------------------------------
// Finding 11: memory with huge kubectl output

test('300 MB of kubectl stderr is capped while it is read: a 96 MB heap is enough, and the run ends in one clear line (exit 3)', async (t) => {
  const c = await clusterFor(t, HEALTHY.objects, HEALTHY.logs);
  const dir = await privateDir(t);
  const kubectl = await script(dir, 'kubectl', `head -c 300000000 /dev/zero | tr '\\0' 'e' >&2\nexit 1`);
  const r = await startCli(t, c.env, ['diagnose', 'prod', '--kubectl', kubectl], { nodeArgs: ['--max-old-space-size=96'], cap: 60_000 });
  t.is(r.exitCode, 3, String(r.stderr).slice(0, 2000));
  t.true(String(r.stderr).length < 64 * 1024 * 4, `stderr of ${String(r.stderr).length} characters`);
  t.deepEqual(stackLines(String(r.stderr)), []);
});

/** Characters String.prototype.indexOf/lastIndexOf look at while `fn` runs. */
function charactersSearched(fn: () => void): number {
  const indexOf = String.prototype.indexOf;
  const lastIndexOf = String.prototype.lastIndexOf;
  let searched = 0;
  String.prototype.indexOf = function (this: string, needle: string, from?: number) {
    const at = indexOf.call(this, needle, from);
    searched += (at === -1 ? this.length : at) - (from ?? 0);
    return at;
  };
  String.prototype.lastIndexOf = function (this: string, needle: string, from?: number) {
    const at = lastIndexOf.call(this, needle, from);
    searched += (from ?? this.length) - (at === -1 ? 0 : at);
    return at;
  };
  try {
    fn();
  } finally {
    String.prototype.indexOf = indexOf;
    String.prototype.lastIndexOf = lastIndexOf;
  }
  return searched;
}

test('a line without end is searched once, not once per chunk (the line splitter and the log marker scanner)', (t) => {
  const chunk = 'x'.repeat(16 * 1024);
  const chunks = 200;
  const input = chunks * chunk.length;
  const lines: string[] = [];
  const split = lineSplitter((l) => lines.push(l));
  const bySplitter = charactersSearched(() => {
    for (let i = 0; i < chunks; i += 1) split.push(chunk);
    split.push('\nend\n');
  });
  t.deepEqual(
    lines.map((l) => l.length),
    [input, 3],
  );
  t.true(bySplitter <= 2 * input, `the splitter searched ${bySplitter} characters for ${input} of input`);

  const result: ScannedLines = { sources: [], lines: [] };
  const scanner = markerScanner(result, ['failed to get secret'], { pod: 'p', container: 'c' });
  const byScanner = charactersSearched(() => {
    for (let i = 0; i < chunks; i += 1) scanner.push(chunk);
    scanner.push('\nfailed to get secret "x"\n');
    scanner.end();
  });
  t.deepEqual(result.lines, [{ pod: 'p', container: 'c', text: 'failed to get secret "x"' }]);
  t.true(byScanner <= 3 * input, `the scanner searched ${byScanner} characters for ${input} of input`);
});
