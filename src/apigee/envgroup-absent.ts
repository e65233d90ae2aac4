// A mistyped env group (`diagnose paymnets`) looks like a missing secret: no route config, no
// secret. Calling it missing-ingress-secret would send someone to re-apply overrides for nothing, so
// when nothing in the namespace knows the name and other env groups are there, it is this instead.
import { byCloseness } from './closest-names.js';
import { envGroupsOf } from './resolve.js';
import { routeConfigFor, type KubeObject } from './resources.js';

export interface EnvGroupSightings {
  routeConfigs: readonly KubeObject[];
  /** The secret the env group resolved to exists (or is in another namespace, not listed here). */
  secretFound: boolean;
  /** apigee-watcher reported the env group's secret (it knows the env group). */
  watcherReported: boolean;
  /** overrides.yaml has a virtual host of that name. */
  inOverrides: boolean;
}

export interface EnvGroupAbsent {
  summary: string;
  /** The env groups of the org in the namespace, closest to the name given first. */
  envgroups: string[];
}

/** null when the route config, the secret or the watcher knows the env group, or when there is no other to suggest. */
export function envGroupAbsent(envgroup: string, org: string, namespace: string, seen: EnvGroupSightings): EnvGroupAbsent | null {
  if (routeConfigFor(envgroup, org, seen.routeConfigs) || seen.secretFound || seen.watcherReported || seen.inOverrides) return null;
  const others = envGroupsOf(org, seen.routeConfigs).filter((n) => n !== envgroup);
  if (others.length === 0) return null;
  const envgroups = byCloseness(envgroup, others);
  return { summary: `no env group "${envgroup}" in namespace ${namespace}; env groups here: ${envgroups.join(', ')}`, envgroups };
}
