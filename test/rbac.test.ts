// Least privilege: the simulator enforces RBAC per token. With exactly the Role the README
// documents (get/list on secrets, pods, pods/log and the four Apigee resources, in namespace
// apigee) diagnose and collect run complete, and no request is refused; without any ONE of its
// resources the run says so — the affected finding is `error` (or the run exits 3) quoting the
// apiserver's Forbidden line (verb, resource, namespace). The plugin never writes.
import { execa } from 'execa';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { clusterFor, type Cluster, type RunResult } from './helpers/cluster.js';
import { finding, item, run, verdicts, type DiagnosisJson, type DiagnosisListJson } from './helpers/scenarios.js';
import {
  SECRET_UNREADABLE,
  BARE,
  GONE,
  HEALTHY,
  MINIMAL_ROLE,
  NS,
  READ_RESOURCES,
  forbidden,
  healthyWith,
  parseJson,
  reliabilityCluster,
  roleWithout,
  track,
  type ClustersContext,
  type ReadResource,
} from './helpers/reliability.js';

const SCENARIO = reliabilityCluster();
const WATCHER = SCENARIO.watcherPod;
const INGRESS = SCENARIO.ingressPod;

test.beforeEach((t) => {
  (t.context as ClustersContext).clusters = [];
});

// The plugin never writes: checked after every test, on every cluster the test used.
test.afterEach.always((t) => {
  for (const c of (t.context as ClustersContext).clusters) t.deepEqual(c.sim.writeAttempts(), [], `write attempts on ${c.sim.url}`);
});

async function clusterWithRole(t: ExecutionContext, role = MINIMAL_ROLE): Promise<Cluster> {
  return track(t, await clusterFor(t, SCENARIO.objects, SCENARIO.logs, { rbac: role }));
}

const json = async (t: ExecutionContext, c: Cluster, args: string[]): Promise<RunResult> => run(t, c, [...args, '-o', 'json']);

/** `collect prod` into the cluster's temp dir; returns the run and the archive's README. */
async function collect(t: ExecutionContext, c: Cluster, name: string): Promise<{ r: RunResult; readme: string }> {
  const out = join(c.dir, `${name}.tar.gz`);
  const r = await run(t, c, ['collect', 'prod', '--out', out]);
  const readme = await execa('tar', ['-xzOf', out, `${name}/README.txt`], { reject: false });
  t.is(readme.exitCode, 0, `README.txt in ${out}: ${String(readme.stderr)}`);
  return { r, readme: String(readme.stdout) };
}

// ---------------------------------------------------------------------------------------------
// The minimal Role is enough

test('with exactly the minimal Role: diagnose ENVGROUP, diagnose --all and collect are complete, and no request is refused', async (t) => {
  const c = await clusterWithRole(t);

  const prod = await json(t, c, ['diagnose', 'prod']);
  t.is(prod.exitCode, 0, prod.stderr);
  t.deepEqual(verdicts(parseJson(prod)), HEALTHY);

  const gone = await json(t, c, ['diagnose', 'gone']);
  t.is(gone.exitCode, 1, gone.stderr);
  t.deepEqual(verdicts(parseJson(gone)), GONE);

  // No route config: the org comes from the ApigeeOrganization (the apigeeorganizations rule).
  const bare = await json(t, c, ['diagnose', 'bare']);
  t.is(bare.exitCode, 0, bare.stderr);
  const b = parseJson(bare);
  t.deepEqual(verdicts(b), BARE);
  t.is(b.target.org, 'acme');

  const all = await json(t, c, ['diagnose', '--all']);
  t.is(all.exitCode, 1, all.stderr);
  const list = parseJson<DiagnosisListJson>(all);
  t.deepEqual(list.items.map((i) => String(i.target.envgroup)).sort(), ['gone', 'prod']);
  t.deepEqual(verdicts(item(list, 'prod')), HEALTHY);
  t.deepEqual(verdicts(item(list, 'gone')), GONE);

  // collect additionally reads the ingress gateway's pods and logs: the same Role covers it.
  const { r, readme } = await collect(t, c, 'minimal');
  t.is(r.exitCode, 0, r.stderr);
  t.true(r.stderr.includes('Diagnosis: healthy.'), r.stderr);
  t.false(r.stderr.includes('Not collected'), r.stderr);
  t.false(readme.includes('is forbidden'), readme);

  // Least privilege both ways: nothing outside the Role was attempted but the optional look for a
  // missing secret in istio-system (the README documents it as optional), which says nothing when refused.
  const refused = c.sim.requests.filter((q) => q.status === 403).map((q) => `${q.method} ${q.path}`);
  t.true(refused.length > 0);
  t.deepEqual([...new Set(refused)], [`GET /api/v1/namespaces/istio-system/secrets/acme-gone`]);
  t.true(c.sim.requests.every((q) => q.method === 'GET'));
});

