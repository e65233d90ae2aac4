// Builders for the objects and logs of an Apigee hybrid cluster (reference/apigee.md §3, §5–§7).
// They take certificate and key bytes as input; generating PKI is someone else's job.
import { createHash } from 'node:crypto';
import { APIGEE_GROUP, CERT_MANAGER_GROUP } from './discovery.js';
import { uidFor } from './objects.js';
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

/**
 * What the apigee-virtualhost chart puts on what it makes (the ARC and the secret `<org>-<envgroup>`
 * it creates from sslCertPath/sslKeyPath): Helm's ownership annotations and label (reference/apigee.md §4, §12.4).
 */
function helmOwned(extra: Partial<ObjectMeta>, release: string, namespace: string): Partial<ObjectMeta> {
  return {
    ...extra,
    annotations: { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': namespace, ...(extra.annotations ?? {}) },
    labels: { 'app.kubernetes.io/managed-by': 'Helm', ...(extra.labels ?? {}) },
  };
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
  /** Made by this Helm release of the apigee-virtualhost chart (its ownership annotations). */
  helmRelease?: string;
  /** Issued by cert-manager for this Certificate (its `cert-manager.io/certificate-name` annotation). */
  certificateName?: string;
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
  const annotations = { ...(o.certificateName ? certManagerAnnotations(o.certificateName) : {}), ...(o.annotations ?? {}) };
  return secret({
    ...o,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    type: o.type ?? (layout === 'generic' ? 'Opaque' : 'kubernetes.io/tls'),
    data,
  });
}

/**
 * The annotations cert-manager writes on a secret it issues: `cert-manager.io/certificate-name`
 * (reference/apigee.md §12.4) and the issuer ones (https://cert-manager.io/docs/reference/annotations/).
 * The kustomize installer's issuer is the ClusterIssuer `apigee-ca-issuer`.
 */
function certManagerAnnotations(certificate: string): Record<string, string> {
  return {
    'cert-manager.io/certificate-name': certificate,
    'cert-manager.io/issuer-name': 'apigee-ca-issuer',
    'cert-manager.io/issuer-kind': 'ClusterIssuer',
    'cert-manager.io/issuer-group': 'cert-manager.io',
  };
}

/**
 * The second secret of an mTLS env group set up with sslSecret: istiod resolves the CA of
 * credential `<name>` as the secret `<name>-cacert`, key `cacert` (reference/apigee.md §12.3).
 */
export function caSecret(o: CommonOptions & { credential: string; ca: Buffer | string }): K8sObject {
  return secret({ ...o, name: `${o.credential}-cacert`, data: { cacert: b64(o.ca) } });
}

export interface SecretOptions extends CommonOptions {
  name: string;
  type?: string;
  /** Already-encoded data (values are base64 strings, or anything for broken cases). */
  data?: Record<string, string>;
}

export function secret(o: SecretOptions & { helmRelease?: string }): K8sObject {
  const ns = o.namespace ?? APIGEE_NAMESPACE;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(o.name, ns, o.helmRelease ? helmOwned(common(o), o.helmRelease, ns) : common(o)),
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
  /** spec.selector; default `app: apigee-ingressgateway`. */
  selector?: Record<string, string>;
  /** spec.additionalGateways: ApigeeRoutes that serve the env group besides its own (e.g. the non-SNI wildcard route). */
  additionalGateways?: string[];
}

export function routeConfig(o: RouteConfigOptions): K8sObject {
  const name = o.name ?? `${o.org}-${o.envgroup}`;
  const ns = o.namespace ?? APIGEE_NAMESPACE;
  const extra = o.helmRelease !== undefined ? helmOwned(common(o), o.helmRelease, ns) : common(o);
  // A uid known before the simulator stores the ARC, so generated routes can name it as their owner.
  extra.uid = uidFor({ apiVersion: apigee('v1alpha1'), kind: 'ApigeeRouteConfig', metadata: { name, namespace: ns } });
  const tls: Record<string, unknown> = { mode: o.mode ?? 'SIMPLE', secretNameRef: o.secretNameRef ?? `${o.org}-${o.envgroup}` };
  if (o.minProtocolVersion) tls.minProtocolVersion = o.minProtocolVersion;
  const errors = (o.errors ?? []).map((message) => ({ generation: 1, message }));
  return {
    apiVersion: apigee('v1alpha1'),
    kind: 'ApigeeRouteConfig',
    metadata: meta(name, ns, { ...extra, generation: 1 }),
    spec: {
      selector: { ...(o.selector ?? { app: 'apigee-ingressgateway' }) },
      connectTimeout: 300,
      ...(o.enableNonSniClient !== undefined ? { enableNonSniClient: o.enableNonSniClient } : {}),
      ...(o.additionalGateways ? { additionalGateways: [...o.additionalGateways] } : {}),
      tls,
    },
    status: { state: o.state ?? (errors.length > 0 ? 'error' : 'running'), lastAppliedGeneration: 1, ...(errors.length > 0 ? { errors } : {}) },
  };
}

/**
 * The two generated ApigeeRoute name forms (reference/apigee.md §12.2): 1.13–1.15 clusters show
 * `{arc}-000-{sha256("{arc}-000")[:7]}` (e.g. apigee-hybrid-378710-test2-000-7196418); Google's 2023
 * playbook shows `{arc}-{7 hex}` with no index (`[org-env]-group-84a6bb5`). What that short form
 * hashes is not known: sha256 of the ARC name stands in, only the shape is sourced.
 */
export type RouteNameForm = 'indexed' | 'short';

export function generatedRouteName(arcName: string, index = 0, form: RouteNameForm = 'indexed'): string {
  if (form === 'short') return `${arcName}-${shortSha(index === 0 ? arcName : `${arcName}-${index}`)}`;
  const base = `${arcName}-${String(index).padStart(3, '0')}`;
  return `${base}-${shortSha(base)}`;
}

export interface RouteOptions extends CommonOptions {
  /** The ApigeeRouteConfig object, or its name. */
  routeConfig: K8sObject | string;
  hostnames: string[];
  index?: number;
  /** Which generated name form (default indexed, the 1.13–1.15 one). */
  nameForm?: RouteNameForm;
  /** metadata.name; default the generated name. */
  name?: string;
  /** ports[0].tls.credentialName; default the ARC's secretNameRef (or the ARC name). */
  credentialName?: string;
  mode?: string;
  state?: string;
  enableNonSniClient?: boolean;
  /** false: no ownerReference to the ARC (a route written by hand). Default: owned when the ARC object is given. */
  owned?: boolean;
  /** spec.selector; default the ARC's. */
  selector?: Record<string, string>;
  /** Stored apiVersion (default v1alpha1, as Google's docs write it); the server serves every version the CRD has. */
  version?: string;
}

export function route(o: RouteOptions): K8sObject {
  const arc = typeof o.routeConfig === 'string' ? undefined : o.routeConfig;
  const arcName = typeof o.routeConfig === 'string' ? o.routeConfig : o.routeConfig.metadata.name;
  const arcSpec = (arc?.spec ?? {}) as { tls?: { secretNameRef?: string; mode?: string }; selector?: Record<string, string> };
  const arcTls = arcSpec.tls ?? {};
  const ns = o.namespace ?? arc?.metadata.namespace ?? APIGEE_NAMESPACE;
  const extra = common(o);
  if (arc && o.owned !== false) {
    // Generated routes point at their ARC by uid; the relationship builder links them so (§12.2).
    extra.ownerReferences = [
      {
        apiVersion: arc.apiVersion,
        kind: 'ApigeeRouteConfig',
        name: arcName,
        uid: arc.metadata.uid ?? uidFor(arc),
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
  }
  return {
    apiVersion: apigee(o.version ?? 'v1alpha1'),
    kind: 'ApigeeRoute',
    metadata: meta(o.name ?? generatedRouteName(arcName, o.index ?? 0, o.nameForm), ns, extra),
    spec: {
      hostnames: [...o.hostnames],
      ports: [
        {
          number: 443,
          protocol: 'HTTPS',
          tls: { credentialName: o.credentialName ?? arcTls.secretNameRef ?? arcName, mode: o.mode ?? arcTls.mode ?? 'SIMPLE', minProtocolVersion: 'TLS_AUTO' },
        },
      ],
      selector: { ...(o.selector ?? arcSpec.selector ?? { app: 'apigee-ingressgateway' }) },
      ...(o.enableNonSniClient !== undefined ? { enableNonSniClient: o.enableNonSniClient } : {}),
    },
    status: { state: o.state ?? 'running' },
  };
}

/**
 * The wildcard route for non-SNI clients, written by hand as the enable-non-sni page shows
 * (reference/apigee.md §5.4): `hostnames: ["*"]`, `enableNonSniClient: true`, and the credential
 * every env group shares for clients that send no SNI.
 */
export function nonSniRoute(o: CommonOptions & { name: string; credentialName: string }): K8sObject {
  return route({ ...o, routeConfig: o.name, name: o.name, hostnames: ['*'], credentialName: o.credentialName, enableNonSniClient: true, owned: false });
}

/**
 * A cert-manager Certificate (cert-manager.io/v1) as the kustomize installer writes it for an env
 * group (reference/apigee.md §12.4: issuer apigee-ca-issuer, encoding PKCS1), with its Ready
 * condition (https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.CertificateCondition).
 */
export function certificate(
  o: CommonOptions & { name: string; secretName: string; dnsNames: string[]; ready?: boolean; reason?: string; message?: string },
): K8sObject {
  const ready = o.ready ?? true;
  return {
    apiVersion: `${CERT_MANAGER_GROUP}/v1`,
    kind: 'Certificate',
    metadata: meta(o.name, o.namespace ?? APIGEE_NAMESPACE, { ...common(o), generation: 1 }),
    spec: {
      secretName: o.secretName,
      dnsNames: [...o.dnsNames],
      issuerRef: { name: 'apigee-ca-issuer', kind: 'ClusterIssuer', group: CERT_MANAGER_GROUP },
      privateKey: { encoding: 'PKCS1' },
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          reason: o.reason ?? (ready ? 'Ready' : 'DoesNotExist'),
          message: o.message ?? (ready ? 'Certificate is up to date and has not expired' : 'Issuing certificate as Secret does not exist'),
          observedGeneration: 1,
        },
      ],
    },
  };
}

/**
 * What cert-manager leaves when a Certificate's issuer is missing: the CertificateRequest it made,
 * not Ready, and the IssuerNotFound event on it (https://cert-manager.io/docs/reference/api-docs/
 * #cert-manager.io/v1.CertificateRequest; the event text of reference/apigee.md §12.4).
 */
export function issuerNotFound(certificate: string, ns = APIGEE_NAMESPACE, issuer = 'apigee-ca-issuer'): K8sObject[] {
  const message = `Referenced "ClusterIssuer" not found: clusterissuer.cert-manager.io "${issuer}" not found`;
  const request = `${certificate}-1`;
  return [
    {
      apiVersion: `${CERT_MANAGER_GROUP}/v1`,
      kind: 'CertificateRequest',
      metadata: meta(request, ns, {
        annotations: { 'cert-manager.io/certificate-name': certificate, 'cert-manager.io/certificate-revision': '1' },
        ownerReferences: [{ apiVersion: `${CERT_MANAGER_GROUP}/v1`, kind: 'Certificate', name: certificate, uid: '', controller: true }],
      }),
      spec: { issuerRef: { name: issuer, kind: 'ClusterIssuer', group: CERT_MANAGER_GROUP } },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Pending', message }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta(`${request}.${shortSha(request)}`, ns),
      involvedObject: { apiVersion: `${CERT_MANAGER_GROUP}/v1`, kind: 'CertificateRequest', name: request, namespace: ns },
      type: 'Warning',
      reason: 'IssuerNotFound',
      message,
    },
  ];
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

/**
 * A gateway pod runs two containers (READY 2/2 in Google's playbook "Apigee ingress gateway pods show
 * 1 of 2 containers running"; reference/apigee.md §12.5). Envoy is `istio-proxy`; the second's name
 * is in no source at hand, so a stand-in is used and nothing in the product may depend on it.
 */
export const GATEWAY_CONTAINERS = ['istio-proxy', 'apigee-gateway-aux'] as const;

export function ingressGatewayPod(o: IngressGatewayPodOptions): K8sObject {
  const { org, ingress = 'apigee-ingress', ...rest } = o;
  return pod({
    ...rest,
    name: o.name ?? ingressGatewayPodName(org, ingress),
    containers: o.containers ?? [...GATEWAY_CONTAINERS],
    image: o.image ?? 'gcr.io/apigee-release/hybrid/apigee-asm-ingress:1.22.8-asm.4-distroless',
    labels: { app: 'apigee-ingressgateway', ingress_name: ingress, org: encodeOrgName(org), ...(o.labels ?? {}) },
  });
}

/**
 * The ingress manager (istiod): Deployment `apigee-ingressgateway-manager`, container `discovery`,
 * labelled `app: apigee-istiod` (kustomize installer) or `app=apigee-ingressgateway-manager`
 * (Google's 2025 ansible roles) (reference/apigee.md §6, §12.5). Two replicas of ReplicaSet
 * `apigee-ingressgateway-manager-<hash>`, pods `…-<hash>-<5>` (relationship-builder, 1.15).
 */
export type IngressManagerLabel = 'apigee-istiod' | 'apigee-ingressgateway-manager';

export const INGRESS_MANAGER = 'apigee-ingressgateway-manager';

export function ingressManager(o: CommonOptions & { label?: IngressManagerLabel; replicas?: number } = {}): K8sObject[] {
  const ns = o.namespace ?? APIGEE_NAMESPACE;
  const labels = { app: o.label ?? 'apigee-ingressgateway-manager' };
  const template = sha256hex(`rs:${ns}:${labels.app}`).slice(0, 10);
  const image = 'gcr.io/apigee-release/hybrid/apigee-asm-istiod:1.22.8-asm.4-distroless';
  const deployment: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(INGRESS_MANAGER, ns, { ...common(o), labels: { ...labels, ...(o.labels ?? {}) }, generation: 1 }),
    spec: {
      replicas: o.replicas ?? 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'discovery', image }] } },
    },
    status: { replicas: o.replicas ?? 2, readyReplicas: o.replicas ?? 2, availableReplicas: o.replicas ?? 2 },
  };
  const pods = Array.from({ length: o.replicas ?? 2 }, (_, i) =>
    pod({
      ...o,
      name: `${INGRESS_MANAGER}-${template}-${suffix(`pod:${ns}:${labels.app}:${i}`, 5)}`,
      containers: ['discovery'],
      image,
      labels: { ...labels, 'pod-template-hash': template, ...(o.labels ?? {}) },
    }),
  );
  return [deployment, ...pods];
}

