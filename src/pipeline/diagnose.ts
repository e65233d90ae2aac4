// `diagnose`, end to end: list the namespace once, resolve each env group, read the watcher logs
// once for all of them, then run the checks in the playbook's order and the ones beyond it.
import { detectInstall } from '../apigee/install.js';
import { applyCommand, recreateSecretFix } from '../apigee/remediation.js';
import { envGroupsOf, ORG_HINT, resolveEnvGroup, type Resolution } from '../apigee/resolve.js';
import { certificateNameOf, credentialNamesOf, issuesFor, nameOf, orgNamesOf, routeConfigFor, selectorOf, type KubeObject } from '../apigee/resources.js';
import type { Overrides } from '../apigee/overrides.js';
import { caSecretName, hasOwnCa, layoutOf, secretMaterial } from '../apigee/secret-layout.js';
import { evidence, type Evidence } from '../checks/inputs.js';
import { DIAGNOSE_CHECKS } from '../checks/registry.js';
import { runChecks } from '../checks/run.js';
import { inNamespace, kubectlCommand, type KubectlScope } from '../cmdline/kubectl.js';
import { shellQuote } from '../cmdline/quote.js';
import type { AdditionalRoute, ClusterEvidence, Observed, PodView, SecretLookup, WatcherEvidence } from '../evidence/cluster.js';
import { IncompleteError } from '../errors.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import { confirmNamespace, lookupSecret, secretExistsIn } from '../gather/secret.js';
import { itemsOrEmpty, type Listing } from '../gather/listing.js';
import { withOrgs, type NamespaceSnapshot } from '../gather/snapshot.js';
import type { WatcherLogs } from '../gather/watcher-logs.js';
import { withIngressLines } from '../checks/ingress-evidence.js';
import { ingressLogsFor, readNamespaceLogs, type LogTaps, type NamespaceLogs } from './ingress-logs.js';
import { certManagerEvidence, listCertificates } from '../gather/cert-manager.js';
import type { ParsedCertificate } from '../pki/types.js';
import type { Diagnosis, Target } from '../report/finding.js';
import { diagnosis } from '../report/result.js';
import { watcherSecretNotFound } from '../signatures/index.js';
import { absentEnvGroupReport } from './envgroup-absent.js';
import { gatherMaterial } from './material.js';
import { listNamespace, type DiagnoseWave } from './wave.js';

export interface DiagnoseRequest {
  target: KubectlTarget;
  /** Path of the kubectl binary. */
  kubectl: string;
  /** One env group, or every env group in the namespace. */
  envgroups: { all: true } | { all: false; name: string };
  org?: string;
  overrides?: Overrides;
  overridesPath?: string;
  hosts: string[];
  since: string;
  tail: number;
  now: Date;
  expiryWarningMs: number;
}

function observed<T>(listing: Listing, value: (items: KubeObject[]) => T): Observed<T> {
  if (listing.state === 'ok') return { state: 'ok', value: value(listing.items) };
  // Name the one type missing: a cluster can serve some Apigee CRDs and not others.
  if (listing.state === 'absent')
    return { state: 'absent', why: `not on this cluster: ${listing.failure.message.replace(/^error: /, '')} (are the Apigee CRDs installed?)` };
  return { state: 'error', failure: listing.failure };
}

/** Why a listing that decides something could not: for messages that must not guess. */
function listingTrouble(listing: Listing, what: string): string | null {
  if (listing.state === 'ok') return null;
  const line = listing.failure.message.replace(/^error: /, '');
  return listing.state === 'absent' ? `the Apigee custom resources are not installed on this cluster (${line})` : `could not list ${what}: ${line}`;
}

function pickOrgForAll(request: Pick<DiagnoseRequest, 'org' | 'overrides'>, snapshot: NamespaceSnapshot): string {
  if (request.org) return request.org;
  const names = orgNamesOf(itemsOrEmpty(snapshot.orgs));
  if (names.length === 1) return names[0]!;
  if (request.overrides?.org) return request.overrides.org;
  const found =
    listingTrouble(snapshot.orgs, 'ApigeeOrganizations') ??
    (names.length ? `found ApigeeOrganizations: ${names.join(', ')}` : 'no ApigeeOrganization was found');
  throw new IncompleteError(`cannot tell which Apigee org's env groups to diagnose in namespace "${snapshot.namespace}": ${found}`, 'Pass --org ORG.');
}

