// The Apigee components running in a cluster, for `version`: by pod name, as the reference lists
// them (reference/apigee.md §6): the operator (Deployment apigee-controller-manager, in apigee-system
// before 1.13, in the Apigee namespace from 1.13), the watcher (apigee-watcher-…), the ingress
// manager (apigee-ingressgateway-manager) and the ingress gateways (apigee-ingressgateway-…).
import { nameOf, type KubeObject } from './resources.js';

export interface Component {
  component: string;
  images: string[];
}

const KINDS: Array<[string, (name: string) => boolean]> = [
  ['operator', (n) => n.startsWith('apigee-controller-manager')],
  ['watcher', (n) => n.startsWith('apigee-watcher-')],
  ['ingress manager', (n) => n.startsWith('apigee-ingressgateway-manager')],
  ['ingress gateway', (n) => n.startsWith('apigee-ingressgateway-') && !n.startsWith('apigee-ingressgateway-manager')],
];

function imagesOf(pod: KubeObject): string[] {
  const containers = (pod.spec as { containers?: Array<{ image?: unknown }> } | undefined)?.containers ?? [];
  return containers.map((c) => c.image).filter((i): i is string => typeof i === 'string' && i.length > 0);
}

/** Each component found, with the distinct images of its pods, in the order above. */
export function apigeeComponents(pods: readonly KubeObject[]): Component[] {
  return KINDS.flatMap(([component, matches]) => {
    const images = [...new Set(pods.filter((p) => matches(nameOf(p))).flatMap(imagesOf))].sort();
    return images.length ? [{ component, images }] : [];
  });
}