// ---------------------------------------------------------------------------------------------
// Log lines

export interface LineOptions {
  /**
   * A JSON record whose `msg` is the text (`{"level":…,"ts":…,"msg":…}`): a generic structured
   * logger, kept to test that the product does not depend on one schema.
   */
  json?: boolean;
  /**
   * The watcher's real form (reference/apigee.md §12.1): zap JSON with the constant msg
   * `error during watch` and the text in `error`.
   */
  zap?: boolean;
  time?: Date;
}

/** The playbook's tell-tale watcher line (reference/apigee.md §7.1), on one line. */
export function watcherSecretNotFoundLine(secretName: string, ns = APIGEE_NAMESPACE, o: LineOptions = {}): string {
  const text = `NOT_FOUND: failed to get secret "${secretName}" in namespace "${ns}": secrets "${secretName}" not found`;
  if (o.zap) return zapWatchError(text, o.time);
  return o.json ? jsonRecord('error', text, o.time) : text;
}

/** A benign watcher line, for noise around the interesting ones. */
export function watcherInfoLine(msg: string, o: LineOptions = {}): string {
  return o.json || o.zap ? jsonRecord('info', msg, o.time) : msg;
}

function jsonRecord(level: string, msg: string, time = new Date()): string {
  // zap's epoch seconds with fractions.
  return JSON.stringify({ level, ts: time.getTime() / 1000, msg });
}

