// Turns a request target into the apiserver's view of it: which endpoint, and for resource
// requests the RBAC attributes (verb, group, resource, subresource, namespace, name).

export type Endpoint =
  | { type: 'version' }
  | { type: 'core-discovery' } //                /api
  | { type: 'groups-discovery' } //              /apis
  | { type: 'group-doc'; group: string } //      /apis/<g>
  | { type: 'resource-list-doc'; group: string; version: string } // /api/v1, /apis/<g>/<v>
  | { type: 'resource'; attrs: ResourceAttributes }
  | { type: 'other' };

export interface ResourceAttributes {
  group: string;
  version: string;
  /** Plural resource name as written in the path. */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Parses a request path (no query). */
export function parseEndpoint(path: string): Endpoint {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const parts = trimmed.split('/').slice(1).map(safeDecode);
  if (trimmed === '/version') return { type: 'version' };
  if (trimmed === '/api') return { type: 'core-discovery' };
  if (trimmed === '/apis') return { type: 'groups-discovery' };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length === 2) {
    return { type: 'group-doc', group: parts[1] ?? '' };
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return { type: 'other' };
  }
  if (rest.length === 0) return { type: 'resource-list-doc', group, version };
  // /namespaces/<ns>/<resource>[/<name>[/<subresource>]] is namespaced; /namespaces[/<ns>] is
  // the Namespace resource itself (cluster scoped).
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const [, namespace, resource, name, subresource] = rest;
    if (rest.length > 5 || !resource) return { type: 'other' };
    return { type: 'resource', attrs: clean({ group, version, resource, namespace, name, subresource }) };
  }
  const [resource, name, subresource] = rest;
  if (rest.length > 3 || !resource) return { type: 'other' };
  return { type: 'resource', attrs: clean({ group, version, resource, name, subresource }) };
}

function clean(a: {
  group: string;
  version: string;
  resource: string;
  namespace?: string | undefined;
  name?: string | undefined;
  subresource?: string | undefined;
}): ResourceAttributes {
  const out: ResourceAttributes = { group: a.group, version: a.version, resource: a.resource };
  if (a.namespace) out.namespace = a.namespace;
  if (a.name) out.name = a.name;
  if (a.subresource) out.subresource = a.subresource;
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The RBAC verb of a request, as the apiserver derives it. */
export function verbOf(method: string, attrs: ResourceAttributes | undefined, query: Record<string, string>): string {
  const named = attrs?.name !== undefined;
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      if (!attrs) return 'get';
      if (query.watch === 'true' || query.watch === '1') return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** `secrets` for core, `apigeeroutes.apigee.cloud.google.com` otherwise: the apiserver's GroupResource string. */
export function qualifiedResource(attrs: Pick<ResourceAttributes, 'group' | 'resource'>): string {
  return attrs.group ? `${attrs.resource}.${attrs.group}` : attrs.resource;
}

/** The RBAC resource string, subresource included (`pods/log`). */
export function rbacResource(attrs: ResourceAttributes): string {
  return attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
}
