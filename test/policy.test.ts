// --fail-on warn and --ignore CAUSE (CONTRACT "Added later"): on check with local files, and on
// diagnose against the simulated cluster.
import test from 'ava';
import { withCluster } from './helpers/cluster.js';
import { tempDir } from './helpers/files.js';
import { GONE, reliabilityCluster } from './helpers/reliability.js';
import { DAY, finding, fullChain, plant, rootCa, rsaKey, runWith, verdicts, type DiagnosisJson } from './helpers/scenarios.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', NO_COLOR: '1' };
const ca = rootCa('Policy Test Root CA');
const key = rsaKey();

function files(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t);
  const soon = fullChain(ca, 'api.example.com', key, { notAfter: new Date(Date.now() + 3 * DAY) });
  return {
    cert: dir.write('soon.crt', soon),
    key: dir.write('soon.key', plant(key)),
    other: dir.write('other.key', plant(rsaKey())),
  };
}

const check = async (t: Parameters<typeof runWith>[0], args: string[]) => {
  const r = await runWith(t, env, ['check', ...args, '-o', 'json']);
  return { code: r.exitCode, d: JSON.parse(r.stdout) as DiagnosisJson, stderr: r.stderr };
};

test('--fail-on warn: a warning (expiring soon) exits 1; by default it exits 0', async (t) => {
  const f = files(t);
  const plain = await check(t, ['--cert', f.cert, '--key', f.key]);
  t.is(plain.code, 0, plain.stderr);
  t.is(finding(plain.d, 'validity').cause, 'certificate-expiring-soon');
  const strict = await check(t, ['--cert', f.cert, '--key', f.key, '--fail-on', 'warn']);
  t.is(strict.code, 1);
  t.is(strict.d.result, 'healthy');
});

test('--ignore: the finding stays as skip saying it was ignored, and no longer counts', async (t) => {
  const f = files(t);
  const r = await check(t, ['--cert', f.cert, '--key', f.key, '--fail-on', 'warn', '--ignore', 'certificate-expiring-soon']);
  t.is(r.code, 0);
  const v = finding(r.d, 'validity');
  t.is(v.status, 'skip');
  t.is(v.cause, null);
  t.true(v.summary.startsWith('ignored (--ignore certificate-expiring-soon; it was warn): '), v.summary);
  // A fail too, repeatable and comma-separated.
  const mismatch = await check(t, ['--cert', f.cert, '--key', f.other]);
  t.is(mismatch.code, 1);
  const both = await check(t, ['--cert', f.cert, '--key', f.other, '--ignore', 'key-mismatch,certificate-expiring-soon', '--fail-on', 'warn']);
  t.is(both.code, 0);
  t.is(both.d.result, 'healthy');
  t.is(finding(both.d, 'key-match').status, 'skip');
});

test('--ignore with an unknown cause: usage error with the closest id', async (t) => {
  const f = files(t);
  const r = await runWith(t, env, ['check', '--cert', f.cert, '--ignore', 'key-missmatch']);
  t.is(r.exitCode, 2);
  t.is(r.stderr.split('\n')[0], 'error: unknown cause "key-missmatch" for --ignore (did you mean key-mismatch?); kubectl apigee-tls explain lists them');
});

test('diagnose --ignore missing-ingress-secret: the env group is reported healthy, exit 0', async (t) => {
  const s = reliabilityCluster();
  const c = await withCluster(s.objects, s.logs);
  t.teardown(() => c.close());
  const r = await runWith(t, c.env, ['diagnose', 'gone', '-o', 'json', '--ignore', 'missing-ingress-secret']);
  t.is(r.exitCode, 0, r.stderr);
  const d = JSON.parse(r.stdout) as DiagnosisJson;
  t.deepEqual(
    verdicts(d),
    GONE.map((v) => (v === 'ingress-secret fail missing-ingress-secret' ? 'ingress-secret skip' : v)),
  );
});