/** The field set and order of the real line in Google's "Apigee serving certificate not found or expired" playbook. */
export function zapWatchError(error: string, time = new Date()): string {
  return JSON.stringify({ level: 'error', ts: time.getTime() / 1000, caller: 'watcher/watcher.go:60', msg: 'error during watch', name: 'ingress', error });
}

/**
 * istiod's SDS lines (istio/istio pilot/pkg/xds/sds.go, pilot/pkg/credentials/kube/secrets.go;
 * reference/apigee.md §12.5), as its `discovery` container prints them: time, level, scope `ads`.
 */
export type IstiodProblem = 'not-found' | 'wrong-keys' | 'empty-keys' | 'ca-missing' | 'pem' | 'expired';

export function istiodLine(problem: IstiodProblem, secretName: string, ns = APIGEE_NAMESPACE, time = new Date(), foundKeys = 'ca.crt'): string {
  const credential = `kubernetes://${secretName}`;
  const msg = {
    'not-found': `failed to fetch key and certificate for ${credential}: secret ${ns}/${secretName} not found`,
    'wrong-keys': `failed to fetch key and certificate for ${credential}: found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: ${foundKeys}`,
    'empty-keys': `failed to fetch key and certificate for ${credential}: found keys "cert" and "key", but they were empty`,
    'ca-missing': `failed to fetch ca certificate for ${credential}-cacert: secret ${ns}/${secretName}-cacert not found`,
    pem: `invalid certificates: "${credential}": pem decode failed`,
    expired: `invalid certificates: "${credential}": x509: certificate is expired or not yet valid`,
  }[problem];
  return `${time.toISOString().replace('Z', '000Z')}\twarn\tads\t${msg}`;
}

