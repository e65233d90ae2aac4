// Fail fast and name the real mistake: the kubeconfig and context are resolved as kubectl resolves
// them before any check runs; a run that cannot start prints one message (and, with -o json|yaml,
// one document: result incomplete, exit 3); a mistyped env group lists the ones that are there.
import { join } from 'node:path';
import test from 'ava';
import { parse } from 'yaml';
import { kubeconfigProblem } from '../src/gather/kubeconfig.js';
import { apigeeCluster, kubeconfigYaml, writeKubeconfig } from '../src/sim/index.js';
import { withCluster, type Cluster } from './helpers/cluster.js';
import { closedPort, reliabilityCluster } from './helpers/reliability.js';
import { fullChain, plant, rootCa, rsaKey, run, runWith, verdicts, type DiagnosisJson, type DiagnosisListJson } from './helpers/scenarios.js';

const ORG = 'acme';
const ca = rootCa('Fail Fast Root CA');
const key = rsaKey();
const KEY_PEM = plant(key);

let shared: Promise<Cluster> | undefined;
function cluster(): Promise<Cluster> {
  const sc = apigeeCluster({
    org: ORG,
    envgroups: ['payments', 'shared', 'internal'].map((name) => ({ name, secret: { cert: fullChain(ca, `${name}.${ORG}.example.com`, key), key: KEY_PEM } })),
  });
  shared ??= withCluster(sc.objects, sc.logs);
  return shared;
}
test.after.always(async () => (await shared)?.close());

const kubectlLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('+ kubectl'));

test('--context nope: one message naming the context and the ones there, no --org hint, no kubectl run, exit 3', async (t) => {
  const c = await cluster();
  const r = await run(t, c, ['diagnose', 'payments', '--context', 'nope', '-v']);
  t.is(r.exitCode, 3);
  t.is(r.stdout, '');
  t.is(
    r.stderr,
    `error: context "nope" does not exist in ${c.env.KUBECONFIG} (contexts there: apigee-sim)\nCheck --context: kubectl config get-contexts lists them.\n`,
  );
  t.false(r.stderr.includes('--org'));
  t.deepEqual(kubectlLines(r.stderr), []);
});

test('--context nope -o json: one document, result incomplete, a kubeconfig error finding, exit 3', async (t) => {
  const c = await cluster();
  const r = await run(t, c, ['diagnose', 'payments', '--context', 'nope', '-o', 'json']);
  t.is(r.exitCode, 3);
  const d = JSON.parse(r.stdout) as DiagnosisJson;
  t.is(d.kind, 'Diagnosis');
  t.is(d.result, 'incomplete');
  t.deepEqual(d.target, { envgroup: 'payments', namespace: 'apigee', context: 'nope' });
  t.deepEqual(verdicts(d), ['kubeconfig error']);
  t.is(d.findings[0]!.summary, `context "nope" does not exist in ${c.env.KUBECONFIG} (contexts there: apigee-sim)`);
});

test('--all --context nope -o yaml: a DiagnosisList with one incomplete item', async (t) => {
  const c = await cluster();
  const r = await run(t, c, ['diagnose', '--all', '--context', 'nope', '-oyaml']);
  t.is(r.exitCode, 3);
  const list = parse(r.stdout) as DiagnosisListJson;
  t.is(list.kind, 'DiagnosisList');
  t.deepEqual(
    list.items.map((d) => [d.result, ...verdicts(d)]),
    [['incomplete', 'kubeconfig error']],
  );
});

test('KUBECONFIG=/missing -o json: one document saying there is no kubeconfig, exit 3', async (t) => {
  const c = await cluster();
  const r = await runWith(t, { ...c.env, KUBECONFIG: '/missing' }, ['diagnose', 'payments', '-o', 'json']);
  t.is(r.exitCode, 3);
  const d = JSON.parse(r.stdout) as DiagnosisJson;
  t.is(d.result, 'incomplete');
  t.deepEqual(verdicts(d), ['kubeconfig error']);
  t.is(d.findings[0]!.summary, 'no kubeconfig: /missing does not exist (from KUBECONFIG)');
  t.is(r.stderr.split('\n')[0], 'error: no kubeconfig: /missing does not exist (from KUBECONFIG)');
});

test('--kubeconfig /missing: the same, from the flag', async (t) => {
  const c = await cluster();
  const r = await run(t, c, ['diagnose', 'payments', '--kubeconfig', '/missing']);
  t.is(r.exitCode, 3);
  t.is(r.stderr.split('\n')[0], 'error: no kubeconfig: /missing does not exist (from --kubeconfig)');
});

