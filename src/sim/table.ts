// Server-side printing (meta.k8s.io/v1 Table), so human `kubectl get` shows the real columns
// (`NAME TYPE DATA AGE` for secrets) instead of the fallback `NAME AGE`. Only for people
// running kubectl by hand against `demo`; the product itself reads `-o json`.
import type { K8sObject } from './types.js';

interface Column {
  name: string;
  type: 'string' | 'integer';
  format?: string;
  cell: (o: K8sObject, now: Date) => string | number;
}

/** kubectl's HumanDuration: 45s, 5m30s, 3h10m, 10d, 2y30d. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60 * 2) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 60 * 3) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  if (h < 24 * 365 * 8) {
    const d = Math.floor(h / 24);
    const y = Math.floor(d / 365);
    return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  }
  return `${Math.floor(h / 24 / 365)}y`;
}

function field(o: K8sObject, path: string): unknown {
  let v: unknown = o;
  for (const p of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

const name: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name };
const age: Column = {
  name: 'Age',
  type: 'string',
  cell: (o, now) => {
    const created = Date.parse(o.metadata.creationTimestamp ?? '');
    return Number.isNaN(created) ? '<unknown>' : humanDuration(now.getTime() - created);
  },
};
const byPath = (title: string, path: string): Column => ({ name: title, type: 'string', cell: (o) => str(field(o, path)) });

function podReady(o: K8sObject): string {
  const containers = (field(o, 'spec.containers') as unknown[] | undefined) ?? [];
  const statuses = (field(o, 'status.containerStatuses') as Array<{ ready?: boolean }> | undefined) ?? [];
  const ready = statuses.length > 0 ? statuses.filter((s) => s.ready).length : field(o, 'status.phase') === 'Running' ? containers.length : 0;
  return `${ready}/${containers.length}`;
}

function podRestarts(o: K8sObject): number {
  const statuses = (field(o, 'status.containerStatuses') as Array<{ restartCount?: number }> | undefined) ?? [];
  return statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
}

const COLUMNS: Record<string, Column[]> = {
  Secret: [name, byPath('Type', 'type'), { name: 'Data', type: 'integer', cell: (o) => Object.keys((o.data as object | undefined) ?? {}).length }, age],
  Pod: [
    name,
    { name: 'Ready', type: 'string', cell: podReady },
    byPath('Status', 'status.phase'),
    { name: 'Restarts', type: 'integer', cell: podRestarts },
    age,
  ],
  Namespace: [name, { name: 'Status', type: 'string', cell: (o) => str(field(o, 'status.phase') ?? 'Active') }, age],
  ApigeeRouteConfig: [name, byPath('State', 'status.state'), age],
  ApigeeRoute: [name, byPath('State', 'status.state'), age],
  ApigeeOrganization: [name, byPath('State', 'status.state'), age],
  ApigeeEnvironment: [name, byPath('State', 'status.state'), age],
  ApigeeIssue: [name, byPath('Severity', 'spec.severity'), byPath('Reason', 'spec.reason'), byPath('Documentation', 'spec.documentation'), age],
};

/** Whether an Accept header asks for a Table (kubectl's human `get`). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'));
  });
}

export function toTable(kind: string, items: K8sObject[], now: Date, resourceVersion = '1') {
  const columns = COLUMNS[kind] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: '', priority: 0 })),
    rows: items.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