test("with the README's optional Role too (a named get of secrets in istio-system), no request is refused", async (t) => {
  const optional = { verbs: ['get'], resources: ['secrets'], apiGroups: [''], namespaces: ['istio-system'] };
  const c = await clusterWithRole(t, { rules: [...MINIMAL_ROLE.rules, optional] });
  const gone = await json(t, c, ['diagnose', 'gone']);
  t.is(gone.exitCode, 1, gone.stderr);
  t.deepEqual(verdicts(parseJson(gone)), GONE);
  t.deepEqual(
    c.sim.requests.filter((q) => q.status === 403),
    [],
  );
  // The look happened, and found nothing (the secret is nowhere): the finding says nothing of it.
  t.true(c.sim.requests.some((q) => q.path === '/api/v1/namespaces/istio-system/secrets/acme-gone' && q.status === 404));
  t.false(JSON.stringify(finding(parseJson(gone), 'ingress-secret')).includes('istio-system'));
});

// ---------------------------------------------------------------------------------------------
// Without any one of its resources, the run says what was refused

interface Expectation {
  /** `diagnose prod -o json`: exit code and the verdicts (hostnames left out when null). */
  prod: { exit: number; verdicts: readonly string[]; ignoreHostnames?: boolean };
  /** The finding that carries the refusal, and its summary (exact, or containing the Forbidden line). */
  affected?: { check: string; summary?: string };
  /** `diagnose --all`: a list with these exit code and `gone` verdicts, or (null) exit 3 naming the refusal. */
  all: { exit: number; gone: readonly string[] } | null;
  /** `collect prod`: its exit code, and what its README lists as not collected (none: nothing refused mattered). */
  collect: { exit: number; gaps: readonly string[] };
}

const NO_SECRET_CHECKS = SECRET_UNREADABLE;
/** Every log source is read through pods and pods/log: refused, each log check says so; watcher-updates has nothing to read. */
const NO_LOGS = {
  'watcher-logs': 'watcher-logs error',
  'ingress-manager': 'ingress-manager error',
  'ingress-gateways': 'ingress-gateways error',
  'watcher-updates': 'watcher-updates skip',
};
const replaced = (list: readonly string[], changes: Record<string, string>): string[] => list.map((v) => changes[v.split(' ')[0]!] ?? v);

const EXPECTED: Record<ReadResource, Expectation> = {
  secrets: {
    prod: { exit: 3, verdicts: NO_SECRET_CHECKS },
    affected: { check: 'ingress-secret', summary: `could not read secrets in namespace "${NS}": Error from server (Forbidden): ${forbidden('secrets')}` },
    // `gone` is still found missing: the watcher's log names it.
    all: { exit: 1, gone: GONE },
    collect: { exit: 3, gaps: [forbidden('secrets')] },
  },
  pods: {
    // The pods are the watcher's and the gateways the env group's selector must match.
    prod: { exit: 3, verdicts: healthyWith({ ...NO_LOGS, 'ingress-gateway': 'ingress-gateway error' }) },
    affected: { check: 'watcher-logs', summary: `could not read the apigee-watcher logs: Error from server (Forbidden): ${forbidden('pods')}` },
    all: { exit: 1, gone: replaced(GONE, { ...NO_LOGS, 'ingress-gateway': 'ingress-gateway error' }) },
    collect: { exit: 3, gaps: [forbidden('pods')] },
  },
  'pods/log': {
    prod: { exit: 3, verdicts: healthyWith(NO_LOGS) },
    affected: { check: 'watcher-logs', summary: `could not read the apigee-watcher logs: Error from server (Forbidden): ${forbidden('pods/log', WATCHER)}` },
    all: { exit: 1, gone: replaced(GONE, NO_LOGS) },
    // Each log is refused: the watcher's, each ingress manager's, and both containers of the gateway pod.
    collect: {
      exit: 3,
      gaps: [
        forbidden('pods/log', WATCHER),
        ...SCENARIO.ingressManagerPods.map((p) => forbidden('pods/log', p)),
        forbidden('pods/log', INGRESS),
        forbidden('pods/log', INGRESS),
      ],
    },
  },
  apigeeorganizations: {
    // diagnose ENVGROUP takes the org from the route config's name: the refused list decides nothing.
    prod: { exit: 0, verdicts: HEALTHY },
    // --all and an env group without a route config need it: exit 3 naming the refusal.
    all: null,
    collect: { exit: 0, gaps: [] },
  },
  apigeerouteconfigs: {
    prod: {
      exit: 3,
      verdicts: healthyWith({ 'ingress-gateway': 'ingress-gateway skip', 'ingress-gateways': 'ingress-gateways skip', 'route-config': 'route-config error' }),
      ignoreHostnames: true,
    },
    affected: { check: 'route-config', summary: `could not read ApigeeRouteConfigs: Error from server (Forbidden): ${forbidden('apigeerouteconfigs')}` },
    // --all enumerates env groups from the route configs: without them it cannot say "0 env groups, healthy".
    all: null,
    collect: { exit: 3, gaps: [forbidden('apigeerouteconfigs')] },
  },
  apigeeroutes: {
    // The env group's hostnames come from its ApigeeRoutes: unreadable is an error, not "no hostnames".
    prod: { exit: 3, verdicts: healthyWith({ hostnames: 'hostnames error' }) },
    affected: { check: 'hostnames' },
    all: { exit: 1, gone: GONE },
    collect: { exit: 3, gaps: [forbidden('apigeeroutes')] },
  },
  apigeeissues: {
    prod: { exit: 3, verdicts: healthyWith({ 'apigee-issues': 'apigee-issues error' }) },
    affected: { check: 'apigee-issues', summary: `could not read ApigeeIssues: Error from server (Forbidden): ${forbidden('apigeeissues')}` },
    all: { exit: 1, gone: replaced(GONE, { 'apigee-issues': 'apigee-issues error' }) },
    collect: { exit: 3, gaps: [forbidden('apigeeissues')] },
  },
};

