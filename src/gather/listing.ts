// One resource type listed once in the namespace, with what went wrong when it could not be.
import type { KubeObject } from '../apigee/resources.js';
import { itemsOf } from '../apigee/resources.js';
import type { ExecContext } from '../exec/context.js';
import { kubectlFailure, type KubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlJson, type KubectlTarget } from '../exec/kubectl.js';

export type Listing =
  | { state: 'ok'; items: KubeObject[]; command: string }
  /** The resource type does not exist on this cluster (Apigee CRDs not installed). */
  | { state: 'absent'; failure: KubectlFailure; command: string }
  | { state: 'error'; failure: KubectlFailure; command: string };

export async function listResource(exec: ExecContext, target: KubectlTarget, resource: string): Promise<Listing> {
  const { record, json } = await kubectlJson(exec, target, ['-n', target.namespace, 'get', resource, '-o', 'json']);
  const failure = kubectlFailure(record);
  if (failure) return { state: failure.kind === 'no-resource-type' ? 'absent' : 'error', failure, command: record.display };
  if (json === undefined) return { state: 'error', failure: { kind: 'other', message: 'kubectl printed no JSON', command: record.display }, command: record.display };
  return { state: 'ok', items: itemsOf(json), command: record.display };
}

export const itemsOrEmpty = (l: Listing): KubeObject[] => (l.state === 'ok' ? l.items : []);
