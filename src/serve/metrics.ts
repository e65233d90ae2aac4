// The exporter's metrics, with the names and labels CONTRACT.md fixes, through prom-client's
// registry and exposition format. Every value is read from the state at scrape time, so a scrape
// sees the last complete results of each context and nothing of a run still going.
import { Counter, Gauge, Registry } from 'prom-client';
import type { Result } from '../report/finding.js';
import type { ServeState } from './state.js';

const RESULTS: readonly Result[] = ['healthy', 'problems-found', 'incomplete'];

const seconds = (d: Date): number => d.getTime() / 1000;

export function exporterRegistry(state: () => ServeState): Registry {
  const registry = new Registry();
  const complete = () => [...state().values()].flatMap((c) => (c.complete ? [{ context: c.context, ...c.complete }] : []));
  new Gauge({
    name: 'apigee_tls_envgroup_result',
    help: "1 for the env group's current result (healthy, problems-found, incomplete), 0 for the others",
    labelNames: ['context', 'namespace', 'envgroup', 'result'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of complete())
        for (const d of c.items) {
          if (!d.target.envgroup) continue;
          for (const result of RESULTS)
            this.set({ context: c.context, namespace: d.target.namespace ?? '', envgroup: d.target.envgroup, result }, d.result === result ? 1 : 0);
        }
    },
  });
  new Gauge({
    name: 'apigee_tls_finding',
    help: '1 for each fail or warn finding of the last complete run, by check and cause id',
    labelNames: ['context', 'namespace', 'envgroup', 'check', 'cause', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of complete())
        for (const d of c.items)
          for (const f of d.findings) {
            if (!d.target.envgroup || (f.status !== 'fail' && f.status !== 'warn')) continue;
            const labels = { context: c.context, namespace: d.target.namespace ?? '', envgroup: d.target.envgroup, check: f.check, cause: f.cause ?? '' };
            this.set({ ...labels, status: f.status }, 1);
          }
    },
  });
  new Gauge({
    name: 'apigee_tls_certificate_not_after_seconds',
    help: "notAfter (Unix seconds) of each certificate in the env group's secret, position 0 = the first (the leaf)",
    labelNames: ['context', 'namespace', 'envgroup', 'secret', 'position'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of complete())
        for (const chain of c.chains)
          chain.notAfter.forEach((notAfter, position) =>
            this.set(
              { context: c.context, namespace: chain.namespace, envgroup: chain.envgroup, secret: chain.secret, position: String(position) },
              seconds(notAfter),
            ),
          );
    },
  });
  new Gauge({
    name: 'apigee_tls_run_timestamp_seconds',
    help: "when the context's last complete run (one that reached the cluster) finished, Unix seconds",
    labelNames: ['context'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of state().values()) if (c.complete) this.set({ context: c.context }, seconds(c.complete.finishedAt));
    },
  });
  new Gauge({
    name: 'apigee_tls_run_duration_seconds',
    help: "how long the context's last run took, complete or not",
    labelNames: ['context'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of state().values()) if (c.lastMs !== undefined) this.set({ context: c.context }, c.lastMs / 1000);
    },
  });
  new Counter({
    name: 'apigee_tls_run_errors_total',
    help: 'runs of the context that could not diagnose it at all (unreachable, unauthorized, timed out, unknown)',
    labelNames: ['context'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of state().values()) this.inc({ context: c.context }, c.errors);
    },
  });
  return registry;
}
