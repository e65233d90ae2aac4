// The shapes of the Kubernetes objects the plugin reads, as far as it reads them, and pure
// selectors over them. Objects arrive as kubectl's JSON; nothing here trusts their shape.

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
  type?: string;
}

export const nameOf = (o: KubeObject): string => (typeof o.metadata?.name === 'string' ? o.metadata.name : '');

/** The items of a kubectl -o json List, or [] for anything else. */
export function itemsOf(json: unknown): KubeObject[] {
  const items = (json as { items?: unknown })?.items;
  return Array.isArray(items) ? items.filter((i): i is KubeObject => !!i && typeof i === 'object') : [];
}

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const asString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The route config of an env group: named <org>-<envgroup>; with the org unknown, the one ending in -<envgroup>. */
export function routeConfigFor(envgroup: string, org: string | undefined, routeConfigs: readonly KubeObject[]): KubeObject | undefined {
  if (org) return routeConfigs.find((arc) => nameOf(arc) === `${org}-${envgroup}`);
  const matches = routeConfigs.filter((arc) => nameOf(arc).endsWith(`-${envgroup}`));
  return matches.length === 1 ? matches[0] : undefined;
}

export const orgFromRouteConfigName = (arcName: string, envgroup: string): string => arcName.slice(0, arcName.length - envgroup.length - 1);

export interface SecretRef {
  namespace?: string;
  name: string;
}

/** spec.tls.secretNameRef, which may be "namespace/name". */
export function secretRefOf(arc: KubeObject): SecretRef | undefined {
  const ref = asString(asRecord(asRecord(arc.spec).tls).secretNameRef);
  if (!ref) return undefined;
  const slash = ref.indexOf('/');
  return slash > 0 ? { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) } : { name: ref };
}

export const tlsModeOf = (arc: KubeObject): string | undefined => asString(asRecord(asRecord(arc.spec).tls).mode);

/** The uids a route's ownerReferences name as its ApigeeRouteConfig. */
function readOwnerUids(route: KubeObject): string[] {
  const refs = route.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.map(asRecord).flatMap((ref) => (ref.kind === 'ApigeeRouteConfig' && asString(ref.uid) ? [ref.uid as string] : []));
}

/** Read once per route object: `--all` asks every route of the namespace for every env group. */
const ownerUidsKnown = new WeakMap<KubeObject, readonly string[]>();
function ownerUids(route: KubeObject): readonly string[] {
  let uids = ownerUidsKnown.get(route);
  if (!uids) ownerUidsKnown.set(route, (uids = readOwnerUids(route)));
  return uids;
}

/**
 * A generated route's name, in either form real clusters show (reference/apigee.md §12.2):
 * `<arc>-<nnn>-<7 hex>` (1.13–1.15) or `<arc>-<7 hex>` (Google's 2023 playbook).
 */
export function isGeneratedName(arcName: string, routeName: string): boolean {
  return routeName.startsWith(`${arcName}-`) && /^(\d{3}-)?[0-9a-f]{7}$/.test(routeName.slice(arcName.length + 1));
}

export interface EnvGroupRoutes {
  routes: KubeObject[];
  /** How they were tied to the route config: its uid in their ownerReferences, or their generated names. */
  by: 'ownerReferences' | 'name' | 'none';
}

/**
 * The ApigeeRoutes generated for a route config: those whose ownerReferences name its uid;
 * failing that (routes written without owners), those named after it and owned by no other.
 */
export function envGroupRoutes(arc: KubeObject, routes: readonly KubeObject[]): EnvGroupRoutes {
  const uid = asString(arc.metadata?.uid);
  const owned = uid ? routes.filter((r) => ownerUids(r).includes(uid)) : [];
  if (owned.length > 0) return { routes: owned, by: 'ownerReferences' };
  const named = routes.filter((r) => ownerUids(r).length === 0 && isGeneratedName(nameOf(arc), nameOf(r)));
  return named.length > 0 ? { routes: named, by: 'name' } : { routes: [], by: 'none' };
}

export const routesFor = (arc: KubeObject, routes: readonly KubeObject[]): KubeObject[] => envGroupRoutes(arc, routes).routes;

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : []);

/** spec.additionalGateways: routes that serve the env group besides its own (e.g. the non-SNI wildcard route). */
export const additionalGatewaysOf = (arc: KubeObject): string[] => stringList(asRecord(arc.spec).additionalGateways);

/** ports[].tls.credentialName of a route: the secrets it serves. */
export function credentialNamesOf(route: KubeObject): string[] {
  const ports = asRecord(route.spec).ports;
  if (!Array.isArray(ports)) return [];
  return [...new Set(ports.flatMap((p) => stringList([asRecord(asRecord(p).tls).credentialName])))];
}

/** spec.selector of a route config, as label key → value. */
export function selectorOf(arc: KubeObject): Record<string, string> {
  return Object.fromEntries(Object.entries(asRecord(asRecord(arc.spec).selector)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function hostnamesOf(routes: readonly KubeObject[]): string[] {
  const names = routes.flatMap((r) => {
    const list = asRecord(r.spec).hostnames;
    return Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string' && h.length > 0) : [];
  });
  return [...new Set(names)];
}

export interface IssueView {
  name: string;
  reason: string;
  severity: string;
  details: string;
}

export function issueView(issue: KubeObject): IssueView {
  const spec = asRecord(issue.spec);
  return {
    name: nameOf(issue),
    reason: asString(spec.reason) ?? issue.metadata?.labels?.['ais-reason'] ?? 'unknown',
    severity: (asString(spec.severity) ?? 'unknown').toUpperCase(),
    details: asString(spec.details) ?? '',
  };
}

/** ApigeeIssues that name this env group's route config or secret (in their details or name). */
export function issuesFor(arcName: string | undefined, secretName: string, issues: readonly KubeObject[]): IssueView[] {
  return issues.map(issueView).filter((i) => {
    const names = [secretName, ...(arcName ? [arcName] : [])];
    return names.some((n) => i.details.includes(`"${n}"`) || i.name.endsWith(`-${n}`));
  });
}

export function routeConfigErrors(arc: KubeObject): string[] {
  const errors = asRecord(arc.status).errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e) => asString(asRecord(e).message) ?? (typeof e === 'string' ? e : '')).filter((m) => m.length > 0);
}

/** spec.name of ApigeeOrganization objects: the real org name (metadata.name may be encoded). */
export function orgNamesOf(orgs: readonly KubeObject[]): string[] {
  return [...new Set(orgs.map((o) => asString(asRecord(o.spec).name) ?? nameOf(o)).filter((n) => n.length > 0))];
}

/** The Helm release that made an object (meta.helm.sh/release-name, reference/apigee.md §4). */
export const helmReleaseOf = (o: KubeObject | undefined): string | undefined => asString(o?.metadata?.annotations?.['meta.helm.sh/release-name']);

/** The cert-manager Certificate that issued a secret (cert-manager.io/certificate-name, reference/apigee.md §12.4). */
export const certificateNameOf = (secret: KubeObject | undefined): string | undefined =>
  asString(secret?.metadata?.annotations?.['cert-manager.io/certificate-name']);

/** spec.secretName of a cert-manager Certificate. */
export const certificateSecretOf = (certificate: KubeObject): string | undefined => asString(asRecord(certificate.spec).secretName);
