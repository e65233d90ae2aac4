// The fault matrix: what `diagnose` does when the cluster misbehaves, through the built bundle and
// the real kubectl against the simulator. Every row ends in a defined outcome: either a finding
// with status `error` (or `skip`) whose summary carries kubectl's own line, or exit 3 with one
// clear message naming the command that failed — never a stack trace, never a write.
//
// One warm simulator serves the rows that only switch faults (test.serial: they share it); rows
// that need another cluster shape (CRDs absent, legacy discovery, a restarting watcher) get their
// own and run concurrently.
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { kubeconfigYaml, watcherPod, watcherSecretNotFoundLine, writeKubeconfig, type FaultRule, type SimulatorOptions } from '../src/sim/index.js';
import { clusterFor, withCluster, type Cluster, type RunResult } from './helpers/cluster.js';
import { finding, item, run, verdicts, type DiagnosisJson, type DiagnosisListJson } from './helpers/scenarios.js';
import {
  SECRET_UNREADABLE,
  crdAbsent,
  GONE,
  HEALTHY,
  NS,
  ORG,
  forbidden,
  assertIncompleteDocument,
  closedPort,
  healthyWith,
  incompleteLines,
  parseJson,
  reliabilityCluster,
  track,
  type ClustersContext,
  type ReadResource,
} from './helpers/reliability.js';

const SCENARIO = reliabilityCluster();
const WATCHER = SCENARIO.watcherPod;
const REACHABLE_HINT = 'Check that the cluster is reachable from here (kubectl cluster-info), or raise --request-timeout.';
const LOGIN_HINT = 'Log in to the cluster again (e.g. gcloud container clusters get-credentials …), or check --context and --kubeconfig.';
/** The `(while running: …)` line naming the secrets list (alone, or listed with other types in one call). */
const SECRETS_LIST = /^ {2}\(while running: kubectl (--kubeconfig=\S+ )?-n apigee get ([a-z]+,)*secrets(,[a-z]+)* -o json --show-managed-fields\)$/;
/** kubectl's timeout line varies between runs (reference §5); each variant names the timeout. */
const KUBECTL_TIMEOUT =
  /^error: Unable to connect to the server: (context deadline exceeded|net\/http: request canceled( while waiting for connection)?)( \(Client\.Timeout exceeded while awaiting headers\))?$/;
const NAMESPACE_MISSING = /namespaces? "nosuch" (not found|does not exist)/;

/** URL patterns of the plugin's reads, as fault rules match them (method and raw URL). */
const LIST: Record<Exclude<ReadResource, 'pods/log'>, string> = {
  secrets: `^GET /api/v1/namespaces/${NS}/secrets\\?`,
  pods: `^GET /api/v1/namespaces/${NS}/pods\\?`,
  apigeeorganizations: `^GET /apis/apigee\\.cloud\\.google\\.com/v1alpha\\d/namespaces/${NS}/apigeeorganizations\\?`,
  apigeerouteconfigs: `^GET /apis/apigee\\.cloud\\.google\\.com/v1alpha\\d/namespaces/${NS}/apigeerouteconfigs\\?`,
  apigeeroutes: `^GET /apis/apigee\\.cloud\\.google\\.com/v1alpha\\d/namespaces/${NS}/apigeeroutes\\?`,
  apigeeissues: `^GET /apis/apigee\\.cloud\\.google\\.com/v1alpha\\d/namespaces/${NS}/apigeeissues\\?`,
};
const WATCHER_LOG = `^GET /api/v1/namespaces/${NS}/pods/${WATCHER}/log\\?`;

/** The pods could not be listed: no log source can be read, the secret checks still run. */
const PODS_UNREAD = healthyWith({
  'watcher-logs': 'watcher-logs error',
  // The gateways are the namespace's pods too.
  'ingress-gateway': 'ingress-gateway error',
  'ingress-manager': 'ingress-manager error',
  'ingress-gateways': 'ingress-gateways error',
  'watcher-updates': 'watcher-updates skip',
});

const WATCHER_LOG_COMMAND = `kubectl -n ${NS} logs -l app=apigee-watcher --all-containers --prefix --since=1h --tail=10000 --timestamps`;

