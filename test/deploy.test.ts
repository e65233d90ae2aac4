// deploy/: every manifest parses, with the kinds and API versions a cluster serves; the exporter's
// Role is exactly the README's least-privilege Role (src/apigee/rbac.ts), bound to the exporter's
// ServiceAccount, and the pieces point at each other (labels, ports, the probe, the command).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { parse, parseAllDocuments } from 'yaml';
import { minimalRoleYaml, READ_RULES } from '../src/apigee/rbac.js';
import { REPO_ROOT } from './helpers/cluster.js';

const DEPLOY = join(REPO_ROOT, 'deploy');

/** The API version each kind is served under (ServiceMonitor: the Prometheus Operator's CRD). */
const API_VERSIONS: Record<string, string> = {
  ServiceAccount: 'v1',
  Service: 'v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  Deployment: 'apps/v1',
  ServiceMonitor: 'monitoring.coreos.com/v1',
};

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

async function manifests(): Promise<Obj[]> {
  const files = (await readdir(DEPLOY)).filter((f) => f.endsWith('.yaml'));
  const docs = await Promise.all(files.map(async (f) => parseAllDocuments(await readFile(join(DEPLOY, f), 'utf8'))));
  return docs.flat().map((d) => {
    if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('; '));
    return d.toJS() as Obj;
  });
}

const one = (objs: Obj[], kind: string): Obj => {
  const found = objs.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`${found.length} ${kind} objects`);
  return found[0]!;
};

test('every manifest parses, with a known kind, its API version, a name, and namespace apigee', async (t) => {
  const objs = await manifests();
  t.deepEqual(objs.map((o) => o.kind).sort(), Object.keys(API_VERSIONS).sort());
  for (const o of objs) {
    t.is(o.apiVersion, API_VERSIONS[o.kind]!, o.kind);
    t.regex(o.metadata.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, o.kind);
    t.is(o.metadata.namespace, 'apigee', o.kind);
  }
});

test("the Role is exactly the README's least-privilege Role, read-only, bound to the exporter's ServiceAccount", async (t) => {
  const objs = await manifests();
  const role = one(objs, 'Role');
  t.deepEqual(role, parse(minimalRoleYaml('apigee')));
  t.deepEqual(role.rules, READ_RULES);
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /The least RBAC it needs[^\n]*\n\n```yaml\n([\s\S]*?)```/.exec(readme);
  t.truthy(block, 'the README shows the Role');
  t.deepEqual(role, parse(block![1]!));
  t.true(READ_RULES.every((r) => r.verbs.every((v) => v === 'get' || v === 'list')));
  const binding = one(objs, 'RoleBinding') as Obj & { roleRef: Record<string, string>; subjects: Array<Record<string, string>> };
  const sa = one(objs, 'ServiceAccount');
  t.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
  t.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: 'apigee' }]);
});

test('the Deployment runs serve as that ServiceAccount; the Service and ServiceMonitor reach its metrics port; the probe is /healthz', async (t) => {
  const objs = await manifests();
  type Container = { args: string[]; ports: Array<{ name: string; containerPort: number }>; livenessProbe: { httpGet: { path: string; port: string } } };
  type Deployment = Obj & {
    spec: {
      selector: { matchLabels: Record<string, string> };
      template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string; containers: Container[] } };
    };
  };
  const deployment = one(objs, 'Deployment') as Deployment;
  const pod = deployment.spec.template;
  t.is(pod.spec.serviceAccountName, one(objs, 'ServiceAccount').metadata.name);
  t.deepEqual(deployment.spec.selector.matchLabels, pod.metadata.labels);
  const [container] = pod.spec.containers;
  t.is(container!.args[0], 'serve');
  const listen = container!.args[container!.args.indexOf('--listen') + 1];
  t.deepEqual(container!.ports, [{ name: 'metrics', containerPort: Number(listen!.split(':').at(-1)) }]);
  t.deepEqual(container!.livenessProbe.httpGet, { path: '/healthz', port: 'metrics' });
  const service = one(objs, 'Service') as Obj & { spec: { selector: Record<string, string>; ports: Array<{ name: string; targetPort: string }> } };
  t.deepEqual(service.spec.selector, pod.metadata.labels);
  t.is(service.spec.ports[0]!.targetPort, 'metrics');
  const monitor = one(objs, 'ServiceMonitor') as Obj & {
    spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string; path: string }> };
  };
  t.deepEqual(monitor.spec.selector.matchLabels, service.metadata.labels);
  t.is(monitor.spec.endpoints[0]!.port, service.spec.ports[0]!.name);
  t.is(monitor.spec.endpoints[0]!.path, '/metrics');
});

test('the Dockerfile holds the native binary, kubectl (checked against its sha256) and openssl, and runs serve', async (t) => {
  const dockerfile = await readFile(join(DEPLOY, 'Dockerfile'), 'utf8');
  t.regex(dockerfile, /^COPY dist\/package\/linux_amd64\/kubectl-apigee_tls \/usr\/local\/bin\/kubectl-apigee_tls$/m);
  t.regex(dockerfile, /sha256sum --check/);
  t.regex(dockerfile, /^COPY --from=kubectl \/kubectl \/usr\/local\/bin\/kubectl$/m);
  t.regex(dockerfile, /apt-get install .*\bopenssl\b/);
  t.regex(dockerfile, /^CMD \["serve"/m);
});

test('rules.yaml is one rule group whose alerts read only the exporter metrics the contract names', async (t) => {
  const rules = parse(await readFile(join(DEPLOY, 'prometheus', 'rules.yaml'), 'utf8')) as {
    groups: Array<{ name: string; rules: Array<{ alert: string; expr: string }> }>;
  };
  t.is(rules.groups.length, 1);
  const contract = [
    'apigee_tls_envgroup_result',
    'apigee_tls_finding',
    'apigee_tls_certificate_not_after_seconds',
    'apigee_tls_run_timestamp_seconds',
    'apigee_tls_run_duration_seconds',
    'apigee_tls_run_errors_total',
  ];
  for (const r of rules.groups[0]!.rules) for (const m of r.expr.match(/apigee_tls_\w+/g) ?? []) t.true(contract.includes(m), `${r.alert}: ${m}`);
  t.deepEqual(
    rules.groups[0]!.rules.map((r) => r.alert),
    [
      'ApigeeTlsEnvGroupFailing',
      'ApigeeTlsCertificateExpiresIn14Days',
      'ApigeeTlsCertificateExpiresIn3Days',
      'ApigeeTlsExporterRunsFailing',
      'ApigeeTlsExporterStale',
    ],
  );
});
