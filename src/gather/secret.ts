// The env group's secret: found in the namespace listing, or (secretNameRef "namespace/name")
// read by name from its own namespace.
import type { KubeObject, SecretRef } from '../apigee/resources.js';
import { nameProblem } from '../apigee/names.js';
import { nameOf } from '../apigee/resources.js';
import type { SecretLookup } from '../checks/cluster-evidence.js';
import type { ExecContext } from '../exec/context.js';
import { kubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlJson, type KubectlTarget } from '../exec/kubectl.js';
import type { NamespaceSnapshot } from './snapshot.js';

export async function lookupSecret(exec: ExecContext, target: KubectlTarget, snapshot: NamespaceSnapshot, ref: SecretRef): Promise<SecretLookup> {
  const ns = ref.namespace ?? snapshot.namespace;
  // secretNameRef is free text in the route config: a name Kubernetes could never hold names no secret.
  const invalid = nameProblem('secret', ref.name) ?? (ref.namespace ? nameProblem('namespace', ref.namespace) : null);
  if (invalid) return { state: 'missing', command: `(not run: ${invalid})` };
  if (ns === snapshot.namespace) {
    const listing = snapshot.secrets;
    if (listing.state !== 'ok') return { state: 'error', failure: listing.failure };
    const secret = listing.items.find((s) => nameOf(s) === ref.name);
    return secret ? { state: 'found', secret } : { state: 'missing', command: listing.command };
  }
  const { record, json } = await kubectlJson(exec, target, ['-n', ns, 'get', 'secret', ref.name, '-o', 'json']);
  const failure = kubectlFailure(record);
  if (failure?.kind === 'not-found') return { state: 'missing', command: record.display };
  if (failure) return { state: 'error', failure };
  return { state: 'found', secret: json as KubeObject };
}
