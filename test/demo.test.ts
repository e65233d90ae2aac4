// `demo`: the built bundle starts its own simulated Apigee cluster, diagnoses every env group with
// the real kubectl and openssl, and cleans up after itself. Run with an isolated HOME, kubectl
// cache and TMPDIR, so that nothing of the user's is read and anything left behind is seen.
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { watcherSecretNotFoundLine } from '../src/sim/index.js';
import { isolatedEnv, type RunResult } from './helpers/cluster.js';
import { finding, runWith, verdicts, type DiagnosisListJson } from './helpers/scenarios.js';

interface DemoEnv {
  env: Record<string, string>;
  home: string;
  /** The TMPDIR the demo sees: where its temporary folder must come and go. */
  tmp: string;
  /** A kubectl wrapper that logs HOME, KUBECACHEDIR and KUBECONFIG of each call, then runs kubectl. */
  kubectl: string;
  callLog: string;
}

async function demoEnv(t: ExecutionContext): Promise<DemoEnv> {
  const root = await mkdtemp(join(tmpdir(), 'apigee-tls-demo-test-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  await Promise.all([mkdir(home), mkdir(tmp)]);
  const callLog = join(root, 'kubectl-calls.log');
  const kubectl = join(root, 'kubectl-wrapper.sh');
  await writeFile(kubectl, '#!/bin/sh\nprintf \'%s|%s|%s\\n\' "$HOME" "$KUBECACHEDIR" "$KUBECONFIG" >> "$DEMO_TEST_CALL_LOG"\nexec kubectl "$@"\n');
  await chmod(kubectl, 0o755);
  const env: Record<string, string> = { ...isolatedEnv(home), TMPDIR: tmp, DEMO_TEST_CALL_LOG: callLog };
  return { env, home, tmp, kubectl, callLog };
}

const demoDirs = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((n) => n.startsWith('apigee-tls-demo-')).sort();

/** The demo's keys are made in memory; none of their PEM may reach the output. */
function assertNoKeyMaterial(t: ExecutionContext, r: RunResult): void {
  const text = r.stdout + r.stderr;
  t.false(/PRIVATE KEY/.test(text), 'a private key header was printed');
  // A PEM body line is 64 base64 characters; hashes in hex are the only long runs allowed.
  t.deepEqual(
    (text.match(/[A-Za-z0-9+/=]{48,}/g) ?? []).filter((run) => !/^[0-9a-f]+$/i.test(run)),
    [],
  );
}

/** Every kubectl call ran inside one temporary folder under TMPDIR, which is gone afterwards. */
async function assertCleanedUp(t: ExecutionContext, e: DemoEnv): Promise<void> {
  const calls = (await readFile(e.callLog, 'utf8')).trimEnd().split('\n');
  // Two listings and the watcher logs, at least.
  t.true(calls.length >= 3, `kubectl was run ${calls.length} times`);
  const demoDir = dirname(calls[0]!.split('|')[2]!);
  t.is(dirname(demoDir), e.tmp);
  t.regex(demoDir, /\/apigee-tls-demo-[^/]+$/);
  t.deepEqual([...new Set(calls)], [`${demoDir}|${join(demoDir, 'cache')}|${join(demoDir, 'kubeconfig')}`]);
  t.false(existsSync(demoDir));
  t.deepEqual(await demoDirs(e.tmp), []);
  // kubectl never wrote into the user's HOME either; the plugin wrote only its code cache there.
  t.deepEqual(await readdir(e.home), ['.cache']);
  t.deepEqual(await readdir(join(e.home, '.cache')), ['kubectl-apigee_tls']);
  const cached = await readdir(join(e.home, '.cache', 'kubectl-apigee_tls'));
  t.is(cached.length, 1);
  t.regex(cached[0]!, /^v8-[0-9a-f]{16}-v[\d.]+-\w+\.bin$/);
}

test('demo -o json: exit 1, a DiagnosisList with each playbook cause, the real-cluster cases and three healthy env groups, no temp dir left', async (t) => {
  const e = await demoEnv(t);
  t.deepEqual(await demoDirs(e.tmp), []);
  const r = await runWith(t, e.env, ['demo', '-o', 'json', '--kubectl', e.kubectl]);
  t.is(r.exitCode, 1, r.stderr);
  t.is(r.stderr, '');
  assertNoKeyMaterial(t, r);

  const list = JSON.parse(r.stdout) as DiagnosisListJson;
  t.is(list.apiVersion, 'apigee-tls/v1');
  t.is(list.kind, 'DiagnosisList');
  for (const d of list.items) {
    t.is(d.kind, 'Diagnosis');
    t.is(d.target.org, 'demo-org');
    t.is(d.target.namespace, 'apigee');
    t.is(d.target.context, 'apigee-sim');
  }
  t.deepEqual(
    list.items
      .filter((d) => d.result === 'healthy')
      .map((d) => d.target.envgroup)
      .sort(),
    ['healthy-ec', 'healthy-rsa', 'mtls-cacert'],
  );
  t.true(list.items.filter((d) => d.result !== 'healthy').every((d) => d.result === 'problems-found'));

  // The three playbook causes, each from the check that finds it.
  const failing = (check: string, cause: string) =>
    list.items.filter((d) => d.findings.some((f) => f.check === check && f.status === 'fail' && f.cause === cause)).map((d) => String(d.target.envgroup));
  t.deepEqual(failing('ingress-secret', 'missing-ingress-secret').sort(), ['byo-missing', 'cert-pending', 'missing-secret']);
  t.deepEqual(failing('route-secret', 'route-secret-missing'), ['non-sni']);
  // A user-managed secret is recreated with kubectl; the mTLS CA is read from <secret>-cacert.
  const byo = list.items.find((d) => d.target.envgroup === 'byo-missing')!;
  t.regex(
    finding(byo, 'ingress-secret').remediation ?? '',
    /^recreate it by hand \(Helm and apigeectl cannot: they did not make it\): kubectl -n apigee create secret generic byo-missing-tls /,
  );
  const mtls = list.items.find((d) => d.target.envgroup === 'mtls-cacert')!;
  t.is(finding(mtls, 'mtls-ca').summary, 'the CA bundle secret "mtls-cacert-tls-cacert" key "cacert" holds "CN=Demo Root CA"');
  // cert-pending's secret is missing because its Certificate cannot be issued: the ClusterIssuer is missing.
  t.deepEqual(failing('certificate-issued', 'certificate-not-issued'), ['cert-pending']);
  t.deepEqual(failing('certificate', 'malformed-certificate'), ['malformed-cert']);
  t.deepEqual(failing('key-match', 'key-mismatch'), ['key-mismatch']);

  const missing = list.items.find((d) => d.target.envgroup === 'missing-secret')!;
  t.is(missing.target.secret, 'demo-org-missing-secret');
  t.deepEqual(verdicts(missing), [
    'watcher-logs pass',
    'ingress-secret fail missing-ingress-secret',
    'secret-keys skip',
    'certificate skip',
    'route-secret skip',
    'ingress-gateway pass',
    'ingress-manager fail ingress-rejected-secret',
    'ingress-gateways pass',
    'watcher-updates pass',
    'apigee-issues pass',
    'route-config pass',
  ]);
  // istiod says so too, naming the secret (reference/apigee.md §12.5).
  t.true(
    finding(missing, 'ingress-manager').evidence[0]!.endsWith(
      'failed to fetch key and certificate for kubernetes://demo-org-missing-secret: secret apigee/demo-org-missing-secret not found',
    ),
  );
  // The ingress's own words: a key the gateway refuses, a P-384 leaf it cannot load, routes the watcher cannot update.
  t.deepEqual(failing('ingress-gateways', 'ingress-rejected-secret'), ['key-mismatch', 'p384-cert']);
  t.deepEqual(failing('watcher-updates', 'watcher-update-failed'), ['routes-stuck']);
  t.deepEqual(failing('ingress-manager', 'ingress-rejected-secret'), ['malformed-cert', 'missing-secret']);
  // The watcher's zap record is the evidence; its error is the playbook's line (reference/apigee.md §12.1).
  const record = JSON.parse(finding(missing, 'ingress-secret').evidence[0]!) as { msg: string; error: string };
  t.is(record.msg, 'error during watch');
  t.is(record.error, watcherSecretNotFoundLine('demo-org-missing-secret'));

  const healthy = list.items.find((d) => d.target.envgroup === 'healthy-ec')!;
  t.is(finding(healthy, 'secret-keys').summary, 'holds tls.crt and tls.key (kubernetes.io/tls layout)');

  await assertCleanedUp(t, e);
});

test('demo (text): the report names missing-ingress-secret, announces the simulated cluster, and cleans up', async (t) => {
  const e = await demoEnv(t);
  const r = await runWith(t, e.env, ['demo', '--kubectl', e.kubectl]);
  t.is(r.exitCode, 1, r.stderr);
  assertNoKeyMaterial(t, r);
  t.regex(r.stderr, /^Simulated Apigee cluster at https:\/\/127\.0\.0\.1:\d+ \(org demo-org, namespace apigee\)\.\nDiagnosing every env group…\n\n$/);
  const out = r.stdout.split('\n');
  t.true(out.includes('FAIL   ingress-secret Secret "demo-org-missing-secret" does not exist in namespace "apigee"  [missing-ingress-secret]'));
  t.true(r.stdout.includes('[malformed-certificate]'));
  t.true(r.stdout.includes('[key-mismatch]'));
  t.true(out.includes('Env group healthy-rsa: healthy (0 failed, 0 warnings, 0 errors, 17 passed, 2 skipped)'));
  t.regex(out[out.length - 2] ?? '', /^\d+ env groups: 3 healthy, \d+ with problems, 0 incomplete$/);
  await assertCleanedUp(t, e);
});