// ---------------------------------------------------------------------------------------------
// The shared, warm cluster

let shared: Cluster | undefined;

test.before(async () => {
  shared = await withCluster(SCENARIO.objects, SCENARIO.logs);
  // Warm kubectl's discovery cache, so the timeout rows time out on the resource request only.
  const warm = await shared.cli(['diagnose', 'prod', '-o', 'json']);
  if (warm.exitCode !== 0) throw new Error(`warm-up run failed (exit ${warm.exitCode}): ${warm.stderr}`);
});

test.after.always(async () => {
  await shared?.close();
});

test.beforeEach((t) => {
  (t.context as ClustersContext).clusters = [];
});

// The plugin never writes, whatever the fault: checked after every test, on every cluster it used.
test.afterEach.always((t) => {
  for (const c of (t.context as ClustersContext).clusters) t.deepEqual(c.sim.writeAttempts(), [], `write attempts on ${c.sim.url}`);
  shared?.sim.setFaults([]);
});

function sharedCluster(t: ExecutionContext, faults: FaultRule[] = []): Cluster {
  if (!shared) throw new Error('the shared cluster did not start');
  shared.sim.setFaults(faults);
  shared.sim.clearRequests();
  return track(t, shared);
}

async function ownCluster(t: ExecutionContext, options: SimulatorOptions = {}, objects = SCENARIO.objects, logs = SCENARIO.logs): Promise<Cluster> {
  return track(t, await clusterFor(t, objects, logs, options));
}

async function report(t: ExecutionContext, c: Cluster, args: string[], exitCode: number): Promise<DiagnosisJson> {
  const r = await run(t, c, [...args, '-o', 'json']);
  t.is(r.exitCode, exitCode, r.stderr);
  t.is(r.stderr, '');
  return parseJson(r);
}

const withoutHostnames = (list: readonly string[]): string[] => list.filter((v) => !v.startsWith('hostnames '));

/** One finding of `d`, exactly: its status, summary and the command it mirrors. */
function assertFinding(t: ExecutionContext, d: DiagnosisJson, check: string, expected: { status: string; summary: string; commands?: string[] }): void {
  const f = finding(d, check);
  t.is(f.status, expected.status, check);
  t.is(f.cause, null, check);
  t.is(f.summary, expected.summary, check);
  if (expected.commands) t.deepEqual(f.commands, expected.commands, check);
}

/** The run could not start: exit 3, nothing on stdout, `error: …`, the command, a hint. */
function assertIncomplete(t: ExecutionContext, r: RunResult, first: string | RegExp, command: RegExp, hint: string): void {
  t.is(r.exitCode, 3, r.stderr);
  const err = incompleteLines(r);
  // With -o json, one incomplete document saying the same (CONTRACT "Added later"); else nothing.
  if (r.stdout !== '') assertIncompleteDocument(t, r, err[0] ?? '');
  t.is(err.length, 3, r.stderr);
  if (typeof first === 'string') t.is(err[0], first);
  else t.regex(err[0] ?? '', first);
  t.regex(err[1] ?? '', command);
  t.is(err[2], hint);
  t.notRegex(r.stderr, /error: error:/);
}

// ---------------------------------------------------------------------------------------------
// 403 on each resource the plugin reads (fault rules carry the apiserver's Forbidden wording)

test.serial("403 on the secrets list: ingress-secret is error with kubectl's Forbidden line; the rest still runs; exit 3", async (t) => {
  const c = sharedCluster(t, [{ match: LIST.secrets, code: 403 }]);
  const d = await report(t, c, ['diagnose', 'prod'], 3);
  t.is(d.result, 'incomplete');
  t.deepEqual(verdicts(d), SECRET_UNREADABLE);
  assertFinding(t, d, 'ingress-secret', {
    status: 'error',
    summary: `could not read secrets in namespace "${NS}": Error from server (Forbidden): ${forbidden('secrets')}`,
    commands: [`kubectl -n ${NS} get secrets -o json --show-managed-fields`],
  });
});

