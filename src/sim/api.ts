// Answers authorised GET requests: /version, discovery, and list/get/log of resources.
// Pure with respect to the network: it returns what to send, the server sends it.
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregatedDiscovery,
  legacyCoreVersions,
  legacyGroupDoc,
  legacyGroupList,
  legacyResourceList,
  wantsAggregated,
  type ResourceType,
} from './discovery.js';
import { findLog, LogQueryError, parseLogQuery, type LogQuery } from './logs.js';
import { atVersion, objectsOf } from './objects.js';
import { qualifiedResource, type Endpoint, type ResourceAttributes } from './request.js';
import { matchesFields, matchesLabels, parseSelector } from './selectors.js';
import { statusObject } from './status.js';
import { toTable, wantsTable } from './table.js';
import type { K8sObject, LogMap, LogSource } from './types.js';

export type Answer = { type: 'json'; code: number; body: unknown; contentType?: string } | { type: 'log'; source: LogSource | undefined; query: LogQuery };

export interface ApiState {
  objects: readonly K8sObject[];
  logs: LogMap;
  types: ResourceType[];
  gitVersion: string;
  aggregated: boolean;
  serverAddress: string;
  now: Date;
}

const json = (code: number, body: unknown, contentType?: string): Answer =>
  contentType ? { type: 'json', code, body, contentType } : { type: 'json', code, body };

const NOT_FOUND = 'the server could not find the requested resource';

export function notFoundMessage(attrs: ResourceAttributes): string {
  return attrs.name !== undefined ? `${qualifiedResource(attrs)} "${attrs.name}" not found` : NOT_FOUND;
}

function versionInfo(gitVersion: string) {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '32',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T16:03:09Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function discovery(state: ApiState, core: boolean, accept: string | undefined): Answer {
  const aggregated = state.aggregated ? wantsAggregated(accept) : undefined;
  if (aggregated === 'v2') return json(200, aggregatedDiscovery(state.types, core), AGGREGATED_V2);
  if (aggregated === 'v2beta1') return json(200, aggregatedDiscovery(state.types, core, 'apidiscovery.k8s.io/v2beta1'), AGGREGATED_V2BETA1);
  return json(200, core ? legacyCoreVersions(state.serverAddress) : legacyGroupList(state.types));
}

export function answer(state: ApiState, endpoint: Endpoint, query: Record<string, string>, accept: string | undefined): Answer {
  switch (endpoint.type) {
    case 'version':
      return json(200, versionInfo(state.gitVersion));
    case 'core-discovery':
      return discovery(state, true, accept);
    case 'groups-discovery':
      return discovery(state, false, accept);
    case 'group-doc': {
      const doc = legacyGroupDoc(state.types, endpoint.group);
      return doc ? json(200, doc) : json(404, statusObject(404, NOT_FOUND));
    }
    case 'resource-list-doc': {
      const doc = legacyResourceList(state.types, endpoint.group, endpoint.version);
      return doc ? json(200, doc) : json(404, statusObject(404, NOT_FOUND));
    }
    case 'resource':
      return resource(state, endpoint.attrs, query, accept);
    case 'other':
      return json(404, statusObject(404, NOT_FOUND));
  }
}

function findType(state: ApiState, attrs: ResourceAttributes): ResourceType | undefined {
  return state.types.find((t) => t.group === attrs.group && t.plural === attrs.resource && t.versions.includes(attrs.version));
}

function resource(state: ApiState, attrs: ResourceAttributes, query: Record<string, string>, accept: string | undefined): Answer {
  const type = findType(state, attrs);
  // A namespaced path for a cluster-scoped type (or the reverse for a get) does not exist.
  if (!type || (attrs.namespace !== undefined && !type.namespaced) || (attrs.subresource !== undefined && !type.subresources.includes(attrs.subresource))) {
    return json(404, statusObject(404, NOT_FOUND));
  }
  if (query.watch === 'true' || query.watch === '1') {
    return json(405, statusObject(405, 'the simulated cluster does not support watch'));
  }
  if (attrs.name === undefined) return list(state, type, attrs, query, accept);

  if (type.namespaced && attrs.namespace === undefined) return json(404, statusObject(404, NOT_FOUND));
  const obj = objectsOf(state.objects, type, attrs.namespace).find((o) => o.metadata.name === attrs.name);
  if (!obj)
    return json(404, statusObject(404, notFoundMessage(attrs), { name: attrs.name, ...(attrs.group ? { group: attrs.group } : {}), kind: type.plural }));
  if (attrs.subresource === 'log') return podLog(state, obj, query);
  const served = atVersion(obj, type.group, attrs.version);
  if (wantsTable(accept)) return json(200, toTable(type.kind, [served], state.now));
  return json(200, served);
}

function list(state: ApiState, type: ResourceType, attrs: ResourceAttributes, query: Record<string, string>, accept: string | undefined): Answer {
  let items = objectsOf(state.objects, type, attrs.namespace);
  try {
    if (query.labelSelector) {
      const req = parseSelector(query.labelSelector);
      items = items.filter((o) => matchesLabels(o, req));
    }
    if (query.fieldSelector) {
      const req = parseSelector(query.fieldSelector);
      items = items.filter((o) => matchesFields(o, req));
    }
  } catch (error) {
    return json(400, statusObject(400, (error as Error).message));
  }
  // `limit` and `continue` are ignored: every list fits in one page.
  const served = items.map((o) => atVersion(o, type.group, attrs.version));
  if (wantsTable(accept)) return json(200, toTable(type.kind, served, state.now));
  return json(200, {
    kind: `${type.kind}List`,
    apiVersion: type.group ? `${type.group}/${attrs.version}` : attrs.version,
    metadata: { resourceVersion: '1' },
    items: served,
  });
}

interface ContainerSpec {
  name?: string;
}
interface ContainerStatus {
  name?: string;
  state?: { waiting?: { reason?: string } };
}

function podLog(state: ApiState, pod: K8sObject, query: Record<string, string>): Answer {
  const spec = (pod.spec ?? {}) as { containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; ephemeralContainers?: ContainerSpec[] };
  const names = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])]
    .map((c) => c.name)
    .filter((n): n is string => typeof n === 'string');
  const podName = pod.metadata.name;
  const container = query.container || spec.containers?.[0]?.name;
  if (!container) return json(400, statusObject(400, `a container name must be specified for pod ${podName}`));
  if (!names.includes(container)) return json(400, statusObject(400, `container ${container} is not valid for pod ${podName}`));

  const statuses = (pod.status as { containerStatuses?: ContainerStatus[] } | undefined)?.containerStatuses ?? [];
  const waiting = statuses.find((s) => s.name === container)?.state?.waiting;
  if (waiting) {
    return json(400, statusObject(400, `container "${container}" in pod "${podName}" is waiting to start: ${waiting.reason ?? 'ContainerCreating'}`));
  }

  let logQuery: LogQuery;
  try {
    logQuery = parseLogQuery(query, state.now);
  } catch (error) {
    if (error instanceof LogQueryError) return json(400, statusObject(400, error.message));
    throw error;
  }
  const previous = query.previous === 'true';
  const source = findLog(state.logs, pod.metadata.namespace ?? '', podName, container, previous);
  if (previous && source === undefined) {
    return json(400, statusObject(400, `previous terminated container "${container}" in pod "${podName}" not found`));
  }
  return { type: 'log', source, query: logQuery };
}