test('collect --context nope -o json: a SupportBundle with no archive, result incomplete', async (t) => {
  const c = await cluster();
  const r = await run(t, c, ['collect', 'payments', '--context', 'nope', '-o', 'json', '--out', join(c.dir, 'never.tar.gz')]);
  t.is(r.exitCode, 3);
  const doc = JSON.parse(r.stdout) as { kind: string; result: string; archive: unknown; files: unknown[]; findings: Array<{ check: string; status: string }> };
  t.deepEqual(
    { kind: doc.kind, result: doc.result, archive: doc.archive, files: doc.files, findings: doc.findings.map((f) => `${f.check} ${f.status}`) },
    { kind: 'SupportBundle', result: 'incomplete', archive: null, files: [], findings: ['kubeconfig error'] },
  );
});

test('an unreachable cluster with -o json: one document with the connection error, exit 3', async (t) => {
  const c = await cluster();
  const port = await closedPort();
  const kubeconfig = writeKubeconfig(join(c.dir, 'refused'), kubeconfigYaml({ server: `https://127.0.0.1:${port}`, caPem: c.sim.caPem, token: c.sim.token }));
  const r = await run(t, c, ['diagnose', 'payments', '--kubeconfig', kubeconfig, '-o', 'json']);
  t.is(r.exitCode, 3);
  const d = JSON.parse(r.stdout) as DiagnosisJson;
  t.is(d.result, 'incomplete');
  t.deepEqual(verdicts(d), ['run error']);
  t.is(d.findings[0]!.summary, `The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`);
  t.false(r.stderr.includes('--org'));
});

test('diagnose paymnets: an error listing the env groups there, closest first; exit 3; never missing-ingress-secret', async (t) => {
  const c = await cluster();
  const json = await run(t, c, ['diagnose', 'paymnets', '-o', 'json']);
  t.is(json.exitCode, 3, json.stderr);
  const d = JSON.parse(json.stdout) as DiagnosisJson;
  t.is(d.result, 'incomplete');
  t.deepEqual(verdicts(d), ['envgroup error']);
  t.is(d.findings[0]!.summary, 'no env group "paymnets" in namespace apigee; env groups here: payments, shared, internal');
  t.false(json.stdout.includes('missing-ingress-secret'));
  const text = await run(t, c, ['diagnose', 'paymnets']);
  t.is(text.exitCode, 3);
  t.true(text.stdout.includes('ERROR  envgroup'), text.stdout);
  t.false(text.stdout.includes('apigeectl apply'), text.stdout);
});

test('an env group whose secret the watcher reports missing is still missing-ingress-secret, not a typo', async (t) => {
  const r0 = reliabilityCluster();
  const c = await withCluster(r0.objects, r0.logs);
  t.teardown(() => c.close());
  const r = await run(t, c, ['diagnose', 'gone', '-o', 'json']);
  t.is(r.exitCode, 1, r.stderr);
  t.true(verdicts(JSON.parse(r.stdout) as DiagnosisJson).includes('ingress-secret fail missing-ingress-secret'));
});

test('-n default (no Apigee there): names the namespace as the mistake, no --org hint', async (t) => {
  const c = await cluster();
  const r = await run(t, c, ['diagnose', 'payments', '-n', 'default']);
  t.is(r.exitCode, 3);
  t.is(
    r.stderr,
    'error: no Apigee env groups here: no ApigeeRouteConfig and no ApigeeOrganization in namespace "default"\nPass -n with the namespace Apigee hybrid runs in (apigee by default); kubectl get apigeerouteconfigs -A lists them.\n',
  );
});

test('kubeconfigProblem: kubectl merge rules (first file wins, missing KUBECONFIG files skipped, in-cluster needs none)', (t) => {
  const doc = (contexts: string[], current?: string) => ({ contexts: contexts.map((name) => ({ name })), ...(current ? { 'current-context': current } : {}) });
  const env = { flag: false, envVar: true };
  t.is(
    kubeconfigProblem(
      [
        { path: '/a', state: 'missing' },
        { path: '/b', state: 'ok', doc: doc(['x'], 'x') },
      ],
      env,
      undefined,
      false,
    ),
    null,
  );
  t.is(
    kubeconfigProblem(
      [
        { path: '/a', state: 'ok', doc: doc(['x']) },
        { path: '/b', state: 'ok', doc: doc(['y'], 'y') },
      ],
      env,
      undefined,
      false,
    ),
    null,
  );
  t.is(kubeconfigProblem([{ path: '/a', state: 'missing' }], { flag: false, envVar: false }, undefined, true), null);
  t.deepEqual(
    kubeconfigProblem([{ path: '/a', state: 'ok', doc: doc(['prod-east', 'dev']) }], env, undefined, false)?.message,
    'no context: /a sets no current-context and no --context was given',
  );
  t.deepEqual(
    kubeconfigProblem([{ path: '/a', state: 'ok', doc: doc(['dev', 'prod-east', 'prod-west'], 'gone') }], env, undefined, false)?.message,
    'context "gone" does not exist in /a (contexts there: dev, prod-east, prod-west)',
  );
  t.deepEqual(kubeconfigProblem([{ path: '/a', state: 'unreadable', why: 'not YAML' }], env, 'x', false)?.message, 'error loading config file "/a": not YAML');
});