test.serial(
  '403 on the pods list (the watcher is read by label): watcher-logs is error naming list pods in namespace apigee; the secret checks still run; exit 3',
  async (t) => {
    const c = sharedCluster(t, [{ match: LIST.pods, code: 403 }]);
    const d = await report(t, c, ['diagnose', 'prod'], 3);
    t.deepEqual(verdicts(d), PODS_UNREAD);
    assertFinding(t, d, 'watcher-logs', {
      status: 'error',
      summary: `could not read the apigee-watcher logs: Error from server (Forbidden): ${forbidden('pods')}`,
      commands: [WATCHER_LOG_COMMAND],
    });
  },
);

test.serial('403 on pods/log: watcher-logs is error naming get pods/log on the watcher pod; exit 3', async (t) => {
  const c = sharedCluster(t, [{ match: WATCHER_LOG, code: 403 }]);
  const d = await report(t, c, ['diagnose', 'prod'], 3);
  t.deepEqual(verdicts(d), healthyWith({ 'watcher-logs': 'watcher-logs error', 'watcher-updates': 'watcher-updates skip' }));
  assertFinding(t, d, 'watcher-logs', {
    status: 'error',
    summary: `could not read the apigee-watcher logs: Error from server (Forbidden): ${forbidden('pods/log', WATCHER)}`,
    commands: [WATCHER_LOG_COMMAND],
  });
});

test.serial('403 on apigeerouteconfigs: route-config is error naming list apigeerouteconfigs; the secret checks still run; exit 3', async (t) => {
  const c = sharedCluster(t, [{ match: LIST.apigeerouteconfigs, code: 403 }]);
  const d = await report(t, c, ['diagnose', 'prod'], 3);
  // Without the route config no ApigeeRoute can be tied to the env group: hostnames is left out here.
  t.deepEqual(
    withoutHostnames(verdicts(d)),
    withoutHostnames(
      healthyWith({ 'ingress-gateway': 'ingress-gateway skip', 'route-config': 'route-config error', 'ingress-gateways': 'ingress-gateways skip' }),
    ),
  );
  assertFinding(t, d, 'route-config', {
    status: 'error',
    summary: `could not read ApigeeRouteConfigs: Error from server (Forbidden): ${forbidden('apigeerouteconfigs')}`,
    commands: [`kubectl -n ${NS} get apigeerouteconfigs -o json --show-managed-fields`],
  });
});

test.serial('403 on apigeeroutes: the hostnames check is error naming list apigeeroutes (not a silent skip); exit 3', async (t) => {
  const c = sharedCluster(t, [{ match: LIST.apigeeroutes, code: 403 }]);
  const r = await run(t, c, ['diagnose', 'prod', '-o', 'json']);
  t.is(r.exitCode, 3, r.stdout);
  const d = parseJson(r);
  t.is(d.result, 'incomplete');
  t.deepEqual(verdicts(d), healthyWith({ hostnames: 'hostnames error' }));
  const f = finding(d, 'hostnames');
  t.true(f.summary.includes(`Error from server (Forbidden): ${forbidden('apigeeroutes')}`), f.summary);
});

test.serial('403 on apigeeissues: apigee-issues is error naming list apigeeissues; exit 3', async (t) => {
  const c = sharedCluster(t, [{ match: LIST.apigeeissues, code: 403 }]);
  const d = await report(t, c, ['diagnose', 'prod'], 3);
  t.deepEqual(verdicts(d), healthyWith({ 'apigee-issues': 'apigee-issues error' }));
  assertFinding(t, d, 'apigee-issues', {
    status: 'error',
    summary: `could not read ApigeeIssues: Error from server (Forbidden): ${forbidden('apigeeissues')}`,
    commands: [`kubectl -n ${NS} get apigeeissues -o json`],
  });
});

