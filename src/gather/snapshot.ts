// Everything the checks read from one namespace, listed once and shared by every env group, with
// all independent kubectl calls in flight at once.
import type { ExecContext } from '../exec/context.js';
import { IncompleteError } from '../errors.js';
import type { KubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlCurrentContext, type KubectlTarget } from '../exec/kubectl.js';
import { listResource, type Listing } from './listing.js';

export interface NamespaceSnapshot {
  namespace: string;
  context?: string;
  secrets: Listing;
  pods: Listing;
  routeConfigs: Listing;
  routes: Listing;
  issues: Listing;
  orgs: Listing;
}

/** Failures that mean no call can succeed: say so once instead of failing every check. */
const FATAL: ReadonlySet<KubectlFailure['kind']> = new Set(['kubectl-missing', 'unauthorized', 'unreachable', 'timeout', 'canceled']);

export async function snapshotNamespace(exec: ExecContext, target: KubectlTarget, options: { needOrgs: boolean }): Promise<NamespaceSnapshot> {
  const skipped: Listing = { state: 'ok', items: [], command: '' };
  const [context, secrets, pods, routeConfigs, routes, issues, orgs] = await Promise.all([
    target.context ?? kubectlCurrentContext(exec, target),
    listResource(exec, target, 'secrets'),
    listResource(exec, target, 'pods'),
    listResource(exec, target, 'apigeerouteconfigs'),
    listResource(exec, target, 'apigeeroutes'),
    listResource(exec, target, 'apigeeissues'),
    options.needOrgs ? listResource(exec, target, 'apigeeorganizations') : Promise.resolve(skipped),
  ]);
  const snapshot: NamespaceSnapshot = { namespace: target.namespace, secrets, pods, routeConfigs, routes, issues, orgs };
  if (context) snapshot.context = context;
  const fatal = [secrets, pods, routeConfigs].map((l) => (l.state === 'error' ? l.failure : null)).find((f) => f && FATAL.has(f.kind));
  // kubectl's own `error: ` prefix would double ours.
  if (fatal) throw new IncompleteError(`${fatal.message.replace(/^error: /, '')}\n  (while running: ${fatal.command})`, hintFor(fatal));
  return snapshot;
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
