// The resource types the simulator serves and the discovery documents that announce them.
// kubectl resolves names (plural, singular, short names, resource.group) only from these.

export const APIGEE_GROUP = 'apigee.cloud.google.com';

/** Content type kubectl needs to read /api and /apis as aggregated discovery. */
export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

export interface ResourceType {
  group: string; //         '' for core
  /** Served versions. kubectl prefers by Kubernetes version priority, as for real CRDs. */
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  shortNames: string[];
  namespaced: boolean;
  subresources: string[]; // e.g. ['log'] for pods
}

export type ApigeePlural = 'apigeeorganizations' | 'apigeeenvironments' | 'apigeerouteconfigs' | 'apigeeroutes' | 'apigeeissues';

/**
 * Served versions of the Apigee CRDs (reference/apigee.md §5.1, §12.2): 1.15 tooling reads
 * ApigeeRoute at v1alpha2 while ApigeeRouteConfig and ApigeeIssue stay v1alpha1, so a 1.15
 * cluster serves ApigeeRoute at both, v1alpha2 preferred. Pass `apigeeVersions: { apigeeroutes:
 * ['v1alpha1'] }` for the 2022–2023 CRDs.
 */
export const DEFAULT_APIGEE_VERSIONS: Record<ApigeePlural, string[]> = {
  apigeeorganizations: ['v1alpha2', 'v1alpha1'],
  apigeeenvironments: ['v1alpha2', 'v1alpha1'],
  apigeerouteconfigs: ['v1alpha1'],
  apigeeroutes: ['v1alpha2', 'v1alpha1'],
  apigeeissues: ['v1alpha1'],
};

export const CERT_MANAGER_GROUP = 'cert-manager.io';

/** cert-manager's CRDs (cert-manager.io/v1, https://cert-manager.io/docs/reference/api-docs/), with kubectl's short names. */
const CERT_MANAGER_KINDS: Array<[string, string, string[], boolean]> = [
  ['certificates', 'Certificate', ['cert', 'certs'], true],
  ['certificaterequests', 'CertificateRequest', ['cr', 'crs'], true],
  ['issuers', 'Issuer', [], true],
  ['clusterissuers', 'ClusterIssuer', [], false],
];

const core = (plural: string, kind: string, namespaced: boolean, shortNames: string[] = [], subresources: string[] = []): ResourceType => ({
  group: '',
  versions: ['v1'],
  plural,
  singular: kind.toLowerCase(),
  kind,
  shortNames,
  namespaced,
  subresources,
});

const apps = (plural: string, kind: string, shortNames: string[]): ResourceType => ({
  group: 'apps',
  versions: ['v1'],
  plural,
  singular: kind.toLowerCase(),
  kind,
  shortNames,
  namespaced: true,
  subresources: [],
});

const APIGEE_KINDS: Array<[ApigeePlural, string, string[]]> = [
  ['apigeeorganizations', 'ApigeeOrganization', ['apigeeorg']],
  ['apigeeenvironments', 'ApigeeEnvironment', ['apigeeenv']],
  ['apigeerouteconfigs', 'ApigeeRouteConfig', ['arc']],
  ['apigeeroutes', 'ApigeeRoute', ['ar']],
  ['apigeeissues', 'ApigeeIssue', []],
];

export interface CatalogOptions {
  /** false: the Apigee CRDs are not installed (group absent from discovery). */
  apigeeCrds?: boolean;
  /** Override served versions per Apigee resource; `[]` removes that one CRD. */
  apigeeVersions?: Partial<Record<ApigeePlural, string[]>>;
  /** true: cert-manager is installed, so its CRDs are served (apigee/apigee-hybrid-install uses it; reference/apigee.md §12.4). */
  certManager?: boolean;
}

/** All resource types of one simulated cluster. */
export function resourceCatalog(options: CatalogOptions = {}): ResourceType[] {
  const types: ResourceType[] = [
    core('namespaces', 'Namespace', false, ['ns']),
    core('pods', 'Pod', true, ['po'], ['log']),
    core('secrets', 'Secret', true),
    core('configmaps', 'ConfigMap', true, ['cm']),
    core('services', 'Service', true, ['svc']),
    core('serviceaccounts', 'ServiceAccount', true, ['sa']),
    core('events', 'Event', true, ['ev']),
    core('nodes', 'Node', false, ['no']),
    apps('deployments', 'Deployment', ['deploy']),
    apps('replicasets', 'ReplicaSet', ['rs']),
    apps('statefulsets', 'StatefulSet', ['sts']),
    apps('daemonsets', 'DaemonSet', ['ds']),
  ];
  if (options.apigeeCrds !== false) {
    for (const [plural, kind, shortNames] of APIGEE_KINDS) {
      const versions = options.apigeeVersions?.[plural] ?? DEFAULT_APIGEE_VERSIONS[plural];
      if (versions.length === 0) continue; // an empty list removes just this CRD
      types.push({ group: APIGEE_GROUP, versions: [...versions], plural, singular: kind.toLowerCase(), kind, shortNames, namespaced: true, subresources: [] });
    }
  }
  if (options.certManager) {
    for (const [plural, kind, shortNames, namespaced] of CERT_MANAGER_KINDS) {
      types.push({ group: CERT_MANAGER_GROUP, versions: ['v1'], plural, singular: kind.toLowerCase(), kind, shortNames, namespaced, subresources: [] });
    }
  }
  return types;
}