test.serial('403 on apigeeorganizations: diagnose ENVGROUP resolves the org from its route config; --all says the list was forbidden (exit 3)', async (t) => {
  const c = sharedCluster(t, [{ match: LIST.apigeeorganizations, code: 403 }]);
  // The org comes from the route config's name: the refused list decided nothing.
  const one = await report(t, c, ['diagnose', 'prod'], 0);
  t.deepEqual(verdicts(one), HEALTHY);

  // --all needs the org to enumerate env groups: the Forbidden line, not "none was found".
  const all = await run(t, c, ['diagnose', '--all']);
  t.is(all.exitCode, 3, all.stderr);
  t.is(all.stdout, '');
  t.true(all.stderr.startsWith('error: '), all.stderr);
  t.true(all.stderr.includes(`Error from server (Forbidden): ${forbidden('apigeeorganizations')}`), all.stderr);
  t.false(all.stderr.includes('no ApigeeOrganization was found'), all.stderr);
});

// ---------------------------------------------------------------------------------------------
// Other answers on a list

test.serial("404 on the apigeeissues list (discovery announces it): apigee-issues is error with kubectl's NotFound line; exit 3", async (t) => {
  const c = sharedCluster(t, [{ match: LIST.apigeeissues, code: 404 }]);
  const d = await report(t, c, ['diagnose', 'prod'], 3);
  t.deepEqual(verdicts(d), healthyWith({ 'apigee-issues': 'apigee-issues error' }));
  assertFinding(t, d, 'apigee-issues', {
    status: 'error',
    summary:
      'could not read ApigeeIssues: Error from server (NotFound): Unable to list "apigee.cloud.google.com/v1alpha1, Resource=apigeeissues": the server could not find the requested resource',
    commands: [`kubectl -n ${NS} get apigeeissues -o json`],
  });
});

test.serial("500 on the secrets list: ingress-secret is error with kubectl's InternalError line; exit 3", async (t) => {
  const c = sharedCluster(t, [{ match: LIST.secrets, code: 500 }]);
  const d = await report(t, c, ['diagnose', 'prod'], 3);
  t.deepEqual(verdicts(d), SECRET_UNREADABLE);
  assertFinding(t, d, 'ingress-secret', {
    status: 'error',
    summary: `could not read secrets in namespace "${NS}": Error from server (InternalError): Internal error occurred: injected fault`,
    commands: [`kubectl -n ${NS} get secrets -o json --show-managed-fields`],
  });
});

test.serial("503 on the pods list (plain-text body): watcher-logs is error with kubectl's ServiceUnavailable line; exit 3", async (t) => {
  const c = sharedCluster(t, [{ match: LIST.pods, code: 503, plainText: true, message: 'upstream connect error' }]);
  const d = await report(t, c, ['diagnose', 'prod'], 3);
  t.deepEqual(verdicts(d), PODS_UNREAD);
  assertFinding(t, d, 'watcher-logs', {
    status: 'error',
    summary: 'could not read the apigee-watcher logs: Error from server (ServiceUnavailable): the server is currently unable to handle the request (get pods)',
    commands: [WATCHER_LOG_COMMAND],
  });
});

test.serial('503 on the apigeeissues list (Status): apigee-issues is error with the Status message; exit 3', async (t) => {
  const c = sharedCluster(t, [{ match: LIST.apigeeissues, code: 503 }]);
  const d = await report(t, c, ['diagnose', 'prod'], 3);
  t.deepEqual(verdicts(d), healthyWith({ 'apigee-issues': 'apigee-issues error' }));
  assertFinding(t, d, 'apigee-issues', {
    status: 'error',
    summary: 'could not read ApigeeIssues: Error from server (ServiceUnavailable): the server is currently unable to handle the request',
  });
});

// ---------------------------------------------------------------------------------------------
// Slow, silent and broken servers

test.serial('a slow server (3 s) with --request-timeout 1s: exit 3 naming the timeout and the secrets list; the flag reached kubectl', async (t) => {
  const c = sharedCluster(t, [{ match: LIST.secrets, delayMs: 3000 }]);
  const r = await run(t, c, ['diagnose', 'prod', '--request-timeout', '1s', '-o', 'json']);
  assertIncomplete(t, r, KUBECTL_TIMEOUT, SECRETS_LIST, REACHABLE_HINT);
  const lists = c.sim.requests.filter((q) => q.path === `/api/v1/namespaces/${NS}/secrets`);
  t.deepEqual(
    lists.map((q) => q.query.timeout),
    ['1s'],
  );
});

