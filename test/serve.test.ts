// `serve` against simulated clusters, scraped over HTTP: the contract's metric names and labels,
// /healthz, a context that cannot be reached, the fix reaching the next run, SIGTERM, and no write.
import { X509Certificate } from 'node:crypto';
import test from 'ava';
import { parseListen } from '../src/serve/listen.js';
import { initialState, isHealthy, recordRun } from '../src/serve/state.js';
import { bursts, chainOf, fleetFor, recordingKubectl, regionObjects, startServe } from './helpers/fleet.js';
import { isolatedEnv } from './helpers/cluster.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The sample lines of one metric, without HELP/TYPE. */
async function samples(url: string, metric: string): Promise<string[]> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(`${metric}{`));
}

const notAfterSeconds = (pem: string): number => new Date(new X509Certificate(pem).validTo).getTime() / 1000;

test('serve: the metrics of two contexts, the contract names and labels; the fix clears the finding on the next run; SIGTERM exits 0; nothing written', async (t) => {
  const fleet = await fleetFor(t, { a: regionObjects(false), b: regionObjects(true) });
  const serve = await startServe(t, fleet.env, ['--context', 'a', '--context', 'b', '--interval', '3s']);
  await serve.runs(1);
  // Right after a run: it finished within two intervals.
  t.is((await fetch(`${serve.url}/healthz`)).status, 200);
  t.deepEqual(await samples(serve.url, 'apigee_tls_finding'), [
    'apigee_tls_finding{context="b",namespace="apigee",envgroup="prod",check="key-match",cause="key-mismatch",status="fail"} 1',
  ]);
  const results = await samples(serve.url, 'apigee_tls_envgroup_result');
  t.true(results.includes('apigee_tls_envgroup_result{context="b",namespace="apigee",envgroup="prod",result="problems-found"} 1'));
  t.true(results.includes('apigee_tls_envgroup_result{context="a",namespace="apigee",envgroup="prod",result="healthy"} 1'));
  t.is(results.length, 2 * 2 * 3);
  const leaf = chainOf('prod').split(/(?<=-----END CERTIFICATE-----\n)/)[0]!;
  t.true(
    (await samples(serve.url, 'apigee_tls_certificate_not_after_seconds')).includes(
      `apigee_tls_certificate_not_after_seconds{context="a",namespace="apigee",envgroup="prod",secret="acme-prod",position="0"} ${notAfterSeconds(leaf)}`,
    ),
  );
  t.deepEqual(await samples(serve.url, 'apigee_tls_run_errors_total'), [
    'apigee_tls_run_errors_total{context="a"} 0',
    'apigee_tls_run_errors_total{context="b"} 0',
  ]);
  t.deepEqual(
    (await samples(serve.url, 'apigee_tls_run_timestamp_seconds')).map((l) => l.split(' ')[0]),
    ['apigee_tls_run_timestamp_seconds{context="a"}', 'apigee_tls_run_timestamp_seconds{context="b"}'],
  );
  t.is((await fetch(`${serve.url}/nothing`)).status, 404);

  // The operator fixes b's secret; a run that starts after it clears the finding.
  const before = (await serve.runs(1)).length;
  fleet.sims.b!.setObjects(regionObjects(false).objects);
  await serve.runs(before + 2);
  t.deepEqual(await samples(serve.url, 'apigee_tls_finding'), []);
  t.true(
    (await samples(serve.url, 'apigee_tls_envgroup_result')).includes(
      'apigee_tls_envgroup_result{context="b",namespace="apigee",envgroup="prod",result="healthy"} 1',
    ),
  );
  // One line per run: every context, its env groups and result counts.
  const line = (await serve.runs(1)).at(-1)!;
  t.regex(line, /a: 2 env groups, 2 healthy, 0 problems-found, 0 incomplete in [\d.]+s; b: 2 env groups, 2 healthy, 0 problems-found, 0 incomplete/);
  t.is(await serve.stop(), 0);
  t.deepEqual(fleet.sims.a!.writeAttempts(), []);
  t.deepEqual(fleet.sims.b!.writeAttempts(), []);
});