/**
 * Envoy's SDS rejection on a gateway's istio-proxy, in Istio's proxy log form (istio/istio#53497,
 * envoyproxy/envoy#17693, envoyproxy/gateway#4768; reference/apigee.md §7.3, §12.5).
 */
export type EnvoyRejection = 'key-mismatch' | 'no-start-line' | 'p256-only' | 'chain' | 'incomplete';

export function envoyRejectedLine(reason: EnvoyRejection, time = new Date()): string {
  const why = {
    'key-mismatch': 'Failed to load private key from <inline>, Cause: error:0b000074:X.509 certificate routines:OPENSSL_internal:KEY_VALUES_MISMATCH',
    'no-start-line': 'Failed to load private key from <inline>, Cause: error:0900006e:PEM routines:OPENSSL_internal:NO_START_LINE',
    'p256-only': 'Failed to load certificate chain from <inline>, only P-256 ECDSA certificates are supported',
    chain: 'Failed to load certificate chain from <inline>',
    incomplete: 'Failed to load incomplete certificate from <inline>',
  }[reason];
  return `${time.toISOString().replace('Z', '000Z')}\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138\tgRPC config for type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret rejected: ${why}\tthread=15`;
}

/**
 * The watcher's error when the admission webhook's serving certificate has expired, as Google's
 * playbook "Apigee serving certificate not found or expired" shows it (reference/apigee.md §12.1),
 * for each of the given routes, joined with ", " into zap's `error`. The playbook elides the middle
 * of the line (…); the webhook's URL is left out rather than made up.
 */