test.serial('a server that accepts and never answers, with --request-timeout 2s: exit 3 naming the timeout and the secrets list', async (t) => {
  const c = sharedCluster(t, [{ match: LIST.secrets, hang: true }]);
  const r = await run(t, c, ['diagnose', 'prod', '--request-timeout', '2s']);
  assertIncomplete(t, r, KUBECTL_TIMEOUT, SECRETS_LIST, REACHABLE_HINT);
});

test.serial('a slow apigeeissues list with --request-timeout 1s: apigee-issues is error naming the timeout; the rest still runs', async (t) => {
  const c = sharedCluster(t, [{ match: LIST.apigeeissues, delayMs: 3000 }]);
  const d = await report(t, c, ['diagnose', 'prod', '--request-timeout', '1s'], 3);
  // apigeeissues may share a kubectl call with apigeeroutes, whose hostnames then are unknown too.
  // The pods share the timed-out process with the issues: the gateways cannot be told either.
  t.deepEqual(
    withoutHostnames(verdicts(d)),
    withoutHostnames(
      healthyWith({ 'ingress-gateway': 'ingress-gateway error', 'apigee-issues': 'apigee-issues error', 'ingress-gateways': 'ingress-gateways error' }),
    ),
  );
  const f = finding(d, 'apigee-issues');
  t.regex(f.summary, /^could not read ApigeeIssues: Unable to connect to the server: (context deadline exceeded|net\/http: request canceled)/);
  // The command that timed out, as it ran (alone, or with other types in one call).
  t.is(f.commands.length, 1);
  t.regex(f.commands[0] ?? '', /^kubectl -n apigee get ([a-z]+,)*apigeeissues(,[a-z]+)* -o json$/);
});

test.serial('the connection dropped mid-request (socket destroyed; kubectl retries): exit 3, "Unable to connect to the server: EOF"', async (t) => {
  const c = sharedCluster(t, [{ match: LIST.secrets, destroy: true }]);
  const r = await run(t, c, ['diagnose', 'prod', '-o', 'json']);
  assertIncomplete(t, r, 'error: Unable to connect to the server: EOF', SECRETS_LIST, REACHABLE_HINT);
  t.true(c.sim.requests.filter((q) => q.path === `/api/v1/namespaces/${NS}/secrets`).length > 1, 'kubectl retried the GET');
});

test.serial("a dropped connection that recovers (destroyed once): kubectl's retry succeeds and the diagnosis is complete", async (t) => {
  const c = sharedCluster(t, [{ match: LIST.secrets, destroy: true, times: 1 }]);
  const d = await report(t, c, ['diagnose', 'prod'], 0);
  t.deepEqual(verdicts(d), HEALTHY);
});

test.serial(
  '--timeout bounds the whole run: a hanging secrets list and --timeout 3s (no --request-timeout) end in exit 3 saying the deadline passed',
  async (t) => {
    const c = sharedCluster(t, [{ match: LIST.secrets, hang: true }]);
    const r = await run(t, c, ['diagnose', 'prod', '--timeout', '3s', '-o', 'json']);
    t.is(r.exitCode, 3, r.stderr);
    const err = incompleteLines(r);
    assertIncompleteDocument(t, r, err[0] ?? '');
    t.is(err.length, 3, r.stderr);
    t.regex(err[0] ?? '', /^error: .*deadline .*passed/);
    // The run knows it was its deadline (nobody pressed Ctrl-C): the message says so, not "or …".
    t.notRegex(err[0] ?? '', /interrupted/);
    t.regex(err[1] ?? '', SECRETS_LIST);
    t.is(err[2], 'Raise --timeout to give the run more time.');
  },
);

// ---------------------------------------------------------------------------------------------
// The watcher's log