/** --all: the env groups are the route configs; none found is not "all healthy". */
function envGroupsForAll(request: Pick<DiagnoseRequest, 'org' | 'overrides'>, snapshot: NamespaceSnapshot): string[] {
  const trouble = listingTrouble(snapshot.routeConfigs, 'ApigeeRouteConfigs');
  if (trouble && !request.overrides?.virtualhosts.length)
    throw new IncompleteError(`cannot find the env groups in namespace "${snapshot.namespace}": ${trouble}`, 'Name one: diagnose ENVGROUP --org ORG.');
  const org = pickOrgForAll(request, snapshot);
  const names = envGroupsOf(org, itemsOrEmpty(snapshot.routeConfigs), request.overrides);
  if (names.length === 0) {
    throw new IncompleteError(
      `found no env group of org ${org} in namespace "${snapshot.namespace}": no ApigeeRouteConfig is named ${org}-<envgroup>`,
      'Check -n (the Apigee namespace) and --org, or name one: diagnose ENVGROUP.',
    );
  }
  return names;
}

function watcherFor(logs: Observed<WatcherLogs>, secret: string, scope: KubectlScope, window: { since: string; tail: number }): Observed<WatcherEvidence> {
  if (logs.state !== 'ok') return logs;
  const read = kubectlCommand(scope, ['logs', '-l', 'app=apigee-watcher', '--all-containers', `--since=${window.since}`, `--tail=${window.tail}`]);
  const command = `${read} | grep ${shellQuote(`failed to get secret "${secret}"`)}`;
  const { sources, failures, noPods } = logs.value;
  return {
    state: 'ok',
    value: {
      sources,
      failures,
      noPods,
      command,
      since: window.since,
      lines: logs.value.lines.filter((l) => watcherSecretNotFound(l.text, secret)).map((l) => l.text),
    },
  };
}

function targetOf(r: Resolution, snapshot: NamespaceSnapshot): Target {
  const target: Target = {
    envgroup: r.envgroup,
    org: r.org,
    namespace: snapshot.namespace,
    secret: r.secret.namespace ? `${r.secret.namespace}/${r.secret.name}` : r.secret.name,
  };
  if (snapshot.context) target.context = snapshot.context;
  return target;
}

const podView = (pod: KubeObject): PodView => ({
  name: nameOf(pod),
  labels: { ...(pod.metadata?.labels ?? {}) },
  phase: typeof pod.status?.phase === 'string' ? pod.status.phase : 'Unknown',
});

/** The routes of spec.additionalGateways and their credential secrets, all from the listings. */
async function additionalRoutesOf(exec: ExecContext, target: KubectlTarget, snapshot: NamespaceSnapshot, r: Resolution): Promise<AdditionalRoute[]> {
  return Promise.all(
    r.additionalRoutes.map(async (name) => {
      const route = itemsOrEmpty(snapshot.routes).find((x) => nameOf(x) === name);
      const credentials = route
        ? await Promise.all(credentialNamesOf(route).map(async (c) => ({ name: c, secret: await lookupSecret(exec, target, snapshot, { name: c }) })))
        : [];
      return { name, found: route !== undefined, credentials };
    }),
  );
}

/** Ingress secrets lived in istio-system before hybrid 1.8 (reference/apigee.md §3.1, §12.6). */
const LEGACY_SECRET_NAMESPACE = 'istio-system';

/** A missing secret may have been left in istio-system by an upgrade: one named get, only then. */
async function foundElsewhere(exec: ExecContext, request: DiagnoseRequest, secretNamespace: string, name: string, lookup: SecretLookup) {
  if (lookup.state !== 'missing' || secretNamespace === LEGACY_SECRET_NAMESPACE || lookup.command.startsWith('(not run')) return undefined;
  const where = await secretExistsIn(exec, request.target, LEGACY_SECRET_NAMESPACE, name);
  return where.found ? { namespace: LEGACY_SECRET_NAMESPACE, command: where.command } : undefined;
}

/** Gets each env group's parsed chain as the secret holds it (serve exports every notAfter). */
export type CertificateTap = (target: Target, certificates: readonly ParsedCertificate[]) => void;