export function watcherWebhookX509Line(routes: readonly string[], ns = APIGEE_NAMESPACE, time = new Date()): string {
  const errors = routes.map(
    (route) =>
      `INTERNAL: INTERNAL: failed to update ApigeeRoute ${route}, namespace ${ns}: Internal error occurred: failed calling webhook "mapigeeroute.apigee.cloud.google.com": x509: certificate has expired or is not yet valid: current time ${time.toISOString().replace(/\.\d{3}Z$/, 'Z')} is after 2025-01-01T00:00:00Z`,
  );
  return zapWatchError(errors.join(', '), time);
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

/** Who made the env group's secret, which decides its fix (reference/apigee.md §12.4). */
export type SecretOwner = 'chart' | 'user' | 'cert-manager';

export interface EnvGroupSpec {
  name: string;
  hostnames?: string[];
  /** The secret's content; `null` means the secret is missing (cause 1). */
  secret?: Omit<TlsSecretOptions, 'name' | 'namespace'> | null;
  /** Secret name when not `<org>-<envgroup>`. */
  secretName?: string;
  /**
   * Who made it: the chart (from sslCertPath, named `<org>-<envgroup>`), the user (sslSecret) or
   * cert-manager (a Certificate, the kustomize installer). Default chart for `<org>-<envgroup>`, else user.
   */
  owner?: SecretOwner;
  mode?: 'SIMPLE' | 'MUTUAL';
  errors?: string[];
  /** The mTLS CA, in the second secret `<secret>-cacert` (sslSecret with MUTUAL, §12.3). */
  caSecret?: Buffer | string;
  /** The namespace the secret sits in instead of the Apigee one (e.g. `istio-system`, left there by an upgrade past 1.8: §12.6). */
  secretNamespace?: string;
  /** The ingress the ARC selects (`ingress_name` in spec.selector, §12.6); default: no ingress_name. */
  ingress?: string;
  /** The generated route's name form (§12.2); default indexed. */
  routeNameForm?: RouteNameForm;
  /** spec.additionalGateways of the ARC: routes (e.g. the non-SNI one) that serve it too. */
  additionalGateways?: string[];
  /** With owner cert-manager: whether its Certificate is Ready (default true). */
  certificateReady?: boolean;
  /**
   * What the ingress logs about this env group (istiodLine, envoyRejectedLine, watcherWebhookX509Line):
   * the manager's first pod, the istio-proxy of the gateway it selects, the watcher; each line at `at` (default now).
   */
  logs?: { manager?: string[]; gateway?: string[]; watcher?: string[]; at?: Date };
}

export interface NonSniRouteSpec {
  name: string;
  credentialName: string;
  /** The credential secret's content; `null` or omitted: it is missing. */
  secret?: Omit<TlsSecretOptions, 'name' | 'namespace'> | null;
}

export interface ApigeeClusterSpec {
  org: string;
  namespace?: string;
  envgroups: EnvGroupSpec[];
  /** Helm-era install: encoded resource names and Helm annotations on the ARCs and chart-made secrets. */
  helm?: boolean;
  /** The apigee-virtualhost release of an env group; default `apigee-virtualhost-<envgroup>` (a 1.15 cluster's, §4). */
  helmRelease?: (envgroup: string) => string;
  /** Watcher log as zap JSON records, the real form (§12.1). */
  jsonLogs?: boolean;
  /** Time of the watcher's log lines; default now. */
  now?: Date;
  issues?: IssueOptions[];
  /** ingressGateways[].name of the org: one gateway pod each; default [`apigee-ingress`]. */
  ingresses?: string[];
  /** The ingress manager's pod label (§12.5); default `apigee-ingressgateway-manager`. */
  ingressManagerLabel?: IngressManagerLabel;
  /** The namespace istio-system exists (as after an upgrade from the ASM era); implied by a secret put there. */
  istioSystem?: boolean;
  /** Hand-written wildcard routes for non-SNI clients (§5.4), to be named in additionalGateways. */
  nonSniRoutes?: NonSniRouteSpec[];
}

export interface ApigeeClusterScenario {
  objects: K8sObject[];
  logs: LogMap;
  watcherPod: string;
  /** The first gateway pod. */
  ingressPod: string;
  ingressPods: string[];
  ingressManagerPods: string[];
  /** What the simulator must serve for these objects: cert-manager's CRDs when a secret is cert-manager's. */
  simulator: { certManager: boolean };
}

function envGroupObjects(spec: ApigeeClusterSpec, eg: EnvGroupSpec, ns: string): { objects: K8sObject[]; missing?: string } {
  const chartName = `${spec.org}-${eg.name}`;
  const secretName = eg.secretName ?? chartName;
  const owner = eg.owner ?? (secretName === chartName ? 'chart' : 'user');
  const release = spec.helm ? (spec.helmRelease ?? ((g: string) => `apigee-virtualhost-${g}`))(eg.name) : undefined;
  const arc = routeConfig({
    org: spec.org,
    envgroup: eg.name,
    namespace: ns,
    secretNameRef: secretName,
    mode: eg.mode,
    errors: eg.errors,
    ...(eg.ingress ? { selector: { app: 'apigee-ingressgateway', ingress_name: eg.ingress } } : {}),
    ...(eg.additionalGateways ? { additionalGateways: eg.additionalGateways } : {}),
    ...(release ? { helmRelease: release } : {}),
  });
  const hostnames = eg.hostnames ?? [`${eg.name}.${spec.org}.example.com`];
  const objects: K8sObject[] = [arc, route({ routeConfig: arc, hostnames, nameForm: eg.routeNameForm })];
  if (owner === 'cert-manager') {
    objects.push(certificate({ name: secretName, namespace: ns, secretName, dnsNames: hostnames, ready: eg.certificateReady }));
  }
  const secretNs = eg.secretNamespace ?? ns;
  if (eg.secret !== null && eg.secret !== undefined) {
    objects.push(
      tlsSecret({
        ...(owner === 'cert-manager' ? { layout: 'kubernetes.io/tls' as const, certificateName: secretName } : {}),
        ...eg.secret,
        ...(owner === 'chart' && release && secretNs === ns ? { helmRelease: release } : {}),
        name: secretName,
        namespace: secretNs,
      }),
    );
  }
  if (eg.caSecret !== undefined) objects.push(caSecret({ credential: secretName, ca: eg.caSecret, namespace: ns }));
  return { objects, ...(eg.secret === null || secretNs !== ns ? { missing: secretName } : {}) };
}

/**
 * One org with its env groups, routes, watcher, ingress manager and gateway pods. A missing secret
 * puts the playbook's NOT_FOUND line into the watcher log, like the real watcher reports it.
 */
export function apigeeCluster(spec: ApigeeClusterSpec): ApigeeClusterScenario {
  const ns = spec.namespace ?? APIGEE_NAMESPACE;
  const now = spec.now ?? new Date();
  const orgName = spec.helm ? encodeOrgName(spec.org) : spec.org;
  const objects: K8sObject[] = [namespace(ns), apigeeOrganization(spec.org, { name: orgName, namespace: ns })];
  if (spec.istioSystem || spec.envgroups.some((eg) => eg.secretNamespace === 'istio-system')) objects.push(namespace('istio-system'));
  const watcher = watcherPod({ org: spec.org, namespace: ns });
  const gateways = (spec.ingresses ?? ['apigee-ingress']).map((ingress) => ingressGatewayPod({ org: spec.org, ingress, namespace: ns }));
  const manager = ingressManager({ namespace: ns, ...(spec.ingressManagerLabel ? { label: spec.ingressManagerLabel } : {}) });
  objects.push(watcher, ...gateways, ...manager);
  const lines: string[] = [watcherInfoLine('starting apigee-watcher', { zap: spec.jsonLogs, time: now })];
  const managerPod = manager.find((o) => o.kind === 'Pod')!.metadata.name;
  const extra: Record<string, LogEntry[]> = {};
  const add = (key: string, text: readonly string[] | undefined, at: Date) => {
    if (text?.length) (extra[key] ??= []).push(...text.map((line) => ({ time: at, line })));
  };
  for (const eg of spec.envgroups) {
    const made = envGroupObjects(spec, eg, ns);
    objects.push(...made.objects);
    if (made.missing) lines.push(watcherSecretNotFoundLine(made.missing, ns, { zap: spec.jsonLogs, time: now }));
    const at = eg.logs?.at ?? now;
    const gateway = gateways.find((g) => g.metadata.labels?.ingress_name === (eg.ingress ?? 'apigee-ingress')) ?? gateways[0];
    add(`${ns}/${managerPod}/discovery`, eg.logs?.manager, at);
    if (gateway) add(`${ns}/${gateway.metadata.name}/${GATEWAY_CONTAINERS[0]}`, eg.logs?.gateway, at);
    add(`${ns}/${watcher.metadata.name}/apigee-watcher/extra`, eg.logs?.watcher, at);
  }
  const watcherExtra = extra[`${ns}/${watcher.metadata.name}/apigee-watcher/extra`] ?? [];
  delete extra[`${ns}/${watcher.metadata.name}/apigee-watcher/extra`];
  for (const entries of Object.values(extra)) entries.sort((a, b) => a.time.getTime() - b.time.getTime());
  for (const r of spec.nonSniRoutes ?? []) {
    objects.push(nonSniRoute({ name: r.name, credentialName: r.credentialName, namespace: ns }));
    if (r.secret) objects.push(tlsSecret({ ...r.secret, name: r.credentialName, namespace: ns }));
  }
  for (const issue of spec.issues ?? []) objects.push(apigeeIssue({ namespace: ns, org: orgName, ...issue }));
  return {
    objects,
    logs: {
      [`${ns}/${watcher.metadata.name}/apigee-watcher`]: [...logEntries(lines, new Date(now.getTime() - lines.length * 1000)), ...watcherExtra].sort(
        (a, b) => a.time.getTime() - b.time.getTime(),
      ),
      ...extra,
    },
    watcherPod: watcher.metadata.name,
    ingressPod: gateways[0]?.metadata.name ?? '',
    ingressPods: gateways.map((p) => p.metadata.name),
    ingressManagerPods: manager.filter((o) => o.kind === 'Pod').map((p) => p.metadata.name),
    simulator: { certManager: objects.some((o) => o.apiVersion.startsWith(`${CERT_MANAGER_GROUP}/`)) },
  };
}
