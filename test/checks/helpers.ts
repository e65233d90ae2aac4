// Shared builders of the in-process check tests: a fixed clock, PKI minted at test time (never
// committed), the Evidence each command's pipeline builds (material from bytes, a cluster from the
// simulator's object builders, a probe from a handshake observation), and the one finding of a
// check id out of a run.
import type { KeyObject } from 'node:crypto';
import { detectInstall } from '../../src/apigee/install.js';
import { applyCommand, recreateSecretFix } from '../../src/apigee/remediation.js';
import { resolveEnvGroup, type Resolution } from '../../src/apigee/resolve.js';
import { issuesFor, nameOf, type KubeObject } from '../../src/apigee/resources.js';
import { layoutOf, secretMaterial } from '../../src/apigee/secret-layout.js';
import type { Overrides } from '../../src/apigee/overrides.js';
import { analyseMaterial, materialEvidence } from '../../src/checks/analyse-material.js';
import type { Check, CheckContext, RegistryEntry } from '../../src/checks/check.js';
import { evidence, type CheckInputs, type Evidence } from '../../src/checks/inputs.js';
import { runChecks } from '../../src/checks/run.js';
import { servedChainInputs, servedSource } from '../../src/checks/served-inputs.js';
import { inNamespace, kubectlCommand, type KubectlScope } from '../../src/cmdline/kubectl.js';
import type { ClusterEvidence, Observed, SecretLookup, WatcherEvidence } from '../../src/evidence/cluster.js';
import type { HandshakeEnd, HandshakeObservation } from '../../src/evidence/handshake.js';
import type { KubectlFailure } from '../../src/evidence/kubectl-failure.js';
import type { PemSource, TlsMaterial } from '../../src/evidence/material.js';
import type { LogLine, ScannedSource } from '../../src/evidence/log-line.js';
import type { Listing } from '../../src/gather/listing.js';
import type { SourceRead } from '../../src/gather/scan-source.js';
import type { NamespaceSnapshot } from '../../src/gather/snapshot.js';
import type { KubectlTarget } from '../../src/exec/kubectl.js';
import { ingressLogsFor, type NamespaceLogs } from '../../src/pipeline/ingress-logs.js';
import type { Finding } from '../../src/report/finding.js';
import { route, routeConfig, tlsSecret, watcherPodName, type TlsSecretOptions } from '../../src/sim/scenario.js';
import type { K8sObject } from '../../src/sim/types.js';
import { DAY, ecKey, leafCert, rootCa, rsaKey, type Ca } from '../helpers/scenarios.js';

export { DAY };

/** The run's clock: every certificate below is minted relative to it, so dates are exact. */
export const NOW = new Date('2026-12-01T00:00:00Z');

export const ctx = (over: Partial<CheckContext> = {}): CheckContext => ({ now: NOW, expiryWarningMs: 14 * DAY, ...over });

/** The one finding a run reports under `check`; a missing or doubled one fails the test. */
export function findingOf(findings: readonly Finding[], check: string): Finding {
  const hits = findings.filter((f) => f.check === check);
  if (hits.length !== 1) throw new Error(`expected one finding of ${check}, got ${hits.length} (checks: ${findings.map((f) => f.check).join(', ')})`);
  return hits[0]!;
}

/** Runs one check through the runner and returns its finding. */
export const judge = (check: Check, e: Evidence, c: CheckContext = ctx()): Finding => findingOf(runChecks([check], e, c), check.id);

/** Runs a registry and returns the finding of `check` (to see sections, `after` and skips). */
export const judgeIn = (registry: readonly RegistryEntry[], check: string, e: Evidence, c: CheckContext = ctx()): Finding =>
  findingOf(runChecks(registry, e, c), check);

// ---- PKI ------------------------------------------------------------------------------------

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

export interface Pki {
  ca: Ca;
  leafKey: KeyObject;
  otherKey: KeyObject;
  /** CN=api.example.com, SANs api.example.com and *.apps.example.com, by the root; NOW-10d .. NOW+365d. */
  leaf: string;
}

/** One root, one leaf and two RSA keys per test process (RSA generation is the slow part). */
export const pki = once((): Pki => {
  const ca = rootCa('Test Root CA', NOW);
  const leafKey = rsaKey();
  return {
    ca,
    leafKey,
    otherKey: rsaKey(),
    leaf: leafCert(ca, 'api.example.com', leafKey, { now: NOW, sans: ['api.example.com', '*.apps.example.com'] }),
  };
});

export const pem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();