/**
 * Kubernetes version priority: GA > beta > alpha, then by number (v1alpha2 > v1alpha1).
 * Group versions are announced in this order, which is how kubectl picks the preferred one.
 */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stage = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = rank(a);
  const [sb, mb, nb] = rank(b);
  return sb - sa || mb - ma || nb - na || a.localeCompare(b);
}

function groupsOf(types: ResourceType[]): Map<string, ResourceType[]> {
  const groups = new Map<string, ResourceType[]>();
  for (const t of types) {
    const list = groups.get(t.group) ?? [];
    list.push(t);
    groups.set(t.group, list);
  }
  return groups;
}

/**
 * Versions of one group in announcement order: by version priority, as the apiserver does for
 * CRDs. kubectl maps each resource to the first announced version that serves it.
 */
function groupVersions(types: ResourceType[]): string[] {
  const all = new Set<string>();
  for (const t of types) for (const v of t.versions) all.add(v);
  return [...all].sort(compareVersions);
}

/** The version kubectl will use for a resource: the first group version that serves it. */
export function preferredVersion(type: ResourceType, types: ResourceType[]): string {
  const order = groupVersions(types.filter((t) => t.group === type.group));
  return order.find((v) => type.versions.includes(v)) ?? type.versions[0] ?? 'v1';
}

function aggregatedResource(t: ResourceType, version: string) {
  return {
    resource: t.plural,
    singularResource: t.singular,
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    responseKind: { group: t.group, version, kind: t.kind },
    verbs: ['get', 'list'],
    ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
    ...(t.subresources.length > 0
      ? {
          subresources: t.subresources.map((s) => ({
            subresource: s,
            responseKind: { group: t.group, version, kind: t.kind },
            verbs: ['get'],
          })),
        }
      : {}),
  };
}

/** Aggregated discovery (APIGroupDiscoveryList) for `/api` (core) or `/apis` (all others). */
export function aggregatedDiscovery(types: ResourceType[], core: boolean, apiVersion = 'apidiscovery.k8s.io/v2') {
  const items = [];
  for (const [group, members] of groupsOf(types)) {
    if ((group === '') !== core) continue;
    const versions = groupVersions(members).map((version) => ({
      version,
      freshness: 'Current',
      resources: members.filter((t) => t.versions.includes(version)).map((t) => aggregatedResource(t, version)),
    }));
    items.push({ metadata: { name: group, creationTimestamp: null }, versions });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items };
}

/** Legacy `/api`: APIVersions. */
export function legacyCoreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function legacyGroup(group: string, members: ResourceType[]) {
  const versions = groupVersions(members).map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

/** Legacy `/apis`: APIGroupList. */
export function legacyGroupList(types: ResourceType[]) {
  const groups = [];
  for (const [group, members] of groupsOf(types)) if (group !== '') groups.push(legacyGroup(group, members));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** Legacy `/apis/<group>`: APIGroup, or undefined when the group is not served. */
export function legacyGroupDoc(types: ResourceType[], group: string) {
  const members = types.filter((t) => t.group === group);
  if (group === '' || members.length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...legacyGroup(group, members) };
}

/** Legacy `/api/v1` or `/apis/<group>/<version>`: APIResourceList, or undefined when not served. */
export function legacyResourceList(types: ResourceType[], group: string, version: string) {
  const members = types.filter((t) => t.group === group && t.versions.includes(version));
  if (members.length === 0) return undefined;
  const resources = [];
  for (const t of members) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ['get', 'list'],
      ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
    });
    for (const s of t.subresources) {
      resources.push({ name: `${t.plural}/${s}`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources };
}

/** Which discovery document an Accept header asks for. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  // The first acceptable aggregated entry wins, like the apiserver's content negotiation.
  for (const part of accept.split(',')) {
    const params = part.split(';').map((p) => p.trim());
    if (!params.includes('as=APIGroupDiscoveryList') || !params.includes('g=apidiscovery.k8s.io')) continue;
    if (params.includes('v=v2')) return 'v2';
    if (params.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}
