// What runs before the first kubectl starts (the shape of start-up, not the clock): diagnose starts
// its wave of kubectl calls before the pipeline, the checks, pki (node-forge) and the renderers
// load, so that they load while kubectl runs; and a parse that prints no help never initialises
// string-width (its Intl.Segmenter), which only help text needs. yaml is not among them: reading
// the kubeconfig, which decides whether any kubectl may run, needs it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { apigeeCluster } from '../src/sim/index.js';
import { BUNDLE, REPO_ROOT, clusterFor, type Cluster } from './helpers/cluster.js';
import { fullChain, rootCa, rsaKey } from './helpers/scenarios.js';

const ORG = 'acme';
const ca = rootCa('First Spawn Root CA');
const key = rsaKey();
const healthy = apigeeCluster({
  org: ORG,
  envgroups: ['eg-a', 'eg-b'].map((name) => ({
    name,
    secret: { cert: fullChain(ca, `${name}.${ORG}.example.com`, key), key: key.export({ type: 'pkcs8', format: 'pem' }).toString() },
  })),
});

const RECORDER = ['--import', './test/helpers/record-loads.mjs'];
const FROM_SOURCE = ['--import', 'tsx', ...RECORDER, 'src/main.ts'];
const BUNDLED = [...RECORDER, BUNDLE];

/** Modules only the analysis and the report need. */
const ANALYSIS = [/\/node_modules\/node-forge\//, /\/src\/checks\//, /\/src\/pki\//, /\/src\/pipeline\/diagnose\.ts$/, /\/src\/report\/text\.ts$/];
const analysisIn = (lines: string[]) => lines.filter((l) => l.startsWith('load ') && ANALYSIS.some((re) => re.test(l)));

let runs = 0;
async function recorded(c: Cluster, node: string[], args: string[]): Promise<{ exitCode: number | undefined; log: string[] }> {
  const log = join(c.dir, `loads-${(runs += 1)}.log`);
  await writeFile(log, '');
  const r = await execa(process.execPath, [...node, ...args], {
    env: { ...c.env, APIGEE_TLS_LOAD_LOG: log, APIGEE_TLS_NO_CODE_CACHE: '1' },
    extendEnv: false,
    cwd: REPO_ROOT,
    stdin: 'ignore',
    reject: false,
    timeout: 60_000,
  });
  return { exitCode: r.exitCode, log: (await readFile(log, 'utf8')).split('\n').filter(Boolean) };
}

const kubectlSpawns = (log: string[]) => log.filter((l) => /^spawn \S*\/kubectl /.test(l));

/** The recording sees the analysis: it does load, after the first spawn. */
function analysisLoadsAfter(t: ExecutionContext, log: string[], first: number): void {
  t.true(log.slice(first).some((l) => l.includes('/node_modules/node-forge/')));
  t.true(log.slice(first).some((l) => l.endsWith('/src/checks/registry.ts')));
}

for (const args of [
  ['diagnose', 'eg-a'],
  ['diagnose', '--all', '--org', ORG],
]) {
  test(`${args.join(' ')}: its five kubectl calls (two listings, three log sources) start before node-forge, the checks, pki, the pipeline and the renderers load`, async (t) => {
    const c = await clusterFor(t, healthy.objects, healthy.logs);
    const { exitCode, log } = await recorded(c, FROM_SOURCE, args);
    t.is(exitCode, 0);
    const first = log.findIndex((l) => l.startsWith('spawn '));
    t.deepEqual(analysisIn(log.slice(0, first)), []);
    // Started at once: all five before any of the analysis.
    const firstAnalysis = log.findIndex((l) => analysisIn([l]).length > 0);
    t.is(kubectlSpawns(log.slice(0, firstAnalysis)).length, 5);
    t.is(kubectlSpawns(log).length, 5);
    analysisLoadsAfter(t, log, first);
  });
}

test('collect: its namespace listing starts before node-forge, the checks, pki, the pipeline and the renderers load', async (t) => {
  const c = await clusterFor(t, healthy.objects, healthy.logs);
  const { exitCode, log } = await recorded(c, FROM_SOURCE, ['collect', 'eg-a', '--out', join(c.dir, 'bundle.tar.gz')]);
  t.is(exitCode, 0);
  const first = log.findIndex((l) => l.startsWith('spawn '));
  t.regex(log[first]!, /^spawn \S*\/kubectl .* get (secrets,apigeerouteconfigs|apigeeroutes,apigeeissues,pods) -o json( --show-managed-fields)?$/);
  t.deepEqual(analysisIn(log.slice(0, first)), []);
  analysisLoadsAfter(t, log, first);
});

test('the bundle: a diagnose that prints no help never initialises string-width; --help does', async (t) => {
  const c = await clusterFor(t, healthy.objects, healthy.logs);
  const diagnose = await recorded(c, BUNDLED, ['diagnose', 'eg-a']);
  t.is(diagnose.exitCode, 0);
  t.is(kubectlSpawns(diagnose.log).length, 5);
  t.false(diagnose.log.includes('segmenter'));
  const help = await recorded(c, BUNDLED, ['diagnose', '--help']);
  t.is(help.exitCode, 0);
  t.true(help.log.includes('segmenter'));
  t.is(kubectlSpawns(help.log).length, 0);
});
