// The first wave of kubectl calls of `diagnose`, started before the analysis modules load: the
// namespace listing and the log sources by label (watcher, ingress manager, gateways). This file
// imports only what starts them (no checks, no pki, no renderers), so that the kubectl processes
// run while Node loads and compiles the rest; test/first-spawn.test.ts holds that order.
import type { ExecContext } from '../exec/context.js';
import { snapshotNamespace, type NamespaceSnapshot } from '../gather/snapshot.js';
import type { DiagnoseRequest } from './diagnose.js';
import { readNamespaceLogs, type NamespaceLogs } from './ingress-logs.js';

export interface DiagnoseWave {
  listed: Promise<NamespaceSnapshot>;
  logs: Promise<NamespaceLogs>;
}

/** The namespace listed once; the org usually comes from the route config's name, so the organizations only when they must. */
export const listNamespace = (exec: ExecContext, request: Pick<DiagnoseRequest, 'target' | 'envgroups' | 'org'>): Promise<NamespaceSnapshot> =>
  snapshotNamespace(exec, request.target, { needOrgs: request.envgroups.all && !request.org });

/**
 * Starts the listing and the watcher's logs (by label; pod by pod from the listing's pods only when
 * the label finds none). Whoever takes the wave awaits both; until then a failure is held, not
 * reported as unhandled.
 */
export function startDiagnoseWave(exec: ExecContext, request: DiagnoseRequest): DiagnoseWave {
  const listed = listNamespace(exec, request);
  const pods = listed.then((s) => s.pods);
  const logs = readNamespaceLogs(exec, request.target, request, () => pods);
  for (const p of [listed, pods, logs]) p.catch(() => undefined);
  return { listed, logs };
}