test('serve: a context that cannot be reached counts run errors and keeps its last results out; the other reports', async (t) => {
  const fleet = await fleetFor(t, { a: regionObjects(false), c: regionObjects(false) });
  await fleet.sims.c!.close();
  const serve = await startServe(t, fleet.env, ['--context', 'a,c', '--interval', '3s', '--request-timeout', '5s']);
  const lines = await serve.runs(2);
  // Its runs finish (they fail fast), so the exporter is healthy right after one.
  t.is((await fetch(`${serve.url}/healthz`)).status, 200);
  t.regex(lines[0]!, /; c: failed \(The connection to the server 127\.0\.0\.1:\d+ was refused/);
  const errors = await samples(serve.url, 'apigee_tls_run_errors_total');
  t.is(errors[0], 'apigee_tls_run_errors_total{context="a"} 0');
  t.true(Number(errors[1]!.replace('apigee_tls_run_errors_total{context="c"} ', '')) >= 2, errors[1]);
  t.deepEqual(
    (await samples(serve.url, 'apigee_tls_envgroup_result')).filter((l) => l.includes('context="c"')),
    [],
  );
  t.deepEqual(
    (await samples(serve.url, 'apigee_tls_run_timestamp_seconds')).map((l) => l.split(' ')[0]),
    ['apigee_tls_run_timestamp_seconds{context="a"}'],
  );
  t.is(await serve.stop(), 0);
});

test('serve in a pod: no kubeconfig and KUBERNETES_SERVICE_HOST set is kubectl in-cluster config, not a failure', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-pod-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // No kubeconfig at all; kubectl finds no service account token here, so the runs fail, but serve runs them.
  const env = { ...isolatedEnv(dir), KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '1' };
  const serve = await startServe(t, env, ['--interval', '1s', '--request-timeout', '2s']);
  t.regex(serve.stderr(), /diagnosing in-cluster every 1s/);
  const [line] = await serve.runs(1);
  t.regex(line!, /in-cluster: failed \(/);
  const [errors] = await samples(serve.url, 'apigee_tls_run_errors_total');
  t.regex(errors!, /^apigee_tls_run_errors_total\{context="in-cluster"\} [1-9]\d*$/);
  t.is(await serve.stop(), 0);
});

test('serve outside a pod with no context anywhere: one message, exit 3', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-nocontext-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const { runCli } = await import('./helpers/cluster.js');
  const r = await runCli(['serve', '--listen', '127.0.0.1:0'], isolatedEnv(dir));
  t.is(r.exitCode, 3);
  t.is(
    r.stderr,
    'error: no context: no kubeconfig sets current-context and no --context was given\nPass --context NAME (repeatable), or run serve in a pod, where kubectl uses its service account.\n',
  );
  t.is(r.stdout, '');
});

test('serve: one run at a time; a run longer than the interval delays the next instead of overlapping it', async (t) => {
  // Every request waits 1.2 s: a run takes longer than the 1 s interval.
  const fleet = await fleetFor(t, { a: { ...regionObjects(false), faults: [{ match: '.*', delayMs: 1200 }] } });
  const kubectl = await recordingKubectl(fleet.dir);
  const serve = await startServe(t, fleet.env, ['--context', 'a', '--interval', '1s', '--kubectl', kubectl.path]);
  await serve.runs(3);
  t.is(await serve.stop(), 0);
  // A run of one context is one burst of its five kubectl processes (two listings, three log sources);
  // overlapping runs would merge bursts.
  const groups = bursts(await kubectl.events());
  t.true(groups.length >= 3, groups.join(','));
  t.true(
    groups.every((n) => n === 5),
    groups.join(','),
  );
});

test('--listen forms', (t) => {
  t.deepEqual(parseListen(':9464'), { port: 9464 });
  t.deepEqual(parseListen('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  t.deepEqual(parseListen('[::1]:9464'), { host: '::1', port: 9464 });
  t.deepEqual(parseListen('localhost:80'), { host: 'localhost', port: 80 });
  t.is(parseListen('9464'), null);
  t.is(parseListen(':99999'), null);
  t.is(parseListen('a b:1'), null);
});

test('/healthz: every context finished a run within two intervals, counted from the start before the first', (t) => {
  const start = new Date('2026-01-01T00:00:00Z');
  const at = (s: number) => new Date(start.getTime() + s * 1000);
  let state = initialState(['a', 'b']);
  t.true(isHealthy(state, start, at(600), 300_000));
  t.false(isHealthy(state, start, at(601), 300_000));
  state = recordRun(state, { context: 'a', items: [], chains: [], finishedAt: at(500), ms: 1 });
  t.false(isHealthy(state, start, at(601), 300_000), 'b never finished');
  state = recordRun(state, { context: 'b', items: [], chains: [], failure: 'unreachable', finishedAt: at(550), ms: 1 });
  t.true(isHealthy(state, start, at(1100), 300_000));
  t.false(isHealthy(state, start, at(1101), 300_000));
  t.is(state.get('b')!.errors, 1);
  t.is(state.get('b')!.complete, undefined);
});
