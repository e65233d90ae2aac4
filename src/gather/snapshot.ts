// Everything the checks read from one namespace, listed once and shared by every env group, with
// the kubectl calls in flight at once.
import type { ExecContext } from '../exec/context.js';
import { IncompleteError } from '../errors.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import { currentContext } from './kube-context.js';
import { CLUSTER_WIDE, listResource, listResources, type Listing } from './listing.js';

export interface NamespaceSnapshot {
  namespace: string;
  context?: string;
  secrets: Listing;
  /** The namespace's pods: the gateways an env group's selector must match (diagnose), the logs to collect (collect). */
  pods: Listing;
  routeConfigs: Listing;
  routes: Listing;
  issues: Listing;
  orgs: Listing;
}

export interface SnapshotOptions {
  needOrgs: boolean;
}

const NOT_LISTED: Listing = { state: 'ok', items: [], command: '' };

/**
 * Two kubectl processes list the namespace (secrets with route configs; routes, issues, pods and
 * orgs): each process costs more than a request, and two run side by side.
 */
export async function snapshotNamespace(exec: ExecContext, target: KubectlTarget, options: SnapshotOptions): Promise<NamespaceSnapshot> {
  const [context, first, second] = await Promise.all([
    currentContext(target),
    listResources(exec, target, ['secrets', 'apigeerouteconfigs'], { managedFields: true }),
    listResources(exec, target, ['apigeeroutes', 'apigeeissues', 'pods', ...(options.needOrgs ? ['apigeeorganizations'] : [])]),
  ]);
  const snapshot: NamespaceSnapshot = {
    namespace: target.namespace,
    secrets: first.secrets!,
    routeConfigs: first.apigeerouteconfigs!,
    routes: second.apigeeroutes!,
    issues: second.apigeeissues!,
    orgs: second.apigeeorganizations ?? NOT_LISTED,
    pods: second.pods!,
  };
  if (context) snapshot.context = context;
  // The pods share a process with routes and issues: a failure there is theirs, never the whole run's.
  throwIfClusterUnusable([snapshot.secrets, snapshot.routeConfigs]);
  return snapshot;
}

/** The ApigeeOrganizations, listed now if the snapshot was taken without them. */
export async function withOrgs(exec: ExecContext, target: KubectlTarget, snapshot: NamespaceSnapshot): Promise<NamespaceSnapshot> {
  if (snapshot.orgs !== NOT_LISTED) return snapshot;
  return { ...snapshot, orgs: await listResource(exec, target, 'apigeeorganizations') };
}

/** One clear message instead of every check failing the same way. */
export function throwIfClusterUnusable(listings: readonly Listing[]): void {
  const fatal = listings.map((l) => (l.state === 'error' ? l.failure : null)).find((f) => f && CLUSTER_WIDE.has(f.kind));
  // kubectl's own `error: ` prefix would double ours.
  if (fatal) throw new IncompleteError(`${fatal.message.replace(/^error: /, '')}\n  (while running: ${fatal.command})`, hintFor(fatal));
}

function hintFor(failure: KubectlFailure): string | undefined {
  switch (failure.kind) {
    case 'kubectl-missing':
      return 'Install kubectl, or point to it with --kubectl PATH.';
    case 'unauthorized':
      return 'Log in to the cluster again (e.g. gcloud container clusters get-credentials …), or check --context and --kubeconfig.';
    case 'unreachable':
    case 'timeout':
      return 'Check that the cluster is reachable from here (kubectl cluster-info), or raise --request-timeout.';
    case 'canceled':
      return 'Raise --timeout to give the run more time.';
    default:
      return undefined;
  }
}