test.serial("404 on the watcher's log (the pod was replaced meanwhile): watcher-logs is error; the rest still runs", async (t) => {
  const c = sharedCluster(t, [{ match: WATCHER_LOG, code: 404 }]);
  const d = await report(t, c, ['diagnose', 'prod'], 3);
  t.deepEqual(verdicts(d), healthyWith({ 'watcher-logs': 'watcher-logs error', 'watcher-updates': 'watcher-updates skip' }));
  assertFinding(t, d, 'watcher-logs', {
    status: 'error',
    summary: `could not read the apigee-watcher logs: Error from server (NotFound): pods "${WATCHER}" not found`,
    commands: [WATCHER_LOG_COMMAND],
  });
  // The missing secret of `gone` is still found from the secret list: exit 1.
  const gone = await report(t, c, ['diagnose', 'gone'], 1);
  t.deepEqual(verdicts(gone), ['watcher-logs error', ...GONE.slice(1).map((v) => (v === 'watcher-updates pass' ? 'watcher-updates skip' : v))]);
});

test.serial('a watcher container with an empty log: watcher-logs passes saying none reports the secret', async (t) => {
  const c = sharedCluster(t);
  c.sim.setLogs({});
  try {
    const d = await report(t, c, ['diagnose', 'prod'], 0);
    t.deepEqual(verdicts(d), HEALTHY);
    assertFinding(t, d, 'watcher-logs', { status: 'pass', summary: 'read the apigee-watcher logs of the last 1h: none reports secret "acme-prod" missing' });
  } finally {
    c.sim.setLogs(SCENARIO.logs);
  }
});

test("a restarting watcher (CrashLoopBackOff, its log request fails): watcher-logs is error with kubectl's line; the secret checks still run", async (t) => {
  const restarting = SCENARIO.objects.map((o) =>
    o.metadata.name === WATCHER ? watcherPod({ org: ORG, name: WATCHER, waitingReason: 'CrashLoopBackOff', restartCount: 7 }) : o,
  );
  const c = await ownCluster(t, {}, restarting);
  const d = await report(t, c, ['diagnose', 'prod'], 3);
  t.deepEqual(verdicts(d), healthyWith({ 'watcher-logs': 'watcher-logs error', 'watcher-updates': 'watcher-updates skip' }));
  assertFinding(t, d, 'watcher-logs', {
    status: 'error',
    summary: `could not read the apigee-watcher logs: Error from server (BadRequest): container "apigee-watcher" in pod "${WATCHER}" is waiting to start: CrashLoopBackOff`,
    commands: [WATCHER_LOG_COMMAND],
  });
  const gone = await report(t, c, ['diagnose', 'gone'], 1);
  t.deepEqual(verdicts(gone), ['watcher-logs error', ...GONE.slice(1).map((v) => (v === 'watcher-updates pass' ? 'watcher-updates skip' : v))]);
});

test('a second watcher replica that restarts does not hide the readable one: watcher-logs passes and notes the failure; the watcher line is evidence', async (t) => {
  // Named to sort before the healthy replica: `kubectl logs -l` stops at the first failing container.
  const restarting = 'apigee-watcher-0restarting';
  const second = watcherPod({ org: ORG, name: restarting, waitingReason: 'CrashLoopBackOff', restartCount: 3 });
  const c = await ownCluster(t, {}, [...SCENARIO.objects, second]);
  for (let i = 0; i < 2; i += 1) {
    const d = await report(t, c, ['diagnose', 'gone'], 1);
    t.deepEqual(verdicts(d), GONE);
    const f = finding(d, 'watcher-logs');
    t.is(f.summary, 'read the apigee-watcher logs of the last 1h: 1 line reports secret "acme-gone" missing');
    t.deepEqual([...f.evidence].sort(), [
      `could not read: Error from server (BadRequest): container "apigee-watcher" in pod "${restarting}" is waiting to start: CrashLoopBackOff`,
      `read ${WATCHER}/apigee-watcher`,
    ]);
    t.is(finding(d, 'ingress-secret').evidence[0], watcherSecretNotFoundLine('acme-gone'));
  }
});

// ---------------------------------------------------------------------------------------------
// Discovery

