// apigee-watcher's logs through the one pod-log reader: only the lines about a secret it could not
// get or a route it could not update are kept (apigee/log-sources.ts).
import { WATCHER_LOGS } from '../apigee/log-sources.js';
import type { ScannedSource } from '../evidence/log-line.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import type { Listing } from './listing.js';
import type { LogWindow } from './pod-logs.js';
import { scanSource, type LogTap, type SourceRead } from './scan-source.js';

export type { LogTap } from './scan-source.js';
export type WatcherLogs = ScannedSource;

export const readWatcherLogs = (
  exec: ExecContext,
  target: KubectlTarget,
  window: LogWindow,
  listPods: () => Promise<Listing>,
  tap?: LogTap,
): Promise<SourceRead> => scanSource(exec, target, WATCHER_LOGS, window, listPods, tap);