/** A leaf of the test root for `key` (default the leaf key), with the given dates and names. */
export function leafOf(o: { cn?: string; sans?: string[]; notBefore?: Date; notAfter?: Date; key?: KeyObject } = {}): string {
  const { ca, leafKey } = pki();
  const cn = o.cn ?? 'api.example.com';
  return leafCert(ca, cn, o.key ?? leafKey, {
    now: NOW,
    sans: o.sans ?? [cn],
    ...(o.notBefore ? { notBefore: o.notBefore } : {}),
    ...(o.notAfter ? { notAfter: o.notAfter } : {}),
  });
}

export { ecKey, rsaKey };

// ---- Material (check, and a secret's data in diagnose) ----------------------------------------

export const fileSource = (bytes: string | Buffer, path: string): PemSource => ({ bytes: Buffer.from(bytes), label: path, origin: { kind: 'file', path } });

export interface MaterialOptions {
  cert?: string | Buffer | null;
  key?: string | Buffer | null;
  ca?: string | Buffer | null;
  mtls?: boolean;
  hostnames?: string[];
  hostnamesUnavailable?: TlsMaterial['hostnamesUnavailable'];
}

/** Files as `check` reads them: cert.pem, key.pem, ca.pem. */
export function fileMaterial(o: MaterialOptions): TlsMaterial {
  const source = (bytes: string | Buffer | null | undefined, path: string) => (bytes === null || bytes === undefined ? null : fileSource(bytes, path));
  const material: TlsMaterial = {
    cert: source(o.cert, 'cert.pem'),
    key: source(o.key, 'key.pem'),
    ca: source(o.ca, 'ca.pem'),
    mtls: o.mtls ?? false,
    hostnames: o.hostnames ?? [],
  };
  if (o.hostnamesUnavailable) material.hostnamesUnavailable = o.hostnamesUnavailable;
  return material;
}

/** The material's Evidence, analysed as the pipeline does (no openssl mirrors run). */
export const evidenceOf = (material: TlsMaterial): Evidence => materialEvidence(material, analyseMaterial(material), new Map());

export const materialOf = (o: MaterialOptions): Evidence => evidenceOf(fileMaterial(o));

/** A good pair: the leaf and its key. */
export const goodPair = (o: Omit<MaterialOptions, 'cert' | 'key'> = {}): Evidence => materialOf({ cert: pki().leaf, key: pem(pki().leafKey), ...o });

// ---- The cluster (diagnose) -------------------------------------------------------------------

export const NS = 'apigee';
export const ORG = 'my-org';
export const ENVGROUP = 'prod';
export const SECRET = `${ORG}-${ENVGROUP}`;

export const forbidden = (resource: string, command: string): KubectlFailure => ({
  kind: 'forbidden',
  message: `Error from server (Forbidden): ${resource} is forbidden: User "dev" cannot list resource "${resource}" in API group "" in the namespace "${NS}"`,
  command,
});

export interface ClusterOptions {
  /** The env group's secret object (built with tlsSecret), or null for none in the namespace. */
  secret?: K8sObject | null;
  /** Overrides the secret lookup (a failed list). */
  lookup?: SecretLookup;
  /** Watcher log lines that report the secret missing, and the streams read. */
  watcher?: Observed<WatcherEvidence>;
  watcherLines?: string[];
  /** The route config object; null: none in the namespace. Default: one for ORG-ENVGROUP. */
  routeConfig?: K8sObject | null;
  routeConfigObserved?: Observed<KubeObject | undefined>;
  hostnames?: string[];
  /** ApigeeIssue objects in the namespace (filtered to the env group as the pipeline does). */
  issues?: K8sObject[];
  issuesObserved?: Observed<ReturnType<typeof issuesFor>>;
  mode?: 'SIMPLE' | 'MUTUAL';
  overrides?: Overrides;
  scope?: Omit<KubectlScope, 'namespace'>;
  hostnamesUnavailable?: ClusterEvidence['hostnamesUnavailable'];
  /** The pods the route config's selector is matched against; default none in the namespace. */
  gateways?: ClusterEvidence['gateways'];
  additionalRoutes?: ClusterEvidence['additionalRoutes'];
  /** The secret was left in this other namespace (istio-system). */
  foundIn?: ClusterEvidence['foundIn'];
}

export const secretOf = (o: Omit<TlsSecretOptions, 'name' | 'namespace'> & { name?: string }): K8sObject => tlsSecret({ name: SECRET, namespace: NS, ...o });