test('Apigee CRDs absent (--org given): route-config and apigee-issues skip saying why; the secret checks still run', async (t) => {
  const c = await ownCluster(t, { apigeeCrds: false });
  const d = await report(t, c, ['diagnose', 'prod', '--org', ORG], 0);
  t.is(d.result, 'healthy');
  t.deepEqual(
    verdicts(d),
    healthyWith({
      hostnames: 'hostnames skip',
      'ingress-gateway': 'ingress-gateway skip',
      'apigee-issues': 'apigee-issues skip',
      'route-config': 'route-config skip',
      'ingress-gateways': 'ingress-gateways skip',
    }),
  );
  t.is(finding(d, 'apigee-issues').summary, crdAbsent('apigeeissues'));
  t.is(finding(d, 'route-config').summary, crdAbsent('apigeerouteconfigs'));
  const gone = await report(t, c, ['diagnose', 'gone', '--org', ORG], 1);
  t.deepEqual(verdicts(gone), [
    'watcher-logs pass',
    'ingress-secret fail missing-ingress-secret',
    'secret-keys skip',
    'certificate skip',
    'route-secret skip',
    'ingress-gateway skip',
    'ingress-manager pass',
    'ingress-gateways skip',
    'watcher-updates pass',
    'apigee-issues skip',
    'route-config skip',
  ]);
});

test('Apigee CRDs absent, --all --org: no env group can be enumerated, so the run is incomplete (exit 3), not an empty healthy list', async (t) => {
  const c = await ownCluster(t, { apigeeCrds: false });
  const r = await run(t, c, ['diagnose', '--all', '--org', ORG, '-o', 'json']);
  t.is(r.exitCode, 3, r.stdout);
  t.regex(r.stderr, /^error: /);
  t.regex(r.stderr, /not installed/);
});

test('one Apigee CRD not served (apigeeissues): apigee-issues skips naming that resource type; everything else runs', async (t) => {
  const c = await ownCluster(t, { apigeeVersions: { apigeeissues: [] } });
  const d = await report(t, c, ['diagnose', 'prod'], 0);
  t.deepEqual(verdicts(d), healthyWith({ 'apigee-issues': 'apigee-issues skip' }));
  // The other Apigee CRDs are installed: the reason must name the missing one, not all of them.
  t.regex(finding(d, 'apigee-issues').summary, /apigeeissues/);
});

test('discovery of the Apigee group fails (legacy discovery, 503 on its group documents): route-config and apigee-issues are error, not "not installed"', async (t) => {
  const c = await ownCluster(t, { aggregatedDiscovery: false, faults: [{ match: '^GET /apis/apigee\\.cloud\\.google\\.com/v1alpha\\d(\\?|$)', code: 503 }] });
  const r = await run(t, c, ['diagnose', 'prod', '--org', ORG, '-o', 'json']);
  t.is(r.exitCode, 3, r.stdout);
  const d = parseJson(r);
  t.is(d.result, 'incomplete');
  for (const check of ['apigee-issues', 'route-config']) {
    const f = finding(d, check);
    t.is(f.status, 'error', check);
    t.notRegex(f.summary, /not on this cluster/, check);
    t.true(f.summary.includes('the server is currently unable to handle the request'), f.summary);
    t.true(f.summary.includes('apigee.cloud.google.com'), f.summary);
  }
  // The core reads were unaffected.
  for (const check of ['watcher-logs', 'ingress-secret', 'certificate', 'private-key', 'key-match']) t.is(finding(d, check).status, 'pass', check);
});

