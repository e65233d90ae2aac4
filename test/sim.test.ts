// The simulated Apigee cluster, driven by the real kubectl (and, where kubectl cannot reach a
// behaviour, by plain HTTPS requests). Exit codes and message texts are asserted exactly.
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import test from 'ava';
import { parse } from 'yaml';
import {
  AGGREGATED_V2,
  apigeeCluster,
  apigeeEnvironment,
  apigeeIssue,
  apigeeOrganization,
  encodeEnvName,
  encodeOrgName,
  generatedLog,
  generatedRouteName,
  ingressGatewayPod,
  logEntries,
  route,
  routeConfig,
  secret,
  startSimulator,
  tlsSecret,
  watcherPod,
  watcherSecretNotFoundLine,
  type K8sObject,
  type LogMap,
  type Simulator,
} from '../src/sim/index.js';
import { clusterFor, leakedKeyLines, stripKlog } from './helpers/cluster.js';

const ORG = 'my-org';
const NS = 'apigee';
const USER = 'system:serviceaccount:apigee:tls-diagnose';
// Stand-ins for PEM bytes: the simulator stores whatever it is given.
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBsimulatedcert\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEsimulatedprivatekeybodyline\n-----END PRIVATE KEY-----\n';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const now = new Date();
const minutesAgo = (m: number): Date => new Date(now.getTime() - m * 60_000);

const watcher = watcherPod({ org: ORG });
const ingress = ingressGatewayPod({ org: ORG });
const arc = routeConfig({ org: ORG, envgroup: 'prod', helmRelease: 'my-org-prod', errors: ['secret my-org-prod not found'] });

function objects(): K8sObject[] {
  return [
    tlsSecret({ name: 'my-org-prod', cert: CERT, key: KEY, layout: 'generic' }),
    tlsSecret({ name: 'my-org-test', cert: CERT, key: KEY, layout: 'kubernetes.io/tls', ca: CERT }),
    secret({ name: 'other-ns-secret', namespace: 'kube-system' }),
    watcher,
    ingress,
    // Stored at v1alpha1, served at the preferred v1alpha2, like a CRD with two served versions.
    apigeeOrganization(ORG, { name: encodeOrgName(ORG), version: 'v1alpha1' }),
    apigeeEnvironment(ORG, 'dev', { name: encodeEnvName(ORG, 'dev') }),
    arc,
    route({ routeConfig: arc, hostnames: ['api.example.com'] }),
    apigeeIssue({
      name: 'ingress-cert-expired-my-org-prod',
      reason: 'AIS_INGRESS_CERT_EXPIREY',
      severity: 'ERROR',
      routeConfig: arc.metadata.name,
      secret: 'my-org-prod',
      org: encodeOrgName(ORG),
    }),
  ];
}