/** The watcher's evidence as gather/ hands it over: the command a person reruns, the streams read. */
export function watcherOk(lines: string[] = [], over: Partial<WatcherEvidence> = {}, scope: KubectlScope = { namespace: NS }): Observed<WatcherEvidence> {
  const read = kubectlCommand(scope, ['logs', '-l', 'app=apigee-watcher', '--all-containers', '--since=1h', '--tail=10000']);
  return {
    state: 'ok',
    value: {
      sources: [`pod/${watcherPodName(ORG)}/apigee-watcher`],
      lines,
      failures: [],
      command: `${read} | grep 'failed to get secret "${SECRET}"'`,
      since: '1h',
      noPods: false,
      ...over,
    },
  };
}

/** The env group resolved from the simulator's route config and route, and what gather found. */
export function clusterOf(o: ClusterOptions = {}): ClusterEvidence {
  const arc =
    o.routeConfig === null ? undefined : (o.routeConfig ?? routeConfig({ org: ORG, envgroup: ENVGROUP, namespace: NS, ...(o.mode ? { mode: o.mode } : {}) }));
  const routes = arc ? [route({ routeConfig: arc, hostnames: o.hostnames ?? ['api.example.com'] })] : [];
  const resolved = resolveEnvGroup(
    ENVGROUP,
    { routeConfigs: arc ? [arc] : [], routes, orgs: [] },
    { hosts: [], org: ORG, ...(o.overrides ? { overrides: o.overrides } : {}) },
  );
  if (!resolved.ok) throw new Error(resolved.message);
  const r: Resolution = resolved.resolution;
  const scope: KubectlScope = { namespace: NS, ...(o.scope ?? {}) };
  const secretNamespace = r.secret.namespace ?? NS;
  const secret = o.secret === undefined ? secretOf({ cert: pki().leaf, key: pem(pki().leafKey) }) : o.secret;
  const lookup: SecretLookup =
    o.lookup ??
    (secret && nameOf(secret) === r.secret.name
      ? { state: 'found', secret }
      : { state: 'missing', command: kubectlCommand(inNamespace(scope, secretNamespace), ['get', 'secrets', '-o', 'json']) });
  const install = detectInstall({
    org: ORG,
    envgroup: ENVGROUP,
    secretName: r.secret.name,
    ...(r.secret.namespace ? { secretNamespace: r.secret.namespace } : {}),
    ...(r.routeConfig ? { routeConfig: r.routeConfig } : {}),
    ...(lookup.state === 'found' ? { secret: lookup.secret } : {}),
    ...(r.virtualHost ? { virtualHost: r.virtualHost } : {}),
  });
  const fixTarget = { envgroup: ENVGROUP, scope: inNamespace(scope, secretNamespace), secretName: r.secret.name };
  const cluster: ClusterEvidence = {
    resolution: r,
    namespace: NS,
    scope,
    secretNamespace,
    secret: lookup,
    watcher: o.watcher ?? watcherOk(o.watcherLines ?? [], {}, scope),
    routeConfig: o.routeConfigObserved ?? { state: 'ok', value: r.routeConfig },
    issues: o.issuesObserved ?? { state: 'ok', value: issuesFor(r.routeConfig ? nameOf(r.routeConfig) : undefined, r.secret.name, o.issues ?? []) },
    applyFix: applyCommand(install, fixTarget),
    install,
    recreateFix: recreateSecretFix(install, fixTarget),
    gateways: o.gateways ?? { state: 'ok', value: r.routeConfig ? { selector: { app: 'apigee-ingressgateway' }, pods: [] } : undefined },
    additionalRoutes: o.additionalRoutes ?? { state: 'ok', value: [] },
  };
  if (o.hostnamesUnavailable) cluster.hostnamesUnavailable = o.hostnamesUnavailable;
  if (o.foundIn) cluster.foundIn = o.foundIn;
  return cluster;
}

/** diagnose's Evidence for the cluster: the secret's data judged when it holds a certificate and key. */
export function diagnoseEvidence(cluster: ClusterEvidence): Evidence {
  if (cluster.secret.state !== 'found') return evidence({ cluster }, { foundSecret: 'no secret to read', certSource: 'no secret to read' });
  const secret = cluster.secret.secret;
  const layout = layoutOf(secret);
  if (!layout) return evidence({ cluster, foundSecret: secret }, { certSource: 'the secret holds no certificate and key to check' });
  const r = cluster.resolution;
  const material = secretMaterial(secret, inNamespace(cluster.scope, cluster.secretNamespace), layout, r.mtls, r.hostnames);
  if (cluster.hostnamesUnavailable) material.hostnamesUnavailable = cluster.hostnamesUnavailable;
  const e = evidenceOf(material);
  return { inputs: { ...e.inputs, cluster, foundSecret: secret }, absent: e.absent };
}

