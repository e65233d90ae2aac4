// `diagnose`, end to end: list the namespace once, resolve each env group, read the watcher logs
// once for all of them, then run the checks in the playbook's order and the ones beyond it.
import { applyCommand } from '../apigee/remediation.js';
import { envGroupsOf, ORG_HINT, resolveEnvGroup, type Resolution } from '../apigee/resolve.js';
import { issuesFor, nameOf, orgNamesOf, routeConfigFor, type KubeObject } from '../apigee/resources.js';
import type { Overrides } from '../apigee/overrides.js';
import { layoutOf, secretMaterial } from '../apigee/secret-layout.js';
import { evidence, type Evidence } from '../checks/inputs.js';
import { DIAGNOSE_CHECKS } from '../checks/registry.js';
import { runChecks } from '../checks/run.js';
import { inNamespace, kubectlCommand, type KubectlScope } from '../cmdline/kubectl.js';
import { shellQuote } from '../cmdline/quote.js';
import type { ClusterEvidence, Observed, WatcherEvidence } from '../evidence/cluster.js';
import { IncompleteError } from '../errors.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import { confirmNamespace, lookupSecret } from '../gather/secret.js';
import { itemsOrEmpty, listResource, type Listing } from '../gather/listing.js';
import { snapshotNamespace, withOrgs, type NamespaceSnapshot } from '../gather/snapshot.js';
import { readWatcherLogs, type LogTap, type WatcherLogs } from '../gather/watcher-logs.js';
import type { Diagnosis, Target } from '../report/finding.js';
import { diagnosis } from '../report/result.js';
import { watcherSecretNotFound } from '../signatures/index.js';
import { absentEnvGroupReport } from './envgroup-absent.js';
import { gatherMaterial } from './material.js';

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
    value: { sources, failures, noPods, command, since: window.since, lines: logs.value.lines.filter((l) => watcherSecretNotFound(l, secret)) },
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

async function diagnoseOne(
  exec: ExecContext,
  request: DiagnoseRequest,
  snapshot: NamespaceSnapshot,
  logs: Observed<WatcherLogs>,
  r: Resolution,
): Promise<Diagnosis> {
  const secret = await lookupSecret(exec, request.target, snapshot, r.secret);
  const applyFix = applyCommand(r.install, r.envgroup, snapshot.namespace, request.overridesPath);
  const cluster: ClusterEvidence = {
    resolution: r,
    namespace: snapshot.namespace,
    scope: request.target,
    secretNamespace: r.secret.namespace ?? snapshot.namespace,
    secret,
    watcher: watcherFor(logs, r.secret.name, request.target, request),
    routeConfig: observed(snapshot.routeConfigs, () => r.routeConfig),
    issues: observed(snapshot.issues, (items) => issuesFor(r.routeConfig ? nameOf(r.routeConfig) : undefined, r.secret.name, items)),
    ...(snapshot.routes.state === 'error' ? { hostnamesUnavailable: { failure: snapshot.routes.failure, namespace: snapshot.namespace } } : {}),
    applyFix,
  };
  const ctx = { now: request.now, expiryWarningMs: request.expiryWarningMs, applyFix, scope: request.target };
  return diagnosis(targetOf(r, snapshot), runChecks(DIAGNOSE_CHECKS, await clusterEvidence(exec, cluster), ctx));
}

/** The cluster's facts, and the secret's certificate and key when it holds them (with their openssl mirrors run). */
async function clusterEvidence(exec: ExecContext, cluster: ClusterEvidence): Promise<Evidence> {
  if (cluster.secret.state !== 'found') return evidence({ cluster }, { foundSecret: 'no secret to read', certSource: 'no secret to read' });
  const secret = cluster.secret.secret;
  const layout = layoutOf(secret);
  if (!layout) return evidence({ cluster, foundSecret: secret }, { certSource: 'the secret holds no certificate and key to check' });
  const r = cluster.resolution;
  const material = secretMaterial(secret, inNamespace(cluster.scope, cluster.secretNamespace), layout, r.mtls, r.hostnames);
  if (cluster.hostnamesUnavailable) material.hostnamesUnavailable = cluster.hostnamesUnavailable;
  const gathered = await gatherMaterial(exec, material);
  return { inputs: { ...gathered.inputs, cluster, foundSecret: secret }, absent: gathered.absent };
}

/** The watcher by label, in parallel with the listing; pod by pod only when no pod has the label (or a tap wants each stream). */
function watcherLogs(exec: ExecContext, request: DiagnoseRequest, tap?: LogTap): Promise<Observed<WatcherLogs>> {
  return readWatcherLogs(exec, request.target, request, () => listResource(exec, request.target, 'pods'), tap);
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
  options: { needPods?: boolean } = {},
): Promise<PreparedNamespace> {
  // The org usually comes from the route config's name: list the organizations only when it must.
  const needOrgs = request.envgroups.all && !request.org;
  const listed = await snapshotNamespace(exec, request.target, { needOrgs, ...options });
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

/**
 * Diagnoses the env groups; the watcher logs are read while the namespace is listed (or was, by the
 * caller). `watcherTap` (collect) also gets every watcher stream whole: the logs are read once.
 */
export async function diagnoseNamespace(exec: ExecContext, request: DiagnoseRequest, prepared?: PreparedNamespace, watcherTap?: LogTap): Promise<Diagnosis[]> {
  const [{ snapshot, resolutions }, logs] = await Promise.all([prepared ?? prepareNamespace(exec, request), watcherLogs(exec, request, watcherTap)]);
  return Promise.all(
    resolutions.map((r) => {
      const inOverrides = Boolean(request.overrides?.virtualhosts.some((v) => v.name === r.envgroup));
      const absent = request.envgroups.all ? null : absentEnvGroupReport(r, snapshot, logs, request.target, inOverrides, targetOf(r, snapshot));
      return absent ?? diagnoseOne(exec, request, snapshot, logs, r);
    }),
  );
}
