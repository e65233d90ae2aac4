// Builders for the objects and logs of an Apigee hybrid cluster (reference/apigee.md §3, §5–§7).
// They take certificate and key bytes as input; generating PKI is someone else's job.
import { createHash } from 'node:crypto';
import { APIGEE_GROUP } from './discovery.js';
import type { K8sObject, LogEntry, LogGenerator, LogMap, ObjectMeta } from './types.js';

export const APIGEE_NAMESPACE = 'apigee';

const sha256hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/** First 7 hex digits of sha256, the Apigee charts' `shortSha`. */
export function shortSha(s: string): string {
  return sha256hex(s).slice(0, 7);
}

/** Org-scoped encoded name: `substr(org,0,15)-sha256(org)[:7]` (apigee-hybrid-378710 → apigee-hybrid-3-97e66ab). */
export function encodeOrgName(org: string): string {
  return `${org.slice(0, 15)}-${shortSha(org)}`;
}

/** Env-scoped encoded name: `{org[:15]}-{env[:15]}-{sha256("org:env")[:7]}`. */
export function encodeEnvName(org: string, env: string): string {
  return `${org.slice(0, 15)}-${env.slice(0, 15)}-${shortSha(`${org}:${env}`)}`;
}

// Kubernetes' random-suffix alphabet (no vowels, no 0/1/3), so generated names look real.
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
function suffix(seed: string, length: number): string {
  const bytes = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i += 1) out += SUFFIX_ALPHABET[(bytes[i] ?? 0) % SUFFIX_ALPHABET.length];
  return out;
}

function meta(name: string, namespace: string | undefined, extra: Partial<ObjectMeta> = {}): ObjectMeta {
  const m: ObjectMeta = { name, ...extra };
  if (namespace !== undefined) m.namespace = namespace;
  return m;
}