function logs(): LogMap {
  return {
    [`${watcher.metadata.name}/apigee-watcher`]: [
      { time: minutesAgo(180), line: 'old line 1' },
      { time: minutesAgo(120), line: 'old line 2' },
      { time: minutesAgo(50), line: 'recent line 1' },
      { time: minutesAgo(40), line: watcherSecretNotFoundLine('my-org-prod', NS) },
      { time: minutesAgo(30), line: 'recent line 3' },
    ],
  };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTPS request to the simulator, trusting its CA. */
function call(sim: Simulator, path: string, o: { token?: string | null; accept?: string; method?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: o.accept ?? 'application/json' };
    const token = o.token === undefined ? sim.token : o.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const req = request(`${sim.url}${path}`, { method: o.method ?? 'GET', ca: sim.caPem, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function standalone(t: { teardown(fn: () => Promise<void>): void }, options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const sim = await startSimulator(options);
  t.teardown(() => sim.close());
  return sim;
}

// ---------------------------------------------------------------------------------------------
// Core resources through the real kubectl

test('get secrets -o json lists the secrets of the context namespace, as kubectl 1.32', async (t) => {
  const c = await clusterFor(t, objects(), logs());
  const r = await c.kubectl(['get', 'secrets', '-o', 'json']);
  t.is(r.exitCode, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { kind: string; items: K8sObject[] };
  t.is(list.kind, 'List');
  t.deepEqual(
    list.items.map((i) => i.metadata.name),
    ['my-org-prod', 'my-org-test'],
  );
  const prod = list.items[0] as K8sObject & { type: string; data: Record<string, string> };
  t.is(prod.type, 'Opaque');
  t.deepEqual(prod.data, { cert: b64(CERT), key: b64(KEY) });

  const reqs = c.sim.resourceRequests();
  t.is(reqs.length, 1);
  t.is(reqs[0]?.path, '/api/v1/namespaces/apigee/secrets');
  t.is(reqs[0]?.query.limit, '500');
  t.is(reqs[0]?.accept, 'application/json');
  t.is(reqs[0]?.status, 200);
  // The dispatcher ran its built-in v1.32 kubectl, not another minor version.
  t.regex(reqs[0]?.userAgent ?? '', /^kubectl\/v1\.32\./);
  t.true(c.sim.requests.every((q) => q.user === USER));
  t.deepEqual(leakedKeyLines(r.stderr, KEY), []);
});

test('get secret NAME -o jsonpath prints one data key, no trailing newline', async (t) => {
  const c = await clusterFor(t, objects());
  const generic = await c.kubectl(['get', 'secret', 'my-org-prod', '-o', 'jsonpath={.data.cert}']);
  t.is(generic.exitCode, 0, generic.stderr);
  t.is(generic.stdout, b64(CERT));
  const tls = await c.kubectl(['get', 'secret', 'my-org-test', '-o', 'jsonpath={.data.tls\\.crt}']);
  t.is(tls.exitCode, 0, tls.stderr);
  t.is(tls.stdout, b64(CERT));
  t.deepEqual(
    c.sim.resourceRequests().map((q) => q.path),
    ['/api/v1/namespaces/apigee/secrets/my-org-prod', '/api/v1/namespaces/apigee/secrets/my-org-test'],
  );
});

test('get secrets (human) prints the real NAME TYPE DATA AGE table', async (t) => {
  const c = await clusterFor(t, objects());
  const r = await c.kubectl(['get', 'secrets']);
  t.is(r.exitCode, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  t.regex(lines[0] ?? '', /^NAME\s+TYPE\s+DATA\s+AGE$/);
  t.regex(lines[1] ?? '', /^my-org-prod\s+Opaque\s+2\s+\S+$/);
  t.regex(lines[2] ?? '', /^my-org-test\s+kubernetes\.io\/tls\s+3\s+\S+$/);
});

test('a missing named secret gives NotFound after the namespace lookup', async (t) => {
  const c = await clusterFor(t, objects());
  const r = await c.kubectl(['get', 'secret', 'nope', '-o', 'json']);
  t.is(r.exitCode, 1);
  t.is(r.stdout, '');
  t.is(r.stderr.trim(), 'Error from server (NotFound): secrets "nope" not found');
  t.true(c.sim.requests.some((q) => q.path === '/api/v1/namespaces/apigee' && q.status === 200));
  // Namespace lookups are not resource requests.
  t.deepEqual(
    c.sim.resourceRequests().map((q) => `${q.path} ${q.status}`),
    ['/api/v1/namespaces/apigee/secrets/nope 404'],
  );

  const other = await c.kubectl(['-n', 'nosuch', 'get', 'secret', 'x']);
  t.is(other.exitCode, 1);
  t.is(other.stderr.trim(), 'Error from server (NotFound): namespaces "nosuch" not found');
});

test('get pods -l app=apigee-watcher -o json selects by label', async (t) => {
  const c = await clusterFor(t, objects());
  const r = await c.kubectl(['get', 'pods', '-l', 'app=apigee-watcher', '-o', 'json']);
  t.is(r.exitCode, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { items: K8sObject[] };
  t.deepEqual(
    list.items.map((i) => i.metadata.name),
    [watcher.metadata.name],
  );
  t.regex(watcher.metadata.name, /^apigee-watcher-my-org-[0-9a-f]{7}-/);
  const req = c.sim.resourceRequests()[0];
  t.is(req?.path, '/api/v1/namespaces/apigee/pods');
  t.is(req?.query.labelSelector, 'app=apigee-watcher');

  const gw = await c.kubectl(['get', 'pods', '-l', 'app=apigee-ingressgateway,ingress_name=apigee-ingress', '-o', 'name']);
  t.is(gw.exitCode, 0, gw.stderr);
  t.is(gw.stdout, `pod/${ingress.metadata.name}\n`);
});

// ---------------------------------------------------------------------------------------------
// Logs

test('logs --since=1h --tail=2 returns the last two lines within the hour', async (t) => {
  const c = await clusterFor(t, objects(), logs());
  const r = await c.kubectl(['logs', watcher.metadata.name, '--since=1h', '--tail=2']);
  t.is(r.exitCode, 0, r.stderr);
  t.is(r.stdout, `${watcherSecretNotFoundLine('my-org-prod', NS)}\nrecent line 3\n`);
  const log = c.sim.resourceRequests().find((q) => q.path.endsWith('/log'));
  t.deepEqual({ ...log?.query, timeout: undefined }, { container: 'apigee-watcher', sinceSeconds: '3600', tailLines: '2', timeout: undefined });

  const since = await c.kubectl(['logs', watcher.metadata.name, '--since=1h']);
  t.is(since.stdout, `recent line 1\n${watcherSecretNotFoundLine('my-org-prod', NS)}\nrecent line 3\n`);
  const sinceTime = await c.kubectl(['logs', watcher.metadata.name, `--since-time=${minutesAgo(35).toISOString()}`]);
  t.is(sinceTime.exitCode, 0, sinceTime.stderr);
  t.is(sinceTime.stdout, 'recent line 3\n');
  const all = await c.kubectl(['logs', watcher.metadata.name]);
  t.is(all.stdout.split('\n').length, 6);
});

test('logs -c missing fails like a real cluster', async (t) => {
  const c = await clusterFor(t, objects(), logs());
  const r = await c.kubectl(['logs', watcher.metadata.name, '-c', 'missing']);
  t.is(r.exitCode, 1);
  t.is(r.stdout, '');
  t.is(r.stderr.trim(), `error: container missing is not valid for pod ${watcher.metadata.name}`);
  // kubectl checks the pod spec itself; the apiserver's own check says the same.
  const direct = await call(c.sim, `/api/v1/namespaces/apigee/pods/${watcher.metadata.name}/log?container=missing`);
  t.is(direct.status, 400);
  t.like(JSON.parse(direct.body), {
    kind: 'Status',
    reason: 'BadRequest',
    code: 400,
    message: `container missing is not valid for pod ${watcher.metadata.name}`,
  });
});

test('logs of a multi-container pod default to the first container, and -l reads them all', async (t) => {
  const pod = watcherPod({ org: ORG, containers: ['apigee-watcher', 'sidecar'] });
  const c = await clusterFor(t, [pod], {
    [`${pod.metadata.name}/apigee-watcher`]: ['w1', 'w2'],
    [`${NS}/${pod.metadata.name}/sidecar`]: ['s1'],
  });
  const r = await c.kubectl(['logs', pod.metadata.name]);
  t.is(r.exitCode, 0);
  t.is(r.stdout, 'w1\nw2\n');
  t.is(r.stderr.trim(), 'Defaulted container "apigee-watcher" out of: apigee-watcher, sidecar');
  const all = await c.kubectl(['logs', '-l', 'app=apigee-watcher', '--all-containers', '--prefix']);
  t.is(all.exitCode, 0, all.stderr);
  const prefix = `[pod/${pod.metadata.name}`;
  // kubectl fetches containers in parallel: order between containers varies, within one it holds.
  t.deepEqual(all.stdout.trimEnd().split('\n').sort(), [`${prefix}/apigee-watcher] w1`, `${prefix}/apigee-watcher] w2`, `${prefix}/sidecar] s1`]);
  t.regex(all.stdout, /w1\n(?:.*\n)?.*w2\n/);
});

test('a generated log streams, and tailLines keeps only the last lines', async (t) => {
  const lines = 300_000;
  const tell = watcherSecretNotFoundLine('my-org-prod', NS, { json: true, time: now });
  const sim = await standalone(t, {
    objects: [watcher],
    logs: { [`${watcher.metadata.name}/apigee-watcher`]: generatedLog({ lines, inject: { [lines - 2]: tell } }) },
  });
  const base = `/api/v1/namespaces/apigee/pods/${watcher.metadata.name}/log`;
  const tail = await call(sim, `${base}?tailLines=2&timestamps=true`);
  t.is(tail.status, 200);
  t.is(tail.headers['content-type'], 'text/plain');
  const [first, second] = tail.body.split('\n');
  t.regex(
    first ?? '',
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \{"level":"error","ts":[\d.]+,"msg":"NOT_FOUND: failed to get secret \\"my-org-prod\\" in namespace \\"apigee\\": secrets \\"my-org-prod\\" not found"\}$/,
  );
  t.regex(second ?? '', /iteration 299999$/);
  const full = await call(sim, base);
  t.is(full.headers['transfer-encoding'], 'chunked'); // streamed, never one Content-Length body
  t.is(full.body.split('\n').length, lines + 1);
  const limited = await call(sim, `${base}?limitBytes=10`);
  t.is(limited.body.length, 10);
});

test('logs: RBAC without pods/log is Forbidden with the apiserver wording', async (t) => {
  const c = await clusterFor(t, objects(), logs(), {
    rbac: { rules: [{ verbs: ['get', 'list'], resources: ['pods', 'secrets'], apiGroups: [''], namespaces: [NS] }] },
  });
  const pods = await c.kubectl(['get', 'pods', '-o', 'name']);
  t.is(pods.exitCode, 0, pods.stderr);
  const r = await c.kubectl(['logs', watcher.metadata.name]);
  t.is(r.exitCode, 1);
  t.is(r.stdout, '');
  t.is(
    r.stderr.trim(),
    `Error from server (Forbidden): pods "${watcher.metadata.name}" is forbidden: User "${USER}" cannot get resource "pods/log" in API group "" in the namespace "apigee"`,
  );
  const arcs = await c.kubectl(['get', 'arc', '-A']);
  t.is(arcs.exitCode, 1);
  t.is(
    arcs.stderr.trim(),
    `Error from server (Forbidden): apigeerouteconfigs.apigee.cloud.google.com is forbidden: User "${USER}" cannot list resource "apigeerouteconfigs" in API group "apigee.cloud.google.com" at the cluster scope`,
  );
  c.sim.setRbac(undefined);
  const allowed = await c.kubectl(['logs', watcher.metadata.name, '--tail=1']);
  t.is(allowed.exitCode, 0, allowed.stderr);
  t.is(allowed.stdout, 'recent line 3\n');
});

// ---------------------------------------------------------------------------------------------
// Apigee custom resources

test('Apigee resources are served at their discovered versions', async (t) => {
  const c = await clusterFor(t, objects());
  const cases: Array<[string, string, string[]]> = [
    ['apigeerouteconfigs', 'v1alpha1', [arc.metadata.name]],
    // 1.15 serves ApigeeRoute at v1alpha2 beside v1alpha1 (reference/apigee.md §12.2).
    ['apigeeroutes', 'v1alpha2', [generatedRouteName(arc.metadata.name)]],
    ['apigeeorganizations', 'v1alpha2', [encodeOrgName(ORG)]],
    ['apigeeenvironments', 'v1alpha2', [encodeEnvName(ORG, 'dev')]],
    ['apigeeissues', 'v1alpha1', ['ingress-cert-expired-my-org-prod']],
  ];
  for (const [plural, version, names] of cases) {
    c.sim.clearRequests();
    const r = await c.kubectl(['get', plural, '-o', 'json']);
    t.is(r.exitCode, 0, `${plural}: ${r.stderr}`);
    const items = (JSON.parse(r.stdout) as { items: K8sObject[] }).items;
    t.deepEqual(
      items.map((i) => i.metadata.name),
      names,
      plural,
    );
    t.true(
      items.every((i) => i.apiVersion === `apigee.cloud.google.com/${version}`),
      plural,
    );
    t.deepEqual(
      c.sim.resourceRequests().map((q) => q.path),
      [`/apis/apigee.cloud.google.com/${version}/namespaces/apigee/${plural}`],
    );
  }
});

test('Apigee objects keep the fields the product reads', async (t) => {
  const c = await clusterFor(t, objects());
  const r = await c.kubectl(['get', 'apigeerouteconfigs', arc.metadata.name, '-o', 'json']);
  t.is(r.exitCode, 0, r.stderr);
  const got = JSON.parse(r.stdout) as K8sObject & { spec: { tls: Record<string, string> }; status: { errors: unknown[] } };
  t.deepEqual(got.spec.tls, { mode: 'SIMPLE', secretNameRef: 'my-org-prod' });
  t.deepEqual(got.status.errors, [{ generation: 1, message: 'secret my-org-prod not found' }]);
  t.is(got.metadata.annotations?.['meta.helm.sh/release-name'], 'my-org-prod');
  t.is(got.metadata.annotations?.['meta.helm.sh/release-namespace'], 'apigee');

  const routes = await c.kubectl(['get', 'apigeeroutes', '-o', 'jsonpath={.items[0].spec.hostnames[0]} {.items[0].spec.ports[0].tls.credentialName}']);
  t.is(routes.stdout, 'api.example.com my-org-prod');
  const issues = await c.kubectl(['get', 'apigeeissues', '-l', 'ais-reason=AIS_INGRESS_CERT_EXPIREY', '-o', 'jsonpath={.items[*].spec.details}']);
  t.is(issues.exitCode, 0, issues.stderr);
  t.regex(issues.stdout, /secret "my-org-prod" referenced by ApigeeRouteConfig "my-org-prod"/);
});

test('short names arc, ar, apigeeorg and apigeeenv resolve through discovery', async (t) => {
  const c = await clusterFor(t, objects());
  const r = await c.kubectl(['get', 'arc']);
  t.is(r.exitCode, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  t.regex(lines[0] ?? '', /^NAME\s+STATE\s+AGE$/);
  t.regex(lines[1] ?? '', /^my-org-prod\s+error\s+\S+$/);
  const ar = await c.kubectl(['get', 'ar', '-o', 'name']);
  t.is(ar.stdout, `apigeeroute.apigee.cloud.google.com/${generatedRouteName(arc.metadata.name)}\n`);
  const org = await c.kubectl(['get', 'apigeeorg', '-o', 'jsonpath={.items[0].metadata.name}']);
  t.is(org.stdout, encodeOrgName(ORG));
  const env = await c.kubectl(['get', 'apigeeenv', '-o', 'name']);
  t.is(env.stdout, `apigeeenvironment.apigee.cloud.google.com/${encodeEnvName(ORG, 'dev')}\n`);
});

test('apigeeCrds: false leaves the Apigee group out of discovery', async (t) => {
  const c = await clusterFor(t, objects(), {}, { apigeeCrds: false });
  const r = await c.kubectl(['get', 'apigeeroutes']);
  t.is(r.exitCode, 1);
  t.is(r.stdout, '');
  t.is(r.stderr.trim(), 'error: the server doesn\'t have a resource type "apigeeroutes"');
  const orgs = await c.kubectl(['get', 'apigeeorganizations', '-A', '-o', 'json']);
  t.is(orgs.exitCode, 1);
  t.is(orgs.stderr.trim(), 'error: the server doesn\'t have a resource type "apigeeorganizations"');
  const secrets = await c.kubectl(['get', 'secrets', '-o', 'name']);
  t.is(secrets.exitCode, 0, secrets.stderr);
});

test('legacy discovery and version overrides still resolve the preferred versions', async (t) => {
  const c = await clusterFor(t, objects(), {}, { aggregatedDiscovery: false, apigeeVersions: { apigeeroutes: ['v1alpha1', 'v1alpha2'] } });
  const routes = await c.kubectl(['get', 'ar', '-o', 'jsonpath={.items[0].apiVersion}']);
  t.is(routes.exitCode, 0, routes.stderr);
  t.is(routes.stdout, 'apigee.cloud.google.com/v1alpha2');
  const orgs = await c.kubectl(['get', 'apigeeorg', '-o', 'name']);
  t.is(orgs.exitCode, 0, orgs.stderr);
  const paths = c.sim.requests.map((q) => q.path);
  t.true(paths.includes('/apis/apigee.cloud.google.com/v1alpha2'));
  t.true(paths.includes('/apis/apigee.cloud.google.com/v1alpha2/namespaces/apigee/apigeeorganizations'));
  const apis = c.sim.requests.find((q) => q.path === '/apis');
  t.regex(apis?.accept ?? '', /as=APIGroupDiscoveryList/);
});

// ---------------------------------------------------------------------------------------------
// Faults, auth, read-only

test('a 403 fault prints the RBAC message verbatim and exits 1', async (t) => {
  const c = await clusterFor(t, objects(), {}, { faults: [{ match: '/secrets', code: 403, times: 2 }] });
  const expected = `Error from server (Forbidden): secrets is forbidden: User "${USER}" cannot list resource "secrets" in API group "" in the namespace "apigee"`;
  const human = await c.kubectl(['get', 'secrets']);
  t.is(human.exitCode, 1);
  t.is(human.stdout, '');
  t.is(human.stderr.trim(), expected);
  const json = await c.kubectl(['get', 'secrets', '-o', 'json']);
  t.is(json.exitCode, 1);
  t.deepEqual(JSON.parse(json.stdout), { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } });
  t.is(json.stderr.trim(), expected);
  // times: 2 is spent; the third call gets the real answer.
  const ok = await c.kubectl(['get', 'secrets', '-o', 'name']);
  t.is(ok.exitCode, 0, ok.stderr);
  t.deepEqual(
    c.sim.resourceRequests().map((q) => [q.status, q.fault]),
    [
      [403, true],
      [403, true],
      [200, false],
    ],
  );
});

test('faults: custom message, plain text, 500 and setFaults at run time', async (t) => {
  const c = await clusterFor(t, objects());
  c.sim.setFaults([{ match: /secrets\/my-org-prod/, code: 403, message: 'custom denial' }]);
  const named = await c.kubectl(['get', 'secret', 'my-org-prod', '-o', 'jsonpath={.data.cert}']);
  t.is(named.exitCode, 1);
  t.is(named.stderr.trim(), 'Error from server (Forbidden): custom denial');
  c.sim.setFaults([{ match: '^GET /api/v1/namespaces/apigee/secrets', code: 503, plainText: true, message: 'upstream down' }]);
  const plain = await c.kubectl(['get', 'secrets']);
  t.is(plain.exitCode, 1);
  t.is(plain.stderr.trim(), 'Error from server (ServiceUnavailable): the server is currently unable to handle the request (get secrets)');
  c.sim.setFaults([{ match: '/secrets', code: 500 }]);
  const internal = await c.kubectl(['get', 'secrets', '-o', 'json']);
  t.is(internal.exitCode, 1);
  t.is(internal.stderr.trim(), 'Error from server (InternalError): Internal error occurred: injected fault');
  c.sim.setFaults([]);
  t.is((await c.kubectl(['get', 'secrets', '-o', 'name'])).exitCode, 0);
});

test('a wrong token gets 401 and kubectl asks to log in', async (t) => {
  const c = await clusterFor(t, objects());
  const warm = await c.kubectl(['get', 'secrets', '-o', 'name']); // warms the discovery cache
  t.is(warm.exitCode, 0, warm.stderr);
  writeFileSync(c.env.KUBECONFIG, c.sim.kubeconfig(undefined, { token: 'not-the-token' }));
  const r = await c.kubectl(['get', 'secrets', '-o', 'json']);
  t.is(r.exitCode, 1);
  t.is(r.stderr.trim(), 'error: You must be logged in to the server (Unauthorized)');
  const last = c.sim.requests.at(-1);
  t.is(last?.status, 401);
  t.is(last?.user, '');
  const direct = await call(c.sim, '/api/v1/namespaces/apigee/secrets', { token: null });
  t.is(direct.status, 401);
  t.like(JSON.parse(direct.body), { kind: 'Status', reason: 'Unauthorized', code: 401 });
});

test('a 401 on cold discovery ends with the credentials error after the retries', async (t) => {
  const c = await clusterFor(t, objects());
  writeFileSync(c.env.KUBECONFIG, c.sim.kubeconfig(undefined, { token: 'not-the-token' }));
  const r = await c.kubectl(['get', 'secrets']);
  t.is(r.exitCode, 1);
  t.is(stripKlog(r.stderr), 'error: You must be logged in to the server (the server has asked for the client to provide credentials)');
});

test('a slow answer past --request-timeout is "Unable to connect to the server"', async (t) => {
  const c = await clusterFor(t, objects());
  // Warm the cache first: a cold timeout would cost the dispatcher call plus 5 discovery tries.
  t.is((await c.kubectl(['get', 'pods', '-o', 'name'])).exitCode, 0);
  c.sim.setFaults([{ match: '/secrets', delayMs: 5000 }]);
  const r = await c.kubectl(['get', 'secrets', '-o', 'json', '--request-timeout=1s']);
  t.is(r.exitCode, 1);
  t.regex(
    r.stderr.trim(),
    // kubectl's wording varies with where the deadline caught the request (a loaded machine may catch it still connecting).
    /^Unable to connect to the server: (context deadline exceeded|context deadline exceeded \(Client\.Timeout exceeded while awaiting headers\)|net\/http: request canceled( while waiting for connection)? \(Client\.Timeout exceeded while awaiting headers\))$/,
  );
  const slow = c.sim.resourceRequests().filter((q) => q.path.endsWith('/secrets'));
  t.true(slow.length >= 1 && slow.every((q) => q.fault && q.status === 0)); // never answered
});

test('every non-GET is rejected with 405 and recorded', async (t) => {
  const c = await clusterFor(t, objects());
  const r = await c.kubectl(['delete', 'secret', 'my-org-prod']);
  t.is(r.exitCode, 1);
  t.is(r.stderr.trim(), 'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource');
  const writes = c.sim.writeAttempts();
  t.deepEqual(
    writes.map((q) => [q.method, q.path, q.status]),
    [['DELETE', '/api/v1/namespaces/apigee/secrets/my-org-prod', 405]],
  );
  const post = await call(c.sim, '/api/v1/namespaces/apigee/secrets', { method: 'POST' });
  t.is(post.status, 405);
  t.is(c.sim.writeAttempts().length, 2);
  // Nothing changed.
  const still = await c.kubectl(['get', 'secret', 'my-org-prod', '-o', 'name']);
  t.is(still.stdout, 'secret/my-org-prod\n');
});

// ---------------------------------------------------------------------------------------------
// The server without kubectl

test('/version, aggregated and legacy discovery answer as kubectl expects', async (t) => {
  const sim = await standalone(t);
  const version = await call(sim, '/version');
  t.like(JSON.parse(version.body), { major: '1', minor: '32', gitVersion: 'v1.32.4' });
  const aggregated = await call(sim, '/apis', { accept: `${AGGREGATED_V2},application/json` });
  t.is(aggregated.headers['content-type'], AGGREGATED_V2);
  const doc = JSON.parse(aggregated.body) as {
    items: Array<{ metadata: { name: string }; versions: Array<{ version: string; resources: Array<{ resource: string; shortNames?: string[] }> }> }>;
  };
  const apigee = doc.items.find((i) => i.metadata.name === 'apigee.cloud.google.com');
  t.deepEqual(
    apigee?.versions.map((v) => v.version),
    ['v1alpha2', 'v1alpha1'],
  );
  const v1alpha1 = apigee?.versions.find((v) => v.version === 'v1alpha1');
  t.deepEqual(v1alpha1?.resources.find((r) => r.resource === 'apigeerouteconfigs')?.shortNames, ['arc']);
  const legacy = await call(sim, '/apis');
  t.is(legacy.headers['content-type'], 'application/json');
  t.is((JSON.parse(legacy.body) as { kind: string }).kind, 'APIGroupList');
  const list = await call(sim, '/apis/apigee.cloud.google.com/v1alpha1/namespaces/apigee/apigeeroutes');
  t.deepEqual(JSON.parse(list.body), {
    kind: 'ApigeeRouteList',
    apiVersion: 'apigee.cloud.google.com/v1alpha1',
    metadata: { resourceVersion: '1' },
    items: [],
  });
  const missing = await call(sim, '/apis/apigee.cloud.google.com/v1alpha1/namespaces/apigee/apigeeroutes/x');
  t.is(missing.status, 404);
  t.is((JSON.parse(missing.body) as { message: string }).message, 'apigeeroutes.apigee.cloud.google.com "x" not found');
});

test('the serving certificate and kubeconfig pin the simulator CA', async (t) => {
  const sim = await standalone(t, { token: 'fixed-token' });
  const config = parse(sim.kubeconfig()) as {
    clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
    users: Array<{ user: { token: string } }>;
    contexts: Array<{ name: string; context: { namespace: string } }>;
    'current-context': string;
  };
  t.is(config['current-context'], 'apigee-sim');
  t.is(config.contexts[0]?.name, 'apigee-sim');
  t.is(config.contexts[0]?.context.namespace, 'apigee');
  t.is(config.users[0]?.user.token, 'fixed-token');
  t.is(config.clusters[0]?.cluster.server, sim.url);
  t.regex(sim.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  t.not(sim.port, 8080);
  t.is(Buffer.from(config.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString(), sim.caPem);
  const ca = new X509Certificate(sim.caPem);
  t.true(ca.ca);
  // A request that trusts only this CA succeeds: the chain and the IP SAN verify.
  const version = await call(sim, '/version');
  t.is(version.status, 200);
  await t.throwsAsync(startSimulator({ port: 8080 }), { message: /8080/ });
});

// ---------------------------------------------------------------------------------------------
// Scenario builders

test('scenario builders follow the documented Apigee names and shapes', (t) => {
  t.is(encodeOrgName('apigee-hybrid-378710'), 'apigee-hybrid-3-97e66ab');
  t.is(encodeEnvName('apigee-hybrid-378710', 'test1'), 'apigee-hybrid-3-test1-51c9cd4');
  t.is(generatedRouteName('apigee-hybrid-378710-test2'), 'apigee-hybrid-378710-test2-000-7196418');
  t.is(route({ routeConfig: 'a-b', hostnames: ['x'], index: 1 }).metadata.name.slice(0, 8), 'a-b-001-');

  const tls = tlsSecret({
    name: 's',
    cert: CERT,
    key: Buffer.from(KEY),
    layout: 'kubernetes.io/tls',
    ca: Buffer.from(CERT),
    extraData: { note: 'n' },
    rawData: { 'tls.key': '!!not base64' },
  });
  t.is(tls.type, 'kubernetes.io/tls');
  t.deepEqual(tls.data, { 'tls.crt': b64(CERT), 'tls.key': '!!not base64', 'ca.crt': b64(CERT), note: b64('n') });
  const generic = tlsSecret({ name: 's', cert: CERT, key: KEY, layout: 'generic', ca: Buffer.from(CERT) });
  t.deepEqual(Object.keys(generic.data as object), ['cert', 'key', 'cacert']);
  t.is(generic.type, 'Opaque');

  const mtls = routeConfig({ org: 'o', envgroup: 'g', mode: 'MUTUAL', secretNameRef: 'other' });
  t.is(mtls.metadata.name, 'o-g');
  t.deepEqual((mtls.spec as { tls: unknown }).tls, { mode: 'MUTUAL', secretNameRef: 'other' });
  t.is(mtls.metadata.annotations, undefined);
  t.is(apigeeOrganization('o').metadata.name, 'o');
  t.is((apigeeOrganization('o', { name: 'enc' }).spec as { name: string }).name, 'o');
  t.is(
    apigeeIssue({ name: 'i', reason: 'AIS_INGRESS_MTLS_CA_CERT_INVALID', severity: 'ERROR', routeConfig: 'o-g', secret: 'o-g' }).metadata.labels?.[
      'ais-reason'
    ],
    'AIS_INGRESS_MTLS_CA_CERT_INVALID',
  );

  t.is(watcherSecretNotFoundLine('o-g', 'apigee'), 'NOT_FOUND: failed to get secret "o-g" in namespace "apigee": secrets "o-g" not found');
  const json = JSON.parse(watcherSecretNotFoundLine('o-g', 'apigee', { json: true, time: new Date(1_700_000_000_500) })) as Record<string, unknown>;
  t.deepEqual(json, { level: 'error', ts: 1_700_000_000.5, msg: 'NOT_FOUND: failed to get secret "o-g" in namespace "apigee": secrets "o-g" not found' });
  t.deepEqual(
    logEntries(['a', 'b'], new Date(0), 500).map((e) => e.time.getTime()),
    [0, 500],
  );
});

test('apigeeCluster builds a diagnosable cluster: a missing secret shows in the watcher log', async (t) => {
  const scenario = apigeeCluster({
    org: ORG,
    helm: true,
    envgroups: [
      { name: 'prod', secret: { cert: CERT, key: KEY } },
      { name: 'test', secret: null },
    ],
  });
  const c = await clusterFor(t, scenario.objects, scenario.logs);
  const secrets = await c.kubectl(['get', 'secrets', '-o', 'name']);
  t.is(secrets.stdout, 'secret/my-org-prod\n');
  const log = await c.kubectl(['logs', '-l', 'app=apigee-watcher', '--tail=-1']);
  t.is(log.exitCode, 0, log.stderr);
  t.true(log.stdout.includes(watcherSecretNotFoundLine('my-org-test', NS)));
  t.false(log.stdout.includes('"my-org-prod"'));
  const release = await c.kubectl(['get', 'arc', 'my-org-test', '-o', 'jsonpath={.metadata.annotations.meta\\.helm\\.sh/release-name}']);
  t.is(release.stdout, 'apigee-virtualhost-test');
  t.is(scenario.objects.find((o) => o.kind === 'ApigeeOrganization')?.metadata.name, encodeOrgName(ORG));
});

// ---------------------------------------------------------------------------------------------
// A cluster as real 1.8–1.15 clusters are (reference/apigee.md §12)

function realScenario() {
  return apigeeCluster({
    org: ORG,
    helm: true,
    jsonLogs: true,
    ingresses: ['apigee-ingress', 'internal'],
    nonSniRoutes: [{ name: 'non-sni', credentialName: 'shared-non-sni', secret: { cert: CERT, key: KEY } }],
    envgroups: [
      { name: 'prod', secret: { cert: CERT, key: KEY }, additionalGateways: ['non-sni'] },
      { name: 'short', routeNameForm: 'short', secret: { cert: CERT, key: KEY } },
      { name: 'byo', secretName: 'byo-tls', mode: 'MUTUAL', caSecret: CERT, ingress: 'internal', secret: { cert: CERT, key: KEY } },
      { name: 'cm', owner: 'cert-manager', secretName: 'cm-tls', secret: { cert: CERT, key: KEY } },
      { name: 'moved', secretNamespace: 'istio-system', secret: { cert: CERT, key: KEY } },
      { name: 'gone', secret: null },
    ],
  });
}

const jsonOf = <T>(r: { exitCode: number; stdout: string; stderr: string }, t: { is(a: unknown, b: unknown, m?: string): void }): T => {
  t.is(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
};

test('generated routes name their ARC by uid, in both name forms, served at v1alpha2 (preferred) and v1alpha1', async (t) => {
  const s = realScenario();
  const c = await clusterFor(t, s.objects, s.logs, s.simulator);
  const arcs = jsonOf<{ items: K8sObject[] }>(await c.kubectl(['get', 'arc', '-o', 'json']), t).items;
  const routes = jsonOf<{ items: Array<K8sObject & { spec: { hostnames: string[] } }> }>(await c.kubectl(['get', 'ar', '-o', 'json']), t).items;
  const uid = (name: string) => arcs.find((a) => a.metadata.name === name)?.metadata.uid;
  const owned = routes.filter((r) => r.metadata.ownerReferences?.length);
  t.deepEqual(owned.map((r) => [r.metadata.name, r.metadata.ownerReferences?.[0]?.uid, r.metadata.ownerReferences?.[0]?.kind]).sort(), [
    [generatedRouteName('my-org-byo'), uid('my-org-byo'), 'ApigeeRouteConfig'],
    [generatedRouteName('my-org-cm'), uid('my-org-cm'), 'ApigeeRouteConfig'],
    [generatedRouteName('my-org-gone'), uid('my-org-gone'), 'ApigeeRouteConfig'],
    [generatedRouteName('my-org-moved'), uid('my-org-moved'), 'ApigeeRouteConfig'],
    [generatedRouteName('my-org-prod'), uid('my-org-prod'), 'ApigeeRouteConfig'],
    [generatedRouteName('my-org-short', 0, 'short'), uid('my-org-short'), 'ApigeeRouteConfig'],
  ]);
  t.regex(generatedRouteName('my-org-short', 0, 'short'), /^my-org-short-[0-9a-f]{7}$/);
  t.true(routes.every((r) => r.apiVersion === 'apigee.cloud.google.com/v1alpha2'));
  t.true(arcs.every((a) => a.apiVersion === 'apigee.cloud.google.com/v1alpha1'));
  // The hand-written wildcard route: no owner, every name, for clients without SNI.
  const nonSni = routes.find((r) => r.metadata.name === 'non-sni') as K8sObject & { spec: Record<string, unknown> };
  t.is(nonSni.metadata.ownerReferences, undefined);
  t.like(nonSni.spec, { hostnames: ['*'], enableNonSniClient: true, ports: [{ number: 443, protocol: 'HTTPS', tls: { credentialName: 'shared-non-sni' } }] });
  t.deepEqual((arcs.find((a) => a.metadata.name === 'my-org-prod')?.spec as { additionalGateways: string[] }).additionalGateways, ['non-sni']);
  t.deepEqual((arcs.find((a) => a.metadata.name === 'my-org-byo')?.spec as { selector: unknown }).selector, {
    app: 'apigee-ingressgateway',
    ingress_name: 'internal',
  });
  const v1alpha1 = await call(c.sim, '/apis/apigee.cloud.google.com/v1alpha1/namespaces/apigee/apigeeroutes');
  t.is(v1alpha1.status, 200);
  t.is((JSON.parse(v1alpha1.body) as { items: unknown[] }).items.length, routes.length);
});

test('Helm marks the ARCs and the secrets the chart made; user-managed, cert-manager and -cacert secrets are their own', async (t) => {
  const s = realScenario();
  const c = await clusterFor(t, s.objects, s.logs, s.simulator);
  const secrets = jsonOf<{ items: Array<K8sObject & { type: string; data: Record<string, string> }> }>(
    await c.kubectl(['get', 'secrets', '-o', 'json']),
    t,
  ).items;
  const annotations = (name: string) => secrets.find((x) => x.metadata.name === name)?.metadata.annotations;
  t.deepEqual(
    secrets.map((x) => x.metadata.name),
    ['byo-tls', 'byo-tls-cacert', 'cm-tls', 'my-org-prod', 'my-org-short', 'shared-non-sni'],
  );
  t.deepEqual(annotations('my-org-prod'), { 'meta.helm.sh/release-name': 'apigee-virtualhost-prod', 'meta.helm.sh/release-namespace': 'apigee' });
  t.is(secrets.find((x) => x.metadata.name === 'my-org-prod')?.metadata.labels?.['app.kubernetes.io/managed-by'], 'Helm');
  t.is(annotations('byo-tls'), undefined);
  t.deepEqual(secrets.find((x) => x.metadata.name === 'byo-tls-cacert')?.data, { cacert: b64(CERT) });
  t.is(annotations('cm-tls')?.['cert-manager.io/certificate-name'], 'cm-tls');
  t.is(secrets.find((x) => x.metadata.name === 'cm-tls')?.type, 'kubernetes.io/tls');
  const release = await c.kubectl(['get', 'arc', 'my-org-byo', '-o', 'jsonpath={.metadata.annotations.meta\\.helm\\.sh/release-name}']);
  t.is(release.stdout, 'apigee-virtualhost-byo');
  const cert = await c.kubectl([
    'get',
    'certificate',
    'cm-tls',
    '-o',
    'jsonpath={.spec.secretName} {.spec.issuerRef.name} {.status.conditions[0].type}={.status.conditions[0].status}',
  ]);
  t.is(cert.exitCode, 0, cert.stderr);
  t.is(cert.stdout, 'cm-tls apigee-ca-issuer Ready=True');
  // Left in istio-system by an upgrade past 1.8: absent from apigee, present there.
  const moved = await c.kubectl(['-n', 'istio-system', 'get', 'secret', 'my-org-moved', '-o', 'name']);
  t.is(moved.stdout, 'secret/my-org-moved\n');
});

test('cert-manager CRDs are served only when a scenario installs cert-manager', async (t) => {
  const s = apigeeCluster({ org: ORG, envgroups: [{ name: 'prod', secret: { cert: CERT, key: KEY } }] });
  t.deepEqual(s.simulator, { certManager: false });
  const c = await clusterFor(t, s.objects, s.logs, s.simulator);
  const r = await c.kubectl(['get', 'certificates']);
  t.is(r.exitCode, 1);
  t.is(r.stderr.trim(), 'error: the server doesn\'t have a resource type "certificates"');
  t.deepEqual(realScenario().simulator, { certManager: true });
});

test('gateway pods run two containers; the ingress manager runs discovery, under either label', async (t) => {
  const s = realScenario();
  const c = await clusterFor(t, s.objects, s.logs, s.simulator);
  const gateways = await c.kubectl(['get', 'pods', '-l', 'app=apigee-ingressgateway', '-o', 'json']);
  const pods = jsonOf<{ items: Array<K8sObject & { spec: { containers: Array<{ name: string }> } }> }>(gateways, t).items;
  t.deepEqual(pods.map((p) => [p.metadata.name, p.metadata.labels?.ingress_name, p.spec.containers.length]).sort(), [
    [ingressGatewayPod({ org: ORG }).metadata.name, 'apigee-ingress', 2],
    [ingressGatewayPod({ org: ORG, ingress: 'internal' }).metadata.name, 'internal', 2],
  ]);
  const table = await c.kubectl(['get', 'pods', '-l', 'app=apigee-ingressgateway']);
  t.regex(table.stdout.split('\n')[1] ?? '', /^apigee-ingressgateway-\S+\s+2\/2\s+Running\s+0\s+\S+$/);
  const deploy = await c.kubectl(['get', 'deploy', 'apigee-ingressgateway-manager', '-o', 'jsonpath={.spec.template.spec.containers[*].name}']);
  t.is(deploy.stdout, 'discovery');
  const managers = await c.kubectl(['get', 'pods', '-l', 'app=apigee-ingressgateway-manager', '-o', 'name']);
  t.deepEqual(managers.stdout.trim().split('\n'), s.ingressManagerPods.map((n) => `pod/${n}`).sort());
  t.regex(s.ingressManagerPods[0] ?? '', /^apigee-ingressgateway-manager-[0-9a-f]{10}-[a-z0-9]{5}$/);
  const kustomize = apigeeCluster({ org: ORG, ingressManagerLabel: 'apigee-istiod', envgroups: [] });
  const k = await clusterFor(t, kustomize.objects, kustomize.logs);
  const istiod = await k.kubectl(['get', 'pods', '-l', 'app=apigee-istiod', '-o', 'jsonpath={.items[*].spec.containers[*].name}']);
  t.is(istiod.stdout, 'discovery discovery');
});

test("the watcher logs zap JSON: msg is constant, the playbook's text is in error", async (t) => {
  const s = realScenario();
  const c = await clusterFor(t, s.objects, s.logs, s.simulator);
  const r = await c.kubectl(['logs', '-l', 'app=apigee-watcher', '--tail=-1']);
  t.is(r.exitCode, 0, r.stderr);
  const records = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  t.like(records[0], { level: 'info', msg: 'starting apigee-watcher' });
  const errors = records.filter((x) => x.level === 'error');
  t.deepEqual(
    errors.map((x) => [x.caller, x.msg, x.name, x.error]),
    ['my-org-moved', 'my-org-gone'].map((name) => ['watcher/watcher.go:60', 'error during watch', 'ingress', watcherSecretNotFoundLine(name, NS)]),
  );
  t.true(r.stdout.includes('failed to get secret \\"my-org-gone\\"'));
});
