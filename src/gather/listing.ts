// Resource types listed once in the namespace, with what went wrong when one could not be. Several
// types share one kubectl process (`get a,b,c -o json`): each process costs more than a request.
import type { KubeObject } from '../apigee/resources.js';
import { itemsOf } from '../apigee/resources.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlFailure, KubectlFailureKind } from '../evidence/kubectl-failure.js';
import { kubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlJson, type KubectlTarget } from '../exec/kubectl.js';

export type Listing =
  | { state: 'ok'; items: KubeObject[]; command: string }
  /** The resource type does not exist on this cluster (Apigee CRDs not installed). */
  | { state: 'absent'; failure: KubectlFailure; command: string }
  | { state: 'error'; failure: KubectlFailure; command: string };

/** The kind of the objects each listed resource returns, to split a combined list. */
const KIND_OF: Record<string, string> = {
  secrets: 'Secret',
  pods: 'Pod',
  apigeerouteconfigs: 'ApigeeRouteConfig',
  apigeeroutes: 'ApigeeRoute',
  apigeeissues: 'ApigeeIssue',
  apigeeorganizations: 'ApigeeOrganization',
  'certificates.cert-manager.io': 'Certificate',
  'certificaterequests.cert-manager.io': 'CertificateRequest',
};

/** Failures no retry of a single type can mend: the cluster, not the type, is the problem. */
export const CLUSTER_WIDE: ReadonlySet<KubectlFailureKind> = new Set(['kubectl-missing', 'unauthorized', 'unreachable', 'timeout', 'canceled']);

export interface ListOptions {
  /** Keep metadata.managedFields (kubectl drops them): when the secret was last written (reference/apigee.md §12.5). */
  managedFields?: boolean;
}

const listArgs = (resources: string, o: ListOptions = {}) => ['get', resources, '-o', 'json', ...(o.managedFields ? ['--show-managed-fields'] : [])];

export async function listResource(exec: ExecContext, target: KubectlTarget, resource: string, options: ListOptions = {}): Promise<Listing> {
  const { record, json } = await kubectlJson(exec, target, listArgs(resource, options));
  const failure = kubectlFailure(record);
  if (failure) return { state: failure.kind === 'no-resource-type' ? 'absent' : 'error', failure, command: record.display };
  if (json === undefined)
    return { state: 'error', failure: { kind: 'other', message: 'kubectl printed no JSON', command: record.display }, command: record.display };
  return { state: 'ok', items: itemsOf(json), command: record.display };
}

/**
 * Lists several types in one kubectl call. When that call fails, each type is listed on its own so
 * the failure lands on the type it belongs to (a 403 on issues must not hide the secrets) — unless
 * the failure is cluster-wide, which another call would only repeat.
 */
export async function listResources(
  exec: ExecContext,
  target: KubectlTarget,
  resources: readonly string[],
  options: ListOptions = {},
): Promise<Record<string, Listing>> {
  const { record, json } = await kubectlJson(exec, target, listArgs(resources.join(','), options));
  const failure = kubectlFailure(record);
  if (!failure && json !== undefined) {
    const items = itemsOf(json);
    // Each type keeps the combined command; the per-type form is what a person would rerun.
    return Object.fromEntries(
      resources.map((r) => [
        r,
        { state: 'ok', items: items.filter((i) => i.kind === KIND_OF[r]), command: record.display.replace(resources.join(','), r) } satisfies Listing,
      ]),
    );
  }
  if (failure && CLUSTER_WIDE.has(failure.kind))
    return Object.fromEntries(resources.map((r) => [r, { state: 'error', failure, command: record.display } satisfies Listing]));
  const each = await Promise.all(resources.map((r) => listResource(exec, target, r, options)));
  return Object.fromEntries(resources.map((r, i) => [r, each[i]!]));
}

export const itemsOrEmpty = (l: Listing): KubeObject[] => (l.state === 'ok' ? l.items : []);