async function diagnoseOne(
  exec: ExecContext,
  request: DiagnoseRequest,
  snapshot: NamespaceSnapshot,
  logs: NamespaceLogs,
  r: Resolution,
  secret: SecretLookup,
  certificates: Promise<Listing | undefined>,
  certificateTap?: CertificateTap,
): Promise<Diagnosis> {
  const secretNamespace = r.secret.namespace ?? snapshot.namespace;
  const [foundIn, certs] = await Promise.all([foundElsewhere(exec, request, secretNamespace, r.secret.name, secret), certificates]);
  const install = detectInstall({
    org: r.org,
    envgroup: r.envgroup,
    secretName: r.secret.name,
    ...(r.secret.namespace ? { secretNamespace: r.secret.namespace } : {}),
    ...(r.routeConfig ? { routeConfig: r.routeConfig } : {}),
    ...(secret.state === 'found' ? { secret: secret.secret } : {}),
    ...(certs ? { certificates: itemsOrEmpty(certs) } : {}),
    ...(r.virtualHost ? { virtualHost: r.virtualHost } : {}),
  });
  const layout = secret.state === 'found' ? layoutOf(secret.secret) : undefined;
  const fixTarget = {
    envgroup: r.envgroup,
    scope: inNamespace(request.target, secretNamespace),
    secretName: r.secret.name,
    tlsLayout: layout?.name === 'kubernetes.io/tls',
    ...(request.overridesPath ? { overridesPath: request.overridesPath } : {}),
  };
  const applyFix = applyCommand(install, fixTarget);
  const additionalRoutes = snapshot.routes.state === 'ok' ? await additionalRoutesOf(exec, request.target, snapshot, r) : [];
  const cluster: ClusterEvidence = {
    resolution: r,
    namespace: snapshot.namespace,
    scope: request.target,
    secretNamespace,
    secret,
    watcher: watcherFor(logs.watcher, r.secret.name, request.target, request),
    routeConfig: observed(snapshot.routeConfigs, () => r.routeConfig),
    issues: observed(snapshot.issues, (items) => issuesFor(r.routeConfig ? nameOf(r.routeConfig) : undefined, r.secret.name, items)),
    ...(snapshot.routes.state === 'error' ? { hostnamesUnavailable: { failure: snapshot.routes.failure, namespace: snapshot.namespace } } : {}),
    applyFix,
    install,
    recreateFix: recreateSecretFix(install, fixTarget),
    ...(foundIn ? { foundIn } : {}),
    gateways: observed(snapshot.pods, (pods) => (r.routeConfig ? { selector: selectorOf(r.routeConfig), pods: pods.map(podView) } : undefined)),
    // Without additionalGateways there is nothing to judge, whatever the routes listing said.
    additionalRoutes: r.additionalRoutes.length === 0 ? { state: 'ok', value: [] } : observed(snapshot.routes, () => additionalRoutes),
  };
  const ctx = { now: request.now, expiryWarningMs: request.expiryWarningMs, applyFix, scope: request.target };
  const gathered = await clusterEvidence(exec, request.target, snapshot, cluster);
  gathered.inputs.ingressLogs = ingressLogsFor(logs, r, snapshot, secret, request.target, request);
  // The Certificate judged is the one the install model says owns the secret: one source of "who owns it".
  const issued = install.kind === 'cert-manager' ? await certManagerEvidence(exec, request.target, install.certificate, certs) : undefined;
  if (issued) gathered.inputs.certManager = issued;
  const target = targetOf(r, snapshot);
  if (certificateTap && gathered.inputs.certificates) certificateTap(target, gathered.inputs.certificates);
  return diagnosis(target, withIngressLines(runChecks(DIAGNOSE_CHECKS, gathered, ctx), gathered.inputs.ingressLogs));
}

/**
 * The second secret `<name>-cacert` of an mTLS env group whose secret holds no CA: from the
 * namespace listing, or one named get when the secret lives in another namespace.
 */
async function caSecretFor(exec: ExecContext, target: KubectlTarget, snapshot: NamespaceSnapshot, cluster: ClusterEvidence): Promise<KubeObject | undefined> {
  const found = await lookupSecret(exec, target, snapshot, {
    ...(cluster.resolution.secret.namespace ? { namespace: cluster.secretNamespace } : {}),
    name: caSecretName(cluster.resolution.secret.name),
  });
  return found.state === 'found' ? found.secret : undefined;
}

/** The cluster's facts, and the secret's certificate and key when it holds them (with their openssl mirrors run). */
async function clusterEvidence(exec: ExecContext, target: KubectlTarget, snapshot: NamespaceSnapshot, cluster: ClusterEvidence): Promise<Evidence> {
  if (cluster.secret.state !== 'found') return evidence({ cluster }, { foundSecret: 'no secret to read', certSource: 'no secret to read' });
  const secret = cluster.secret.secret;
  const layout = layoutOf(secret);
  if (!layout) return evidence({ cluster, foundSecret: secret }, { certSource: 'the secret holds no certificate and key to check' });
  const r = cluster.resolution;
  const caSecret = r.mtls && !hasOwnCa(secret, layout) ? await caSecretFor(exec, target, snapshot, cluster) : undefined;
  const material = secretMaterial(secret, inNamespace(cluster.scope, cluster.secretNamespace), layout, r.mtls, r.hostnames, caSecret);
  if (cluster.hostnamesUnavailable) material.hostnamesUnavailable = cluster.hostnamesUnavailable;
  const gathered = await gatherMaterial(exec, material);
  return { inputs: { ...gathered.inputs, cluster, foundSecret: secret, hostnameSource: r.hostnameSource }, absent: gathered.absent };
}

export interface PreparedNamespace {
  snapshot: NamespaceSnapshot;
  resolutions: Resolution[];
}

/**
 * The namespace listed once and every env group asked for resolved against it (org, secret,
 * hostnames, TLS mode); shared by diagnose and collect so neither lists twice.
 */
