// `serve`: every --interval, the `diagnose --all` of each context (all at once, one bound on
// kubectl processes), then the results swap in for /metrics. One run at a time: a run that
// outlasts the interval delays the next, never overlaps it. Between runs nothing runs but a
// timer. Stops on the signal (SIGTERM, Ctrl-C): the run in flight is cancelled, the HTTP server
// finishes what it serves, and the command exits 0.
import { setTimeout as sleep } from 'node:timers/promises';
import { setMaxListeners } from 'node:events';
import { newExecContext } from '../exec/context.js';
import { newSlots, type Slots } from '../exec/slots.js';
import type { DiagnoseRequest } from '../pipeline/diagnose.js';
import { diagnoseContext, PROCESS_BOUND } from '../pipeline/contexts.js';
import { startExporterServer } from './http.js';
import type { ListenAddress } from './listen.js';
import { runLogLine } from './log-line.js';
import { exporterRegistry } from './metrics.js';
import { initialState, isHealthy, recordRun, type ContextRun, type SecretChain, type ServeState } from './state.js';

/** A context to diagnose: its metric label, and the --context to pass (none in a pod). */
export interface ServeContext {
  label: string;
  context?: string;
}

export interface ServeRequest {
  contexts: ServeContext[];
  /** The diagnose --all request every run makes; its target's context is set per context. */
  diagnose: DiagnoseRequest;
  intervalMs: number;
  /** --timeout: the deadline of each run. */
  runTimeoutMs: number;
  listen: ListenAddress;
  openssl: string;
  verbose: boolean;
}

export interface ServeIO {
  stderr: (text: string) => void;
  /** SIGTERM or Ctrl-C. */
  stop: AbortSignal;
  now: () => Date;
}

async function runContext(request: ServeRequest, exec: ReturnType<typeof newExecContext>, c: ServeContext, now: Date, io: ServeIO): Promise<ContextRun> {
  const chains: SecretChain[] = [];
  const diagnose: DiagnoseRequest = { ...request.diagnose, now };
  const outcome = await diagnoseContext(exec, diagnose, c.context, (target, certificates) => {
    if (!target.envgroup || !target.secret) return;
    chains.push({
      context: c.label,
      namespace: target.namespace ?? request.diagnose.target.namespace,
      envgroup: target.envgroup,
      secret: target.secret,
      notAfter: certificates.map((cert) => cert.notAfter),
    });
  });
  const run: ContextRun = { context: c.label, items: outcome.items, chains, finishedAt: io.now(), ms: outcome.ms };
  if (outcome.failure) run.failure = outcome.failure;
  return run;
}

/** One run over every context; never throws (an internal error is that context's failed run). */
async function runAll(request: ServeRequest, slots: Slots, io: ServeIO): Promise<ContextRun[]> {
  const signal = AbortSignal.any([io.stop, AbortSignal.timeout(request.runTimeoutMs)]);
  setMaxListeners(1024, signal);
  const exec = newExecContext({
    kubectl: request.diagnose.kubectl,
    openssl: request.openssl,
    signal,
    slots,
    onStart: request.verbose ? (display) => io.stderr(`+ ${display}\n`) : undefined,
  });
  const now = io.now();
  return Promise.all(
    request.contexts.map((c) =>
      runContext(request, exec, c, now, io).catch((err: unknown): ContextRun => ({
        context: c.label,
        items: [],
        chains: [],
        failure: `internal error: ${String((err as Error)?.message ?? err)
          .split('\n')[0]!
          .slice(0, 200)}`,
        finishedAt: io.now(),
        ms: Math.round(io.now().getTime() - now.getTime()),
      })),
    ),
  );
}

export async function serve(request: ServeRequest, io: ServeIO): Promise<number> {
  const startedAt = io.now();
  let state: ServeState = initialState(request.contexts.map((c) => c.label));
  const registry = exporterRegistry(() => state);
  const server = await startExporterServer(request.listen, registry, () => isHealthy(state, startedAt, io.now(), request.intervalMs));
  io.stderr(
    `serving ${server.url}/metrics and ${server.url}/healthz; diagnosing ${request.contexts.map((c) => c.label).join(', ')} every ${request.intervalMs / 1000}s\n`,
  );
  const slots = newSlots(PROCESS_BOUND);
  while (!io.stop.aborted) {
    const began = performance.now();
    const runs = await runAll(request, slots, io);
    if (io.stop.aborted) break; // a cancelled run is not a result
    for (const r of runs) state = recordRun(state, r);
    const ms = performance.now() - began;
    io.stderr(`${runLogLine(io.now(), runs, ms)}\n`);
    await sleep(Math.max(0, request.intervalMs - ms), undefined, { signal: io.stop }).catch(() => undefined);
  }
  await server.close();
  return 0;
}