const withoutHostnames = (list: readonly string[]): string[] => list.filter((v) => !v.startsWith('hostnames '));

function assertProd(t: ExecutionContext, d: DiagnosisJson, e: Expectation, resource: ReadResource): void {
  if (e.prod.ignoreHostnames) t.deepEqual(withoutHostnames(verdicts(d)), withoutHostnames(e.prod.verdicts), resource);
  else t.deepEqual(verdicts(d), e.prod.verdicts, resource);
  if (!e.affected) return;
  const f = finding(d, e.affected.check);
  t.is(f.status, 'error', resource);
  t.is(f.cause, null, resource);
  if (e.affected.summary) t.is(f.summary, e.affected.summary, resource);
  else t.true(f.summary.includes(`Error from server (Forbidden): ${forbidden(resource)}`), f.summary);
  // A Forbidden finding offers the Role that grants the read.
  t.regex(f.remediation ?? '', /kind: Role/, resource);
}

/** The run stopped (exit 3) and its one message quotes the apiserver's refusal. */
function assertStoppedOnForbidden(t: ExecutionContext, r: RunResult, resource: ReadResource, what: string): void {
  t.is(r.exitCode, 3, `${what}: ${r.stdout}${r.stderr}`);
  const text = `${r.stdout}\n${r.stderr}`;
  t.true(text.includes(`Error from server (Forbidden): ${forbidden(resource)}`), `${what}: ${text}`);
  t.false(text.includes('no ApigeeOrganization was found'), `${what}: ${text}`);
}

const withoutOne = test.macro({
  async exec(t, resource: ReadResource) {
    const e = EXPECTED[resource];
    const c = await clusterWithRole(t, roleWithout(resource));

    const prod = await json(t, c, ['diagnose', 'prod']);
    t.is(prod.exitCode, e.prod.exit, `diagnose prod: ${prod.stderr}`);
    assertProd(t, parseJson(prod), e, resource);

    const all = await json(t, c, ['diagnose', '--all']);
    if (e.all) {
      t.is(all.exitCode, e.all.exit, `diagnose --all: ${all.stderr}`);
      const list = parseJson<DiagnosisListJson>(all);
      t.deepEqual(list.items.map((i) => String(i.target.envgroup)).sort(), ['gone', 'prod']);
      assertProd(t, item(list, 'prod'), e, resource);
      t.deepEqual(verdicts(item(list, 'gone')), e.all.gone, resource);
    } else {
      assertStoppedOnForbidden(t, all, resource, 'diagnose --all');
    }

    if (resource === 'apigeeorganizations') {
      // No route config for `bare`: its org can only come from the ApigeeOrganizations.
      assertStoppedOnForbidden(t, await json(t, c, ['diagnose', 'bare']), resource, 'diagnose bare');
    }

    const name = `without-${resource.replace('/', '-')}`;
    const { r, readme } = await collect(t, c, name);
    t.is(r.exitCode, e.collect.exit, `collect: ${r.stderr}`);
    for (const gap of e.collect.gaps) t.true(readme.includes(gap), `README.txt should list as not collected: ${gap}\n${readme}`);
    if (e.collect.gaps.length === 0) t.false(r.stderr.includes('Not collected'), r.stderr);
    else t.true(r.stderr.includes(`Not collected: ${e.collect.gaps.length} item`), r.stderr);
  },
  title: (_, resource: ReadResource) => `the minimal Role without ${resource}: the run says the ${resource} read was forbidden (verb, resource, namespace)`,
});

for (const resource of READ_RESOURCES) test(withoutOne, resource);
