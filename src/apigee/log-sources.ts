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
  /** The line filter: only lines holding one of these are kept (the rest streams past). */
  markers: readonly string[];
}

/** apigee-watcher: the playbook's step 1 (reference/apigee.md §6, §7.1). */
export const WATCHER_LOGS: LogSource = {
  what: 'apigee-watcher',
  labels: ['app=apigee-watcher'],
  namePrefix: 'apigee-watcher-',
  containers: 'all',
  // A secret it cannot get (the playbook's line), routes it cannot update, and every other error
  // zap writes (§12.1): which of them concern an env group is decided per env group.
  markers: ['failed to get secret', 'failed to update ApigeeRoute', 'failed calling webhook', '"level":"error"'],
};

/**
 * The ingress manager (istiod, which serves the gateways their certificates from 1.8): labelled
 * app=apigee-ingressgateway-manager (Google's 2025 ansible roles) or app=apigee-istiod (the
 * kustomize installer), container `discovery` (reference/apigee.md §12.5).
 */
export const INGRESS_MANAGER_LOGS: LogSource = {
  what: 'apigee-ingressgateway-manager',
  labels: ['app=apigee-ingressgateway-manager', 'app=apigee-istiod'],
  namePrefix: 'apigee-ingressgateway-manager-',
  containers: ['discovery'],
  // istiod's SDS lines name the credential kubernetes://<secret> (§12.5).
  markers: ['kubernetes://'],
};

/** The ingress gateways (Envoy and its agent: READY 2/2), reference/apigee.md §6, §7.3 and §12.5. */
export const INGRESS_GATEWAY_LOGS: LogSource = {
  what: 'ingress gateway',
  labels: ['app=apigee-ingressgateway'],
  namePrefix: 'apigee-ingressgateway-',
  containers: 'all',
  // Envoy's SDS rejection (its reason follows on the line) and its load failures.
  markers: ['Secret rejected', 'Failed to load '],
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
