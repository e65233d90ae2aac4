// The env group's secret: found in the namespace listing, or (secretNameRef "namespace/name")
// read by name from its own namespace.
import type { KubeObject, SecretRef } from '../apigee/resources.js';
import { nameProblem } from '../apigee/names.js';
import { nameOf } from '../apigee/resources.js';
import type { SecretLookup } from '../evidence/cluster.js';
import { inNamespace } from '../cmdline/kubectl.js';
import type { ExecContext } from '../exec/context.js';
import { kubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlJson, type KubectlTarget } from '../exec/kubectl.js';
import { IncompleteError } from '../errors.js';
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
  const { record, json } = await kubectlJson(exec, inNamespace(target, ns), ['get', 'secret', ref.name, '-o', 'json']);
  const failure = kubectlFailure(record);
  if (failure?.kind === 'not-found') return { state: 'missing', command: record.display };
  if (failure) return { state: 'error', failure };
  return { state: 'found', secret: json as KubeObject };
}

/**
 * Whether a secret exists in another namespace: one named get, printing only its name (never its
 * data). Forbidden, absent or a namespace that does not exist all say no.
 */
export async function secretExistsIn(exec: ExecContext, target: KubectlTarget, namespace: string, name: string): Promise<{ found: boolean; command: string }> {
  const { record } = await kubectlJson(exec, inNamespace(target, namespace), ['get', 'secret', name, '-o', 'name']);
  return { found: record.exitCode === 0 && kubectlFailure(record) === null, command: record.display };
}

/**
 * A list in a namespace that does not exist is just empty, so every secret would look missing.
 * kubectl's named get tells the two apart (it looks the namespace up after a 404): one call, and
 * only when some secret is missing.
 */
/** Returns whether kubectl was asked (true: the namespace exists; a missing one throws). */
export async function confirmNamespace(exec: ExecContext, target: KubectlTarget, snapshot: NamespaceSnapshot, refs: readonly SecretRef[]): Promise<boolean> {
  if (snapshot.secrets.state !== 'ok') return false;
  const listed = new Set(snapshot.secrets.items.map(nameOf));
  const missing = refs.find((r) => (r.namespace ?? snapshot.namespace) === snapshot.namespace && !listed.has(r.name) && !nameProblem('secret', r.name));
  if (!missing) return false;
  const { record } = await kubectlJson(exec, inNamespace(target, snapshot.namespace), ['get', 'secret', missing.name, '-o', 'json']);
  const failure = kubectlFailure(record);
  if (failure?.kind === 'not-found' && /namespaces? "[^"]*" not found/.test(failure.message)) {
    throw new IncompleteError(
      `${failure.message.replace(/^error: /, '')}\n  (while running: ${failure.command})`,
      'Pass -n with the namespace Apigee hybrid runs in (apigee by default).',
    );
  }
  return true;
}