export async function prepareNamespace(
  exec: ExecContext,
  request: Pick<DiagnoseRequest, 'target' | 'envgroups' | 'org' | 'overrides' | 'hosts'>,
  listing?: Promise<NamespaceSnapshot>,
): Promise<PreparedNamespace> {
  const listed = await (listing ?? listNamespace(exec, request));
  const orgUnknown = !request.org && !request.envgroups.all && !routeConfigFor(request.envgroups.name, undefined, itemsOrEmpty(listed.routeConfigs));
  const snapshot = orgUnknown ? await withOrgs(exec, request.target, listed) : listed;
  // An empty namespace may be no namespace at all: find out before anything is called missing.
  const empty = itemsOrEmpty(snapshot.secrets).length === 0 && itemsOrEmpty(snapshot.routeConfigs).length === 0;
  const confirmed =
    empty && (await confirmNamespace(exec, request.target, snapshot, [{ name: request.envgroups.all ? 'apigee-tls' : request.envgroups.name }]));
  const objects = { routeConfigs: itemsOrEmpty(snapshot.routeConfigs), routes: itemsOrEmpty(snapshot.routes), orgs: itemsOrEmpty(snapshot.orgs) };
  const names = request.envgroups.all ? envGroupsForAll(request, snapshot) : [request.envgroups.name];
  const resolveOptions = { hosts: request.hosts, ...(request.org ? { org: request.org } : {}), ...(request.overrides ? { overrides: request.overrides } : {}) };
  const resolutions = names.map((name) => {
    const result = resolveEnvGroup(name, objects, resolveOptions);
    if (!result.ok) {
      // When a listing failed, "none found" would be a guess: say what failed instead.
      const trouble = listingTrouble(snapshot.routeConfigs, 'ApigeeRouteConfigs') ?? listingTrouble(snapshot.orgs, 'ApigeeOrganizations');
      const message = trouble
        ? `cannot tell the Apigee org of env group ${name} in namespace "${snapshot.namespace}": ${trouble}`
        : `${result.message} in namespace "${snapshot.namespace}"`;
      throw new IncompleteError(message, trouble ? ORG_HINT : result.hint);
    }
    return result.resolution;
  });
  if (!confirmed)
    await confirmNamespace(
      exec,
      request.target,
      snapshot,
      resolutions.map((r) => r.secret),
    );
  return { snapshot, resolutions };
}

/** What a caller may have started or wants back beside the report. */
export interface DiagnoseOptions {
  /** The namespace already listed and resolved (collect). */
  prepared?: PreparedNamespace;
  /** collect: every log stream whole, as the diagnosis reads it (one read serves both). */
  taps?: LogTaps;
  /** serve: each env group's parsed chain. */
  certificateTap?: CertificateTap;
  /** diagnose: the listing and the log reads, started before this module loaded (pipeline/wave.ts). */
  wave?: DiagnoseWave;
}

/**
 * Diagnoses the env groups; the watcher, ingress manager and gateway logs are read by label while
 * the namespace is listed (or was, by the caller), pod by pod from that listing only when a label
 * finds none.
 */
export async function diagnoseNamespace(exec: ExecContext, request: DiagnoseRequest, options: DiagnoseOptions = {}): Promise<Diagnosis[]> {
  const { prepared, taps, certificateTap, wave } = options;
  const preparing = prepared ? Promise.resolve(prepared) : prepareNamespace(exec, request, wave?.listed);
  const listPods = async () => (await preparing).snapshot.pods;
  const [{ snapshot, resolutions }, logs] = await Promise.all([preparing, wave?.logs ?? readNamespaceLogs(exec, request.target, request, listPods, taps)]);
  const secrets = await Promise.all(resolutions.map((r) => lookupSecret(exec, request.target, snapshot, r.secret)));
  // A missing secret, or one cert-manager annotated as its own, may be a Certificate not Ready: the
  // Certificates are listed once, only then (without cert-manager, kubectl says the type is unknown).
  const certificates = secrets.some(mayBeCertManagers) ? listCertificates(exec, request.target) : Promise.resolve(undefined);
  return Promise.all(
    resolutions.map((r, i) => {
      const inOverrides = Boolean(request.overrides?.virtualhosts.some((v) => v.name === r.envgroup));
      const absent = request.envgroups.all ? null : absentEnvGroupReport(r, snapshot, logs.watcher, request.target, inOverrides, targetOf(r, snapshot));
      return absent ?? diagnoseOne(exec, request, snapshot, logs, r, secrets[i]!, certificates, certificateTap);
    }),
  );
}

const mayBeCertManagers = (secret: SecretLookup): boolean =>
  secret.state === 'missing' || (secret.state === 'found' && certificateNameOf(secret.secret) !== undefined);