test('discovery fails for every group (aggregated, 503 on /apis, cold cache): every cluster check is error with the line; without --org, exit 3 says why', async (t) => {
  const c = await ownCluster(t, { faults: [{ match: '^GET /apis(\\?|$)', code: 503 }] });
  const unavailable = 'Error from server (ServiceUnavailable): the server is currently unable to handle the request';
  const d = await report(t, c, ['diagnose', 'prod', '--org', ORG], 3);
  t.deepEqual(
    verdicts(d).filter((v) => !v.startsWith('ingress-gateway ')),
    [
      'watcher-logs error',
      'ingress-secret error',
      'secret-keys skip',
      'certificate skip',
      'route-secret skip',
      'ingress-manager error',
      'ingress-gateways error',
      'watcher-updates skip',
      'apigee-issues error',
      'route-config error',
    ],
  );
  t.is(finding(d, 'watcher-logs').summary, `could not read the apigee-watcher logs: ${unavailable}`);
  t.is(finding(d, 'ingress-secret').summary, `could not read secrets in namespace "${NS}": ${unavailable}`);
  t.is(finding(d, 'apigee-issues').summary, `could not read ApigeeIssues: ${unavailable}`);
  t.is(finding(d, 'route-config').summary, `could not read ApigeeRouteConfigs: ${unavailable}`);

  // Without --org the org cannot be resolved: say what failed, not that nothing was found.
  const r = await run(t, c, ['diagnose', 'prod']);
  t.is(r.exitCode, 3, r.stderr);
  t.true(`${r.stdout}\n${r.stderr}`.includes(unavailable), r.stderr);
  t.false(r.stderr.includes('no ApigeeOrganization was found'), r.stderr);
});

// ---------------------------------------------------------------------------------------------
// Where the cluster is not what the flags say

test.serial('a namespace that does not exist (-n nosuch): exit 3 saying so, never a "missing secret" cause', async (t) => {
  const c = sharedCluster(t);
  for (const args of [
    ['diagnose', 'prod', '-n', 'nosuch', '--org', ORG, '-o', 'json'],
    ['diagnose', 'prod', '-n', 'nosuch'],
    ['diagnose', '--all', '-n', 'nosuch', '--org', ORG, '-o', 'json'],
  ]) {
    const r = await run(t, c, args);
    t.is(r.exitCode, 3, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    t.regex(`${r.stdout}\n${r.stderr}`, NAMESPACE_MISSING, args.join(' '));
    t.notRegex(r.stdout, /missing-ingress-secret/, args.join(' '));
  }
});

test.serial("Unauthorized (a wrong token): exit 3 with kubectl's login line, the command and a hint", async (t) => {
  const c = sharedCluster(t);
  const kubeconfig = writeKubeconfig(join(c.dir, 'wrong-token'), kubeconfigYaml({ server: c.sim.url, caPem: c.sim.caPem, token: 'not-the-token' }));
  const r = await run(t, c, ['diagnose', 'prod', '--kubeconfig', kubeconfig]);
  assertIncomplete(
    t,
    r,
    /^error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)$/,
    SECRETS_LIST,
    LOGIN_HINT,
  );
  t.true(c.sim.requests.length > 0);
  t.true(c.sim.requests.every((q) => q.status === 401 && q.user === ''));
});

test.serial("connection refused (nothing listens on the port): exit 3 with kubectl's line, the command and a hint", async (t) => {
  const c = sharedCluster(t);
  const port = await closedPort();
  const kubeconfig = writeKubeconfig(join(c.dir, 'refused'), kubeconfigYaml({ server: `https://127.0.0.1:${port}`, caPem: c.sim.caPem, token: c.sim.token }));
  const r = await run(t, c, ['diagnose', 'prod', '--kubeconfig', kubeconfig, '--request-timeout', '5s']);
  assertIncomplete(
    t,
    r,
    `error: The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`,
    SECRETS_LIST,
    REACHABLE_HINT,
  );
});

test.serial('--all with a failing apigeeissues list (500): every item says so and keeps its other verdicts', async (t) => {
  const c = sharedCluster(t, [{ match: LIST.apigeeissues, code: 500 }]);
  const r = await run(t, c, ['diagnose', '--all', '-o', 'json']);
  t.is(r.exitCode, 1, r.stderr);
  const list = parseJson<DiagnosisListJson>(r);
  t.deepEqual(verdicts(item(list, 'prod')), healthyWith({ 'apigee-issues': 'apigee-issues error' }));
  t.deepEqual(verdicts(item(list, 'gone')), [...GONE.slice(0, 9), 'apigee-issues error', 'route-config pass']);
  t.is(
    finding(item(list, 'prod'), 'apigee-issues').summary,
    'could not read ApigeeIssues: Error from server (InternalError): Internal error occurred: injected fault',
  );
});