const b64 = (v: Buffer | string): string => (Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8')).toString('base64');

/** Shared metadata options of the builders. */
export interface CommonOptions {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** RFC 3339; default: when the simulator starts. */
  creationTimestamp?: string;
}

function common(o: CommonOptions): Partial<ObjectMeta> {
  const out: Partial<ObjectMeta> = {};
  if (o.labels) out.labels = { ...o.labels };
  if (o.annotations) out.annotations = { ...o.annotations };
  if (o.creationTimestamp) out.creationTimestamp = o.creationTimestamp;
  return out;
}

export function namespace(name: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(name, undefined, { labels: { 'kubernetes.io/metadata.name': name } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

// ---------------------------------------------------------------------------------------------
// Secrets

export type SecretLayout = 'generic' | 'kubernetes.io/tls';

/** Data keys per layout (reference/apigee.md §3.3). */
export const SECRET_KEYS: Record<SecretLayout, { cert: string; key: string; ca: string }> = {
  generic: { cert: 'cert', key: 'key', ca: 'cacert' },
  'kubernetes.io/tls': { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' },
};

export interface TlsSecretOptions extends CommonOptions {
  name: string;
  cert?: Buffer | string;
  key?: Buffer | string;
  /** generic: Opaque with `cert`/`key`/`cacert`; kubernetes.io/tls: `tls.crt`/`tls.key`/`ca.crt`. */
  layout?: SecretLayout;
  ca?: Buffer | string;
  /** More keys, plain values (base64-encoded here). */
  extraData?: Record<string, string | Buffer>;
  /** Keys whose value is stored verbatim, not encoded: for broken-base64 cases. Wins over all others. */
  rawData?: Record<string, string>;
  /** Override the secret type (default by layout: Opaque or kubernetes.io/tls). */
  type?: string;
}

/** The env group's ingress secret. Omit `cert` or `key` to build a secret that lacks it. */
export function tlsSecret(o: TlsSecretOptions): K8sObject {
  const layout = o.layout ?? 'generic';
  const keys = SECRET_KEYS[layout];
  const data: Record<string, string> = {};
  if (o.cert !== undefined) data[keys.cert] = b64(o.cert);
  if (o.key !== undefined) data[keys.key] = b64(o.key);
  if (o.ca !== undefined) data[keys.ca] = b64(o.ca);
  for (const [k, v] of Object.entries(o.extraData ?? {})) data[k] = b64(v);
  Object.assign(data, o.rawData ?? {});
  return secret({ ...o, type: o.type ?? (layout === 'generic' ? 'Opaque' : 'kubernetes.io/tls'), data });
}

export interface SecretOptions extends CommonOptions {
  name: string;
  type?: string;
  /** Already-encoded data (values are base64 strings, or anything for broken cases). */
  data?: Record<string, string>;
}

export function secret(o: SecretOptions): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(o.name, o.namespace ?? APIGEE_NAMESPACE, common(o)),
    type: o.type ?? 'Opaque',
    data: { ...(o.data ?? {}) },
  };
}

// ---------------------------------------------------------------------------------------------
// Apigee custom resources

const apigee = (version: string): string => `${APIGEE_GROUP}/${version}`;

export interface OrganizationOptions extends CommonOptions {
  /** metadata.name; default the org itself. Pass encodeOrgName(org) for Helm/apigeectl clusters. */
  name?: string;
  /** Default v1alpha2 (the storage version). */
  version?: string;
  state?: string;
}

export function apigeeOrganization(org: string, o: OrganizationOptions = {}): K8sObject {
  return {
    apiVersion: apigee(o.version ?? 'v1alpha2'),
    kind: 'ApigeeOrganization',
    metadata: meta(o.name ?? org, o.namespace ?? APIGEE_NAMESPACE, {
      ...common(o),
      labels: { 'apigee.cloud.google.com/platform': 'apigee', ...(o.labels ?? {}) },
    }),
    spec: { name: org, gcpProjectID: org },
    status: { state: o.state ?? 'running' },
  };
}

export interface EnvironmentOptions extends CommonOptions {
  /** metadata.name; default `<org>-<env>`. Pass encodeEnvName(org, env) for Helm/apigeectl clusters. */
  name?: string;
  /** ApigeeOrganization metadata.name it belongs to; default the org. */
  organizationRef?: string;
  version?: string;
  state?: string;
}

export function apigeeEnvironment(org: string, env: string, o: EnvironmentOptions = {}): K8sObject {
  return {
    apiVersion: apigee(o.version ?? 'v1alpha2'),
    kind: 'ApigeeEnvironment',
    metadata: meta(o.name ?? `${org}-${env}`, o.namespace ?? APIGEE_NAMESPACE, {
      ...common(o),
      labels: { 'apigee.cloud.google.com/platform': 'apigee', ...(o.labels ?? {}) },
    }),
    spec: { name: env, organizationRef: o.organizationRef ?? org },
    status: { state: o.state ?? 'running' },
  };
}

export interface RouteConfigOptions extends CommonOptions {
  org: string;
  envgroup: string;
  /** metadata.name; default `<org>-<envgroup>`. */
  name?: string;
  /** spec.tls.secretNameRef; default `<org>-<envgroup>`. May be `namespace/secret`. */
  secretNameRef?: string;
  mode?: 'SIMPLE' | 'MUTUAL' | 'PASSTHROUGH' | 'AUTO_PASSTHROUGH';
  /** Adds the Helm ownership annotations (the fix command reads the release name from them). */
  helmRelease?: string;
  /** status.errors[].message, generation 1. */
  errors?: string[];
  state?: string;
  enableNonSniClient?: boolean;
  minProtocolVersion?: string;
}

export function routeConfig(o: RouteConfigOptions): K8sObject {
  const name = o.name ?? `${o.org}-${o.envgroup}`;
  const ns = o.namespace ?? APIGEE_NAMESPACE;
  const extra = common(o);
  if (o.helmRelease !== undefined) {
    extra.annotations = { 'meta.helm.sh/release-name': o.helmRelease, 'meta.helm.sh/release-namespace': ns, ...(extra.annotations ?? {}) };
    extra.labels = { 'app.kubernetes.io/managed-by': 'Helm', ...(extra.labels ?? {}) };
  }
  const tls: Record<string, unknown> = { mode: o.mode ?? 'SIMPLE', secretNameRef: o.secretNameRef ?? `${o.org}-${o.envgroup}` };
  if (o.minProtocolVersion) tls.minProtocolVersion = o.minProtocolVersion;
  const errors = (o.errors ?? []).map((message) => ({ generation: 1, message }));
  return {
    apiVersion: apigee('v1alpha1'),
    kind: 'ApigeeRouteConfig',
    metadata: meta(name, ns, { ...extra, generation: 1 }),
    spec: {
      selector: { app: 'apigee-ingressgateway' },
      connectTimeout: 300,
      ...(o.enableNonSniClient !== undefined ? { enableNonSniClient: o.enableNonSniClient } : {}),
      tls,
    },
    status: { state: o.state ?? (errors.length > 0 ? 'error' : 'running'), lastAppliedGeneration: 1, ...(errors.length > 0 ? { errors } : {}) },
  };
}

/** Generated ApigeeRoute name: `{arc}-{nnn}-{sha256("{arc}-{nnn}")[:7]}` (one observed example; UNCONFIRMED as a rule). */
export function generatedRouteName(arcName: string, index = 0): string {
  const base = `${arcName}-${String(index).padStart(3, '0')}`;
  return `${base}-${shortSha(base)}`;
}

export interface RouteOptions extends CommonOptions {
  /** The ApigeeRouteConfig object, or its name. */
  routeConfig: K8sObject | string;
  hostnames: string[];
  index?: number;
  /** metadata.name; default the generated name. */
  name?: string;
  /** ports[0].tls.credentialName; default the ARC's secretNameRef (or the ARC name). */
  credentialName?: string;
  mode?: string;
  state?: string;
  enableNonSniClient?: boolean;
}

export function route(o: RouteOptions): K8sObject {
  const arc = typeof o.routeConfig === 'string' ? undefined : o.routeConfig;
  const arcName = typeof o.routeConfig === 'string' ? o.routeConfig : o.routeConfig.metadata.name;
  const arcTls = (arc?.spec as { tls?: { secretNameRef?: string; mode?: string } } | undefined)?.tls ?? {};
  const ns = o.namespace ?? arc?.metadata.namespace ?? APIGEE_NAMESPACE;
  const extra = common(o);
  if (arc) {
    extra.ownerReferences = [
      { apiVersion: arc.apiVersion, kind: 'ApigeeRouteConfig', name: arcName, uid: arc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true },
    ];
    // Keep Helm ownership visible on generated routes too, like the chart's labels.
    const release = arc.metadata.annotations?.['meta.helm.sh/release-name'];
    if (release) extra.annotations = { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': ns, ...(extra.annotations ?? {}) };
  }
  return {
    apiVersion: apigee('v1alpha1'),
    kind: 'ApigeeRoute',
    metadata: meta(o.name ?? generatedRouteName(arcName, o.index ?? 0), ns, extra),
    spec: {
      hostnames: [...o.hostnames],
      ports: [
        {
          number: 443,
          protocol: 'HTTPS',
          tls: { credentialName: o.credentialName ?? arcTls.secretNameRef ?? arcName, mode: o.mode ?? arcTls.mode ?? 'SIMPLE', minProtocolVersion: 'TLS_AUTO' },
        },
      ],
      selector: { app: 'apigee-ingressgateway' },
      ...(o.enableNonSniClient !== undefined ? { enableNonSniClient: o.enableNonSniClient } : {}),
    },
    status: { state: o.state ?? 'running' },
  };
}

export type IssueReason = 'AIS_INGRESS_CERT_EXPIREY' | 'AIS_INGRESS_MTLS_CA_CERT_EXPIREY' | 'AIS_INGRESS_MTLS_CA_CERT_INVALID' | (string & {});

export interface IssueOptions extends CommonOptions {
  name: string;
  reason: IssueReason;
  severity: 'ERROR' | 'WARNING';
  /** spec.details; default a text in the documented style naming the secret and the ARC. */
  details?: string;
  /** ApigeeRouteConfig name the issue is about. */
  routeConfig: string;
  /** Secret name the issue is about. */
  secret: string;
  /** ApigeeOrganization metadata.name, for the owner reference. */
  org?: string;
}

function defaultIssueDetails(reason: string, secretName: string, arc: string): string {
  switch (reason) {
    case 'AIS_INGRESS_MTLS_CA_CERT_INVALID':
      return `CA certificate in secret "${secretName}" for ApigeeRouteConfig "${arc}" is not PEM encoded`;
    case 'AIS_INGRESS_MTLS_CA_CERT_EXPIREY':
      return `CA certificate in secret "${secretName}" for ApigeeRouteConfig "${arc}" has expired`;
    default:
      return `The ingress certificate stored in the Kubernetes secret "${secretName}" referenced by ApigeeRouteConfig "${arc}" has expired`;
  }
}

export function apigeeIssue(o: IssueOptions): K8sObject {
  const extra = common(o);
  extra.labels = { 'ais-reason': o.reason, ...(extra.labels ?? {}) };
  if (o.org) extra.ownerReferences = [{ apiVersion: apigee('v1alpha2'), kind: 'ApigeeOrganization', name: o.org, uid: '' }];
  return {
    apiVersion: apigee('v1alpha1'),
    kind: 'ApigeeIssue',
    metadata: meta(o.name, o.namespace ?? APIGEE_NAMESPACE, extra),
    spec: {
      details: o.details ?? defaultIssueDetails(o.reason, o.secret, o.routeConfig),
      reason: o.reason,
      severity: o.severity,
      documentation: `https://cloud.google.com/apigee/docs/hybrid/troubleshooting/${o.reason}`,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Pods

export interface PodOptions extends CommonOptions {
  name: string;
  containers?: string[];
  image?: string;
  phase?: 'Running' | 'Pending' | 'Succeeded' | 'Failed' | 'Unknown';
  /** Marks every container as waiting with this reason (logs then fail like a real kubelet). */
  waitingReason?: string;
  restartCount?: number;
}

export function pod(o: PodOptions): K8sObject {
  const containers = o.containers ?? ['main'];
  const started = o.creationTimestamp ?? '2025-01-01T00:00:00Z';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(o.name, o.namespace ?? APIGEE_NAMESPACE, common(o)),
    spec: { containers: containers.map((name) => ({ name, image: o.image ?? `gcr.io/apigee-release/hybrid/${name}:1.15.0` })) },
    status: {
      phase: o.phase ?? (o.waitingReason ? 'Pending' : 'Running'),
      containerStatuses: containers.map((name) => ({
        name,
        ready: !o.waitingReason && (o.phase ?? 'Running') === 'Running',
        restartCount: o.restartCount ?? 0,
        state: o.waitingReason ? { waiting: { reason: o.waitingReason } } : { running: { startedAt: started } },
      })),
    },
  };
}

export interface WatcherPodOptions extends Omit<PodOptions, 'name'> {
  org: string;
  /** Default `apigee-watcher-<encodedOrg>-<rev>-<rs>-<pod>`, deterministic per org. */
  name?: string;
}

/** Default watcher pod name, e.g. `apigee-watcher-apigee-hybrid-3-97e66ab-5f1c-kx7vq2b9dm-x4p2z`. */
export function watcherPodName(org: string): string {
  return `apigee-watcher-${encodeOrgName(org)}-${shortSha(`rev:${org}`).slice(0, 4)}-${suffix(`rs:${org}`, 10)}-${suffix(`pod:${org}`, 5)}`;
}

export function watcherPod(o: WatcherPodOptions): K8sObject {
  const { org, ...rest } = o;
  return pod({
    ...rest,
    name: o.name ?? watcherPodName(org),
    containers: o.containers ?? ['apigee-watcher'],
    image: o.image ?? 'gcr.io/apigee-release/hybrid/apigee-watcher:1.15.0',
    labels: { app: 'apigee-watcher', org: encodeOrgName(org), ...(o.labels ?? {}) },
  });
}

export interface IngressGatewayPodOptions extends Omit<PodOptions, 'name'> {
  org: string;
  /** ingressGateways[].name; default `apigee-ingress`. */
  ingress?: string;
  name?: string;
}

export function ingressGatewayPodName(org: string, ingress = 'apigee-ingress'): string {
  return `apigee-ingressgateway-${ingress}-${encodeOrgName(org)}-${shortSha(`rev:${org}:${ingress}`).slice(0, 4)}-${suffix(`pod:${org}:${ingress}`, 5)}`;
}

export function ingressGatewayPod(o: IngressGatewayPodOptions): K8sObject {
  const { org, ingress = 'apigee-ingress', ...rest } = o;
  return pod({
    ...rest,
    name: o.name ?? ingressGatewayPodName(org, ingress),
    containers: o.containers ?? ['istio-proxy'],
    image: o.image ?? 'gcr.io/apigee-release/hybrid/apigee-asm-ingress:1.22.8-asm.4-distroless',
    labels: { app: 'apigee-ingressgateway', ingress_name: ingress, org: encodeOrgName(org), ...(o.labels ?? {}) },
  });
}

// ---------------------------------------------------------------------------------------------
// Log lines

export interface LineOptions {
  /** Wrap in a JSON log record (`{"level":…,"ts":…,"msg":…}`); the real format is unknown. */
  json?: boolean;
  time?: Date;
}

/** The playbook's tell-tale watcher line (reference/apigee.md §7.1), on one line. */
export function watcherSecretNotFoundLine(secretName: string, ns = APIGEE_NAMESPACE, o: LineOptions = {}): string {
  const msg = `NOT_FOUND: failed to get secret "${secretName}" in namespace "${ns}": secrets "${secretName}" not found`;
  return o.json ? jsonRecord('error', msg, o.time) : msg;
}

/** A benign watcher line, for noise around the interesting ones. */
export function watcherInfoLine(msg: string, o: LineOptions = {}): string {
  return o.json ? jsonRecord('info', msg, o.time) : msg;
}

function jsonRecord(level: string, msg: string, time = new Date()): string {
  // zap-style epoch seconds with fractions; the watcher's real field set is UNCONFIRMED.
  return JSON.stringify({ level, ts: time.getTime() / 1000, msg });
}

/** Stamps lines with times from `start`, `stepMs` apart (default 1 s), for since-filters. */
export function logEntries(lines: readonly string[], start: Date, stepMs = 1000): LogEntry[] {
  return lines.map((line, i) => ({ time: new Date(start.getTime() + i * stepMs), line }));
}

export interface GeneratedLogOptions {
  /** Number of lines. */
  lines: number;
  /** Line text by index; default a benign watcher line. */
  line?: (i: number) => string;
  /** Time of line 0 and spacing; default 1 ms apart ending now. */
  start?: Date;
  stepMs?: number;
  /** Lines to put at given indexes instead of the generated one. */
  inject?: Record<number, string>;
}

/**
 * A log generated on demand: hundreds of MB without holding them. Each request replays it
 * from the start, so tail/since filters see the whole log.
 */
export function generatedLog(o: GeneratedLogOptions): LogGenerator {
  const step = o.stepMs ?? 1;
  const line = o.line ?? ((i: number) => `I0101 00:00:00.000000       1 watcher.go:112] polling ingress config for changes, iteration ${i}`);
  return function* generate(): Generator<LogEntry> {
    const start = o.start?.getTime() ?? Date.now() - o.lines * step;
    for (let i = 0; i < o.lines; i += 1) {
      yield { time: new Date(start + i * step), line: o.inject?.[i] ?? line(i) };
    }
  };
}

// ---------------------------------------------------------------------------------------------
// A whole cluster

export interface EnvGroupSpec {
  name: string;
  hostnames?: string[];
  /** The secret's content; `null` means the secret is missing (cause 1). */
  secret?: Omit<TlsSecretOptions, 'name' | 'namespace'> | null;
  /** Secret name when not `<org>-<envgroup>`. */
  secretName?: string;
  mode?: 'SIMPLE' | 'MUTUAL';
  errors?: string[];
}

export interface ApigeeClusterSpec {
  org: string;
  namespace?: string;
  envgroups: EnvGroupSpec[];
  /** Helm-era install: encoded resource names and Helm annotations on the ARCs. */
  helm?: boolean;
  /** Watcher log as JSON records. */
  jsonLogs?: boolean;
  /** Time of the watcher's log lines; default now. */
  now?: Date;
  issues?: IssueOptions[];
}

export interface ApigeeClusterScenario {
  objects: K8sObject[];
  logs: LogMap;
  watcherPod: string;
  ingressPod: string;
}

/**
 * One org with its env groups, routes, watcher and ingress pods. A missing secret puts the
 * playbook's NOT_FOUND line into the watcher log, like the real watcher reports it.
 */
export function apigeeCluster(spec: ApigeeClusterSpec): ApigeeClusterScenario {
  const ns = spec.namespace ?? APIGEE_NAMESPACE;
  const now = spec.now ?? new Date();
  const orgName = spec.helm ? encodeOrgName(spec.org) : spec.org;
  const objects: K8sObject[] = [namespace(ns), apigeeOrganization(spec.org, { name: orgName, namespace: ns })];
  const watcher = watcherPod({ org: spec.org, namespace: ns });
  const ingress = ingressGatewayPod({ org: spec.org, namespace: ns });
  objects.push(watcher, ingress);
  const lines: string[] = [watcherInfoLine('starting apigee-watcher', { json: spec.jsonLogs, time: now })];
  for (const eg of spec.envgroups) {
    const secretName = eg.secretName ?? `${spec.org}-${eg.name}`;
    const arc = routeConfig({
      org: spec.org,
      envgroup: eg.name,
      namespace: ns,
      secretNameRef: secretName,
      mode: eg.mode,
      errors: eg.errors,
      ...(spec.helm ? { helmRelease: `${spec.org}-${eg.name}` } : {}),
    });
    objects.push(arc, route({ routeConfig: arc, hostnames: eg.hostnames ?? [`${eg.name}.${spec.org}.example.com`] }));
    if (eg.secret === null) {
      lines.push(watcherSecretNotFoundLine(secretName, ns, { json: spec.jsonLogs, time: now }));
    } else if (eg.secret !== undefined) {
      objects.push(tlsSecret({ ...eg.secret, name: secretName, namespace: ns }));
    }
  }
  for (const issue of spec.issues ?? []) objects.push(apigeeIssue({ namespace: ns, org: orgName, ...issue }));
  return {
    objects,
    logs: { [`${ns}/${watcher.metadata.name}/apigee-watcher`]: logEntries(lines, new Date(now.getTime() - lines.length * 1000)) },
    watcherPod: watcher.metadata.name,
    ingressPod: ingress.metadata.name,
  };
}
