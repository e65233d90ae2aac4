// A real Prometheus scrapes `serve` over two simulated clusters; the test reads the series back
// through Prometheus's HTTP API, fixes the broken secret in the cluster, and sees the finding go.
// Also: promtool checks and unit-tests deploy/prometheus/rules.yaml.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { REPO_ROOT } from '../helpers/cluster.js';
import { chainOf, fleetFor, regionObjects, startServe } from '../helpers/fleet.js';

const RULES = join(REPO_ROOT, 'deploy', 'prometheus', 'rules.yaml');

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function instantQuery(api: string, query: string): Promise<Sample[] | null> {
  try {
    const r = await fetch(`${api}/api/v1/query?${new URLSearchParams({ query })}`);
    const body = (await r.json()) as { status: string; data?: { result: Sample[] } };
    return body.status === 'success' ? body.data!.result : null;
  } catch {
    return null; // not up yet
  }
}

/** Polls until `done` holds for the query's result; fails the test with the last result after a minute. */
async function queryUntil(api: string, query: string, done: (r: Sample[]) => boolean): Promise<Sample[]> {
  let last: Sample[] | null = null;
  for (let i = 0; i < 120; i++) {
    last = await instantQuery(api, query);
    if (last && done(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${query}: still ${JSON.stringify(last)}`);
}

/** A prometheus of its own on loopback: a temp data dir, a 1 s scrape of `target`, the shipped rules loaded. */
async function startPrometheus(t: Parameters<typeof fleetFor>[0], target: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: [${JSON.stringify(RULES)}]`,
      'scrape_configs:',
      '  - job_name: apigee-tls',
      `    static_configs: [{ targets: [${JSON.stringify(target)}] }]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child = execa(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { reject: false, stdin: 'ignore', timeout: 170_000 },
  );
  t.teardown(async () => {
    child.kill('SIGTERM');
    await child;
    await rm(dir, { recursive: true, force: true });
  });
  return `http://127.0.0.1:${port}`;
}

test('prometheus scrapes serve: key-mismatch for the broken env group, notAfter for a healthy one; the fix clears the finding', async (t) => {
  const fleet = await fleetFor(t, { a: regionObjects(false), b: regionObjects(true) });
  const serve = await startServe(t, fleet.env, ['--context', 'a,b', '--interval', '2s']);
  const api = await startPrometheus(t, new URL(serve.url).host);

  const findings = await queryUntil(api, 'apigee_tls_finding{cause="key-mismatch"}', (r) => r.length > 0);
  t.deepEqual(
    findings.map((s) => ({ ...s.metric, value: s.value[1] })),
    [
      {
        __name__: 'apigee_tls_finding',
        instance: new URL(serve.url).host,
        job: 'apigee-tls',
        context: 'b',
        namespace: 'apigee',
        envgroup: 'prod',
        check: 'key-match',
        cause: 'key-mismatch',
        status: 'fail',
        value: '1',
      },
    ],
  );
  const leaf = new X509Certificate(chainOf('test'));
  const notAfter = await queryUntil(api, 'apigee_tls_certificate_not_after_seconds{context="a",envgroup="test",position="0"}', (r) => r.length > 0);
  t.is(notAfter.length, 1);
  t.is(notAfter[0]!.metric.secret, 'acme-test');
  t.is(Number(notAfter[0]!.value[1]), new Date(leaf.validTo).getTime() / 1000);

  // The operator fixes b's secret; the next run's results replace the finding.
  fleet.sims.b!.setObjects(regionObjects(false).objects);
  await queryUntil(api, 'apigee_tls_finding{cause="key-mismatch"}', (r) => r.length === 0);
  const result = await queryUntil(
    api,
    'apigee_tls_envgroup_result{context="b",envgroup="prod"} == 1',
    (r) => r.length === 1 && r[0]!.metric.result === 'healthy',
  );
  t.is(result[0]!.metric.result, 'healthy');
  t.is(await serve.stop(), 0);
  t.deepEqual(fleet.sims.a!.writeAttempts(), []);
  t.deepEqual(fleet.sims.b!.writeAttempts(), []);
});

test('promtool: the shipped rules check, and their unit tests pass', async (t) => {
  const check = await execa('promtool', ['check', 'rules', RULES], { reject: false });
  t.is(check.exitCode, 0, `${check.stdout}${check.stderr}`);
  t.regex(check.stdout, /SUCCESS: 5 rules found/);
  const unit = await execa('promtool', ['test', 'rules', join(REPO_ROOT, 'deploy', 'prometheus', 'rules.test.yaml')], { reject: false });
  t.is(unit.exitCode, 0, `${unit.stdout}${unit.stderr}`);
  t.regex(unit.stdout, /SUCCESS/);
});
