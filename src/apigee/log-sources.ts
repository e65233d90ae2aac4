// The pods whose logs the product reads, declared once: how to find them and which containers to
// read. The one pod-log reader (gather/pod-logs.ts) reads any of them.
import type { KubeObject } from './resources.js';
import { nameOf } from './resources.js';

export interface LogSource {
  /** For people: "apigee-watcher". */
  what: string;
  /** `key=value` labels that select its pods, tried in order (installers label differently). */
  labels: readonly string[];
  /** The name prefix of its pods, when no pod carries a label. */
  namePrefix: string;
  /** The containers to read: every one, or only these. */
  containers: 'all' | readonly string[];
}

/** apigee-watcher: the playbook's step 1 (reference/apigee.md §6, §7.1). */
export const WATCHER_LOGS: LogSource = { what: 'apigee-watcher', labels: ['app=apigee-watcher'], namePrefix: 'apigee-watcher-', containers: 'all' };

/** The ingress gateways (Envoy and its agent: READY 2/2), reference/apigee.md §6 and §9.1. */
export const INGRESS_GATEWAY_LOGS: LogSource = {
  what: 'ingress gateway',
  labels: ['app=apigee-ingressgateway'],
  namePrefix: 'apigee-ingressgateway-',
  containers: 'all',
};

const hasLabel = (pod: KubeObject, label: string): boolean => {
  const [key, value] = label.split('=');
  return pod.metadata?.labels?.[key!] === value;
};

/** The source's pods: by its first label that selects any, else by name prefix. */
export function podsOf(source: LogSource, pods: readonly KubeObject[]): KubeObject[] {
  for (const label of source.labels) {
    const labelled = pods.filter((p) => hasLabel(p, label));
    if (labelled.length > 0) return labelled;
  }
  return pods.filter((p) => nameOf(p).startsWith(source.namePrefix));
}

/** The container names of a pod, in spec order. */
export function containersOf(pod: KubeObject): string[] {
  const containers = (pod.spec as { containers?: Array<{ name?: unknown }> } | undefined)?.containers;
  return Array.isArray(containers) ? containers.map((c) => c?.name).filter((n): n is string => typeof n === 'string') : [];
}

/** The containers of a pod the source reads. */
export const containersToRead = (source: LogSource, pod: KubeObject): string[] =>
  containersOf(pod).filter((c) => source.containers === 'all' || source.containers.includes(c));
