// How log streams are read (structure, not the clock): kubectl's stdout comes through a real pipe
// (a FIFO whose private folder is gone before kubectl starts), not Node's socket pair; a log stream
// carries no --request-timeout (which would bound the whole response and cut a long log short),
// while every listing keeps it; and a log that streams for longer than --request-timeout is read whole.
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test, { type ExecutionContext } from 'ava';
import { apigeeCluster, watcherSecretNotFoundLine, type LogMap } from '../src/sim/index.js';
import { clusterFor, type Cluster } from './helpers/cluster.js';
import { fullChain, rootCa, rsaKey } from './helpers/scenarios.js';

const ORG = 'acme';
const ca = rootCa('Log Streams Root CA');
const key = rsaKey();
const scenario = apigeeCluster({
  org: ORG,
  envgroups: [{ name: 'eg-a', secret: { cert: fullChain(ca, `eg-a.${ORG}.example.com`, key), key: key.export({ type: 'pkcs8', format: 'pem' }).toString() } }],
});
const WATCHER_LOG = `apigee/${scenario.watcherPod}/apigee-watcher`;

async function privateDir(t: ExecutionContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A kubectl that notes what its stdout is (fifo, socket) and its arguments, then runs the real one. */
async function notingKubectl(dir: string): Promise<{ path: string; calls: () => Promise<string[]> }> {
  const log = join(dir, 'calls');
  const path = join(dir, 'kubectl');
  await writeFile(
    path,
    [
      '#!/bin/bash',
      'if [ -p /dev/stdout ]; then kind=fifo; elif [ -S /dev/stdout ]; then kind=socket; else kind=other; fi',
      `printf '%s %s\\n' "$kind" "$*" >> ${JSON.stringify(log)}`,
      'exec kubectl "$@"',
      '',
    ].join('\n'),
  );
  await chmod(path, 0o755);
  return { path, calls: async () => (await readFile(log, 'utf8')).trim().split('\n').sort() };
}

/** The cluster, its TMPDIR a private folder (where the FIFO's folder is made), its log requests hanging if asked. */
async function clusterWithTmp(t: ExecutionContext, logs: LogMap, hangLogs = false): Promise<Cluster> {
  const c = await clusterFor(t, scenario.objects, logs);
  if (hangLogs) c.sim.setFaults([{ match: '/log', hang: true }]);
  c.env.TMPDIR = await privateDir(t, 'apigee-tls-tmp-');
  return c;
}

/** A run, and what it left in its TMPDIR. */
const run = async (c: Cluster, args: string[]) => {
  const r = await c.cli([...args, '--color=false']);
  return { ...r, leftInTmp: await readdir(c.env.TMPDIR!) };
};

test('a log stream is read through a FIFO (its folder already gone), without --request-timeout; listings keep it', async (t) => {
  const c = await clusterWithTmp(t, scenario.logs);
  const tools = await notingKubectl(await privateDir(t, 'apigee-tls-tools-'));
  const r = await run(c, ['diagnose', 'eg-a', '--kubectl', tools.path, '--request-timeout', '7s']);
  t.is(r.exitCode, 0);
  t.deepEqual(await tools.calls(), [
    'fifo -n apigee logs -l app=apigee-ingressgateway --all-containers --prefix --since=1h --tail=10000 --timestamps',
    'fifo -n apigee logs -l app=apigee-ingressgateway-manager -c discovery --prefix --since=1h --tail=10000 --timestamps',
    'fifo -n apigee logs -l app=apigee-watcher --all-containers --prefix --since=1h --tail=10000 --timestamps',
    'socket -n apigee --request-timeout=7s get apigeeroutes,apigeeissues,pods -o json',
    'socket -n apigee --request-timeout=7s get secrets,apigeerouteconfigs -o json --show-managed-fields',
  ]);
  t.deepEqual(r.leftInTmp, []);
});

test('a log that streams for longer than --request-timeout is read whole: the line at its end is found', async (t) => {
  // 2.5 s of log, slowly; the line that matters comes last.
  async function* slowLog() {
    for (let i = 0; i < 10; i += 1) {
      yield `I0101 00:00:0${i}.000000       1 watcher.go:112] polling ingress config`;
      await sleep(250);
    }
    yield watcherSecretNotFoundLine(`${ORG}-eg-a`);
  }
  const c = await clusterWithTmp(t, { ...scenario.logs, [WATCHER_LOG]: slowLog });
  const r = await run(c, ['diagnose', 'eg-a', '--request-timeout', '1s']);
  t.is(r.stderr, '');
  t.true(
    r.stdout.split('\n').some((l) => /^\S+\s+watcher-logs\s+read the apigee-watcher logs of the last 1h: 1 line reports secret "acme-eg-a" missing$/.test(l)),
    r.stdout,
  );
  t.deepEqual(r.leftInTmp, []);
});

test('the run deadline still ends a log stream that hangs, and leaves no FIFO behind', async (t) => {
  const c = await clusterWithTmp(t, scenario.logs, true);
  const r = await run(c, ['diagnose', 'eg-a', '--timeout', '3s']);
  t.is(r.exitCode, 3);
  t.deepEqual(r.leftInTmp, []);
});

test('a log stream whose request is never answered is still stopped by the call timeout that --request-timeout sets, long before --timeout', async (t) => {
  const c = await clusterWithTmp(t, scenario.logs, true);
  // The call's timeout: 7 × --request-timeout + 5 s (kubectl's discovery retries), so 12 s here.
  const r = await run(c, ['diagnose', 'eg-a', '--request-timeout', '1s', '--timeout', '60s', '-o', 'json']);
  t.is(r.exitCode, 3);
  const watcher = (JSON.parse(r.stdout) as { findings: { check: string; status: string; summary: string }[] }).findings.find(
    (f) => f.check === 'watcher-logs',
  )!;
  t.is(
    `${watcher.status} ${watcher.summary}`,
    'error could not read the apigee-watcher logs to the end (the stream was cut short): kubectl did not finish in time',
  );
  t.deepEqual(r.leftInTmp, []);
});
