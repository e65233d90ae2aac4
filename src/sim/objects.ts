// The object store: normalises what scenarios hand in (so kubectl gets the metadata it needs),
// and answers list/get by group, kind, namespace and selectors.
import { createHash } from 'node:crypto';
import type { ResourceType } from './discovery.js';
import type { K8sObject } from './types.js';

/** `apigee.cloud.google.com/v1alpha1` → group `apigee.cloud.google.com`; `v1` → ''. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** The uid the simulator gives an object without one: builders that link objects (ownerReferences) use it too. */
export function uidFor(o: Pick<K8sObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  // Stable per identity, shaped like a UUID, so repeated runs print the same uids.
  const h = createHash('sha256')
    .update(`${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A deep copy with uid, resourceVersion and creationTimestamp filled in when missing. */
export function normalise(o: K8sObject, created: Date): K8sObject {
  const copy = structuredClone(o);
  copy.metadata = {
    ...copy.metadata,
    uid: copy.metadata.uid ?? uidFor(copy),
    resourceVersion: copy.metadata.resourceVersion ?? '1',
    creationTimestamp: copy.metadata.creationTimestamp ?? created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  return copy;
}

export function namespaceObject(name: string, created: Date): K8sObject {
  return normalise(
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    },
    created,
  );
}

/** Objects of one resource type, optionally in one namespace, in the apiserver's key order. */
export function objectsOf(all: readonly K8sObject[], type: ResourceType, namespace?: string): K8sObject[] {
  return all
    .filter((o) => o.kind === type.kind && groupOf(o.apiVersion) === type.group)
    .filter((o) => !type.namespaced || namespace === undefined || o.metadata.namespace === namespace)
    .sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
}

/**
 * The object as served at one version. Like a CRD with several served versions (and no
 * conversion webhook), only apiVersion changes.
 */
export function atVersion(o: K8sObject, group: string, version: string): K8sObject {
  return { ...o, apiVersion: apiVersionOf(group, version) };
}
