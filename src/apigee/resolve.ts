// Which org, secret, hostnames and TLS mode belong to an env group, and which source decided
// each: flags first, then Apigee's own objects, then overrides.yaml, then the naming convention.
import type { Overrides, VirtualHost } from './overrides.js';
import {
  additionalGatewaysOf,
  envGroupRoutes,
  hostnamesOf,
  nameOf,
  orgFromRouteConfigName,
  orgNamesOf,
  routeConfigFor,
  secretRefOf,
  tlsModeOf,
  type KubeObject,
  type SecretRef,
} from './resources.js';

export interface ClusterObjects {
  routeConfigs: readonly KubeObject[];
  routes: readonly KubeObject[];
  orgs: readonly KubeObject[];
}

export interface Resolution {
  envgroup: string;
  org: string;
  orgSource: string;
  routeConfig?: KubeObject;
  secret: SecretRef;
  secretSource: string;
  hostnames: string[];
  /** Which routes gave the hostnames, and how they were tied to the route config. */
  hostnameSource: string;
  mtls: boolean;
  /** spec.additionalGateways: routes that serve the env group besides its own. */
  additionalRoutes: string[];
  /** The env group's virtualhosts[] entry of --overrides. */
  virtualHost?: VirtualHost;
}

export type ResolveResult = { ok: true; resolution: Resolution } | { ok: false; message: string; hint: string };

export interface ResolveOptions {
  org?: string;
  overrides?: Overrides;
  hosts: readonly string[];
}

function resolveOrg(envgroup: string, objects: ClusterObjects, options: ResolveOptions): { org: string; source: string } | { candidates: string[] } {
  if (options.org) return { org: options.org, source: '--org' };
  const arc = routeConfigFor(envgroup, undefined, objects.routeConfigs);
  if (arc) return { org: orgFromRouteConfigName(nameOf(arc), envgroup), source: `ApigeeRouteConfig ${nameOf(arc)}` };
  const orgNames = orgNamesOf(objects.orgs);
  if (orgNames.length === 1) return { org: orgNames[0]!, source: 'the only ApigeeOrganization (spec.name)' };
  if (options.overrides?.org) return { org: options.overrides.org, source: 'org: in --overrides' };
  return { candidates: orgNames };
}

/** When the org cannot be told: how to give it. */
export const ORG_HINT = 'Pass --org ORG (or --overrides overrides.yaml with a top-level org:).';

export function resolveEnvGroup(envgroup: string, objects: ClusterObjects, options: ResolveOptions): ResolveResult {
  const org = resolveOrg(envgroup, objects, options);
  if ('candidates' in org && objects.routeConfigs.length === 0 && objects.orgs.length === 0) {
    // Nothing of Apigee here at all: the namespace is the mistake, not the org.
    return {
      ok: false,
      message: 'no Apigee env groups here: no ApigeeRouteConfig and no ApigeeOrganization',
      hint: 'Pass -n with the namespace Apigee hybrid runs in (apigee by default); kubectl get apigeerouteconfigs -A lists them.',
    };
  }
  if ('candidates' in org) {
    const found = org.candidates.length
      ? `found ApigeeOrganizations: ${org.candidates.join(', ')}`
      : 'no ApigeeRouteConfig ends in -' + envgroup + ' and no ApigeeOrganization was found';
    return {
      ok: false,
      message: `cannot tell the Apigee org of env group ${envgroup}: ${found}`,
      hint: ORG_HINT,
    };
  }
  const routeConfig = routeConfigFor(envgroup, org.org, objects.routeConfigs);
  const vh = options.overrides?.virtualhosts.find((v) => v.name === envgroup);
  const ref = routeConfig ? secretRefOf(routeConfig) : undefined;
  const secret = ref
    ? { ref, source: `spec.tls.secretNameRef of ApigeeRouteConfig ${nameOf(routeConfig!)}` }
    : vh?.sslSecret
      ? { ref: { name: vh.sslSecret }, source: 'virtualhosts[].sslSecret in --overrides' }
      : { ref: { name: `${org.org}-${envgroup}` }, source: 'the naming convention <org>-<envgroup>' };
  const routes = routeConfig ? envGroupRoutes(routeConfig, objects.routes) : { routes: [], by: 'none' as const };
  const routeHosts = hostnamesOf(routes.routes);
  const hostnames = [...new Set([...routeHosts, ...options.hosts])];
  const tie = routes.by === 'ownerReferences' ? 'owned by' : 'named after';
  const fromRoutes = routeHosts.length
    ? `spec.hostnames of ApigeeRoute ${routes.routes.map(nameOf).join(', ')} (${tie} ApigeeRouteConfig ${nameOf(routeConfig!)})`
    : '';
  const hostnameSource =
    [fromRoutes, options.hosts.length ? '--host' : ''].filter(Boolean).join(' and ') ||
    (routeConfig ? `none found: no ApigeeRoute is owned by or named after ApigeeRouteConfig ${nameOf(routeConfig)}` : 'none found');
  const mode = (routeConfig ? tlsModeOf(routeConfig) : vh?.tlsMode) ?? 'SIMPLE';
  const resolution: Resolution = {
    envgroup,
    org: org.org,
    orgSource: org.source,
    secret: secret.ref,
    secretSource: secret.source,
    hostnames,
    hostnameSource,
    mtls: mode.toUpperCase() === 'MUTUAL',
    additionalRoutes: routeConfig ? additionalGatewaysOf(routeConfig) : [],
  };
  if (routeConfig) resolution.routeConfig = routeConfig;
  if (vh) resolution.virtualHost = vh;
  return { ok: true, resolution };
}

/** Env groups for --all: every route config named <org>-<envgroup>, plus those in --overrides. */
export function envGroupsOf(org: string, routeConfigs: readonly KubeObject[], overrides?: Overrides): string[] {
  const prefix = `${org}-`;
  const fromCluster = routeConfigs
    .map(nameOf)
    .filter((n) => n.startsWith(prefix) && n.length > prefix.length)
    .map((n) => n.slice(prefix.length));
  const fromOverrides = overrides?.virtualhosts.map((v) => v.name) ?? [];
  return [...new Set([...fromCluster, ...fromOverrides])].sort();
}