export const diagnoseCtx = (cluster: ClusterEvidence): CheckContext => ctx({ applyFix: cluster.applyFix, scope: cluster.scope });

// ---- A live handshake (probe) -----------------------------------------------------------------

export const HOST = 'api.example.com';

export function observation(end: HandshakeEnd, request: Partial<HandshakeObservation['request']> = {}): HandshakeObservation {
  return {
    request: { address: HOST, port: 443, servername: HOST, handshakeTimeoutMs: 10_000, clientCertificate: false, ...request },
    end,
    offered: { min: 'TLSv1.2', max: 'TLSv1.3' },
    flight: { isTls: true },
    ms: 12,
  };
}

const derOf = (pemText: string): Buffer[] =>
  [...pemText.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));

export const connected = (chainPem: string, over: Partial<Extract<HandshakeEnd, { kind: 'connected' }>> = {}): HandshakeEnd => ({
  kind: 'connected',
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  chainDer: derOf(chainPem),
  ...over,
});

/** probe's Evidence as its pipeline builds it: the handshake, and the served chain when one came. */
/** What the probe pipeline builds from a handshake, through the same pure functions (servedChainInputs); `trust` as the pipeline's anchors would judge. */
export function probeEvidence(
  o: HandshakeObservation,
  extra: { ca?: string; servedSecret?: CheckInputs['servedSecret']; trust?: CheckInputs['trust'] } = {},
): Evidence {
  const inputs: CheckInputs = { handshake: { observation: o, host: HOST, customTrust: extra.ca !== undefined }, hostnames: [HOST] };
  if (o.end.kind !== 'connected') return { inputs, absent: {} };
  const served = servedChainInputs(servedSource(o, o.end.chainDer), extra.ca ? Buffer.from(extra.ca) : undefined);
  if (!served) throw new Error('the served chain does not parse');
  Object.assign(inputs, served);
  if (extra.trust) inputs.trust = extra.trust;
  if (extra.servedSecret) inputs.servedSecret = extra.servedSecret;
  return { inputs, absent: {} };
}

// ---- namespace logs (the ingress checks: ingressLogsFor builds their evidence) ------------------

/** A listing that worked, of these objects. */
export const listed = (items: K8sObject[] = []): Listing => ({ state: 'ok', items, command: '' });

/** The namespace as listed: every listing worked, with these pods, route configs and routes. */
export const snapshotOf = (o: { pods?: K8sObject[]; routeConfigs?: K8sObject[]; routes?: K8sObject[] } = {}): NamespaceSnapshot => ({
  namespace: NS,
  secrets: listed(),
  pods: listed(o.pods),
  routeConfigs: listed(o.routeConfigs),
  routes: listed(o.routes),
  issues: listed(),
  orgs: listed(),
});

/** A log source read: these streams, these kept lines. */
export const sourceRead = (sources: string[], lines: LogLine[], over: Partial<ScannedSource> = {}): SourceRead => ({
  state: 'ok',
  value: { sources, lines, failures: [], noPods: false, ...over },
});

/** A source read that kept nothing. */
export const NOTHING_READ: SourceRead = sourceRead([], []);

/** `minutes` before NOW. */
export const ago = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);

/** The kubelet's `--timestamps` stamp (RFC 3339, nanoseconds), `minutes` before NOW. */
export const stampAgo = (minutes: number): string => ago(minutes).toISOString().replace('Z', '000000Z');

/** When the ingress tests' secret was last written, as managedFields holds it: half an hour before NOW. */
export const WRITTEN = '2026-11-30T23:30:00Z';

/** The secret as last written at WRITTEN (a managedFields entry: what kubectl shows with --show-managed-fields). */
export const writtenAt = (secret: K8sObject): K8sObject => ({
  ...secret,
  metadata: { ...secret.metadata, managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: WRITTEN }] },
});

const LOG_TARGET: KubectlTarget = { namespace: NS, requestTimeout: '20s', requestTimeoutMs: 20_000 };

/** diagnose's Evidence for `cluster`, with the ingress logs it keeps for the env group from the namespace's. */
export function withNamespaceLogs(cluster: ClusterEvidence, logs: Partial<NamespaceLogs>, snapshot: NamespaceSnapshot = snapshotOf()): Evidence {
  const all: NamespaceLogs = { watcher: NOTHING_READ, manager: NOTHING_READ, gateways: NOTHING_READ, ...logs };
  const e = diagnoseEvidence(cluster);
  e.inputs.ingressLogs = ingressLogsFor(all, cluster.resolution, snapshot, cluster.secret, LOG_TARGET, { since: '1h', tail: 10_000 });
  return e;
}
