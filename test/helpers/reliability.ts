// Shared pieces of the reliability tests (faults, RBAC, interrupts): one small Apigee cluster with
// a healthy env group and one whose secret is gone, the apiserver's exact Forbidden wording, the
// healthy verdict list, and the process-tree helpers that prove no child outlives the CLI.
import { createServer, type AddressInfo } from 'node:net';
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { apigeeCluster, DEFAULT_USER, tlsSecret, type K8sObject, type LogMap, type RbacPolicy, type RbacRule } from '../../src/sim/index.js';
import type { Assertions } from 'ava';
import type { Cluster, RunResult } from './cluster.js';
import { fullChain, plant, rootCa, rsaKey, type DiagnosisJson } from './scenarios.js';

export const ORG = 'acme';
export const NS = 'apigee';
export const APIGEE_GROUP = 'apigee.cloud.google.com';
/** The skip summary of a check whose Apigee resource type the cluster does not serve. */
export const crdAbsent = (resource: string): string =>
  `not on this cluster: the server doesn't have a resource type "${resource}" (are the Apigee CRDs installed?)`;
export const host = (eg: string): string => `${eg}.${ORG}.example.com`;

// ---------------------------------------------------------------------------------------------
// The cluster: `prod` is healthy, `gone` has no secret (the watcher reports it), and `bare` has a
// healthy secret but no ApigeeRouteConfig (its org can only come from the ApigeeOrganization).

const ca = rootCa('Reliability Test Root CA');
const key = rsaKey();
const KEY_PEM = plant(key);

export interface ReliabilityCluster {
  objects: K8sObject[];
  logs: LogMap;
  watcherPod: string;
  ingressPod: string;
  ingressPods: string[];
  ingressManagerPods: string[];
}

export function reliabilityCluster(): ReliabilityCluster {
  const sc = apigeeCluster({
    org: ORG,
    envgroups: [
      { name: 'prod', secret: { cert: fullChain(ca, host('prod'), key), key: KEY_PEM } },
      { name: 'gone', secret: null },
    ],
  });
  const bare = tlsSecret({ name: `${ORG}-bare`, cert: fullChain(ca, host('bare'), key), key: KEY_PEM });
  return {
    objects: [...sc.objects, bare],
    logs: sc.logs,
    watcherPod: sc.watcherPod,
    ingressPod: sc.ingressPod,
    ingressPods: sc.ingressPods,
    ingressManagerPods: sc.ingressManagerPods,
  };
}

/** Every check of a healthy env group with a route config, in report order. */
export const HEALTHY: readonly string[] = [
  'watcher-logs pass',
  'ingress-secret pass',
  'secret-keys pass',
  'certificate pass',
  'private-key pass',
  'key-match pass',
  'chain-order pass',
  'chain-complete pass',
  'validity pass',
  'hostnames pass',
  'strength pass',
  'mtls-ca skip',
  'route-secret skip',
  'ingress-gateway pass',
  'ingress-manager pass',
  'ingress-gateways pass',
  'watcher-updates pass',
  'apigee-issues pass',
  'route-config pass',
];

/** The healthy verdicts with some replaced, by check name. */
export function healthyWith(changes: Record<string, string> = {}): string[] {
  return HEALTHY.map((v) => changes[v.split(' ')[0]!] ?? v);
}

/** `gone`: the watcher's line and the secret list both say the secret is missing. */
export const GONE: readonly string[] = [
  'watcher-logs pass',
  'ingress-secret fail missing-ingress-secret',
  'secret-keys skip',
  'certificate skip',
  'route-secret skip',
  'ingress-gateway pass',
  'ingress-manager pass',
  'ingress-gateways pass',
  'watcher-updates pass',
  'apigee-issues pass',
  'route-config pass',
];

/** `prod` when its secret cannot be read: the secret's checks skip, the rest still runs. */
export const SECRET_UNREADABLE: readonly string[] = [
  'watcher-logs pass',
  'ingress-secret error',
  'secret-keys skip',
  'certificate skip',
  'route-secret skip',
  'ingress-gateway pass',
  'ingress-manager pass',
  'ingress-gateways pass',
  'watcher-updates pass',
  'apigee-issues pass',
  'route-config pass',
];

/** `bare`: no route config, so no hostnames from ApigeeRoutes. */
export const BARE: readonly string[] = healthyWith({
  hostnames: 'hostnames skip',
  'ingress-gateway': 'ingress-gateway skip',
  // No selector: no gateway is known to serve it, so no gateway line can be its.
  'ingress-gateways': 'ingress-gateways skip',
  'route-config': 'route-config skip',
});

// ---------------------------------------------------------------------------------------------
// RBAC

/** Exactly the Role the README documents, bound in namespace apigee. */
export const MINIMAL_RULES: readonly RbacRule[] = [
  { verbs: ['get', 'list'], resources: ['secrets', 'pods', 'pods/log'], apiGroups: [''], namespaces: [NS] },
  {
    verbs: ['get', 'list'],
    resources: ['apigeeorganizations', 'apigeerouteconfigs', 'apigeeroutes', 'apigeeissues'],
    apiGroups: [APIGEE_GROUP],
    namespaces: [NS],
  },
];

export const MINIMAL_ROLE: RbacPolicy = { rules: MINIMAL_RULES.map((r) => ({ ...r })) };

export type ReadResource = 'secrets' | 'pods' | 'pods/log' | 'apigeeorganizations' | 'apigeerouteconfigs' | 'apigeeroutes' | 'apigeeissues';

export const READ_RESOURCES: readonly ReadResource[] = [
  'secrets',
  'pods',
  'pods/log',
  'apigeeorganizations',
  'apigeerouteconfigs',
  'apigeeroutes',
  'apigeeissues',
];

/** The minimal Role without one resource (both verbs). */
export function roleWithout(resource: ReadResource): RbacPolicy {
  return { rules: MINIMAL_RULES.map((r) => ({ ...r, resources: r.resources.filter((x) => x !== resource) })) };
}

/**
 * The kube-apiserver's Forbidden message for the plugin's reads: a list of the resource in the
 * namespace, or (pods/log) a get on the named pod's log.
 */
export function forbidden(resource: ReadResource, podName?: string, user = DEFAULT_USER, ns = NS): string {
  const core = resource === 'secrets' || resource === 'pods' || resource === 'pods/log';
  if (resource === 'pods/log') {
    return `pods "${podName ?? '?'}" is forbidden: User "${user}" cannot get resource "pods/log" in API group "" in the namespace "${ns}"`;
  }
  const subject = core ? resource : `${resource}.${APIGEE_GROUP}`;
  return `${subject} is forbidden: User "${user}" cannot list resource "${resource}" in API group "${core ? '' : APIGEE_GROUP}" in the namespace "${ns}"`;
}

// ---------------------------------------------------------------------------------------------
// Reports

export const parseJson = <T = DiagnosisJson>(r: RunResult): T => JSON.parse(r.stdout) as T;
export const lines = (text: string): string[] => text.replace(/\r\n/g, '\n').split('\n');

/** The three lines of a run that could not start: `error: …`, `  (while running: kubectl …)`, the hint. */
export function incompleteLines(r: RunResult): string[] {
  return lines(r.stderr.trimEnd());
}

// ---------------------------------------------------------------------------------------------
// Processes

/** An executable on PATH, as an absolute path (a wrapper must not find itself). */
export function onPath(name: string, path = process.env.PATH ?? ''): string {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not on PATH`);
}

/**
 * A wrapper that appends its own pid to `pidFile` and execs `target` (so the pid is the real
 * tool's). Returns the wrapper's path.
 */
export async function pidRecordingWrapper(dir: string, name: string, target: string, pidFile: string): Promise<string> {
  const path = join(dir, name);
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  await writeFile(path, `#!/bin/sh\necho $$ >> ${q(pidFile)}\nexec ${q(target)} "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

/** The pids a wrapper recorded (none when it never ran). */
export function recordedPids(pidFile: string): number[] {
  let text = '';
  try {
    text = readFileSync(pidFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map(Number);
}

/** Every descendant of `pid` now (Linux /proc; empty elsewhere). */
export function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const parent = new Map<number, number>();
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(e), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    for (const [child, ppid] of parent) {
      if (ppid === p && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Whether a process exists (a zombie not yet reaped counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Describes live processes for an assertion message. */
export function describe(pids: readonly number[]): string {
  return pids
    .map((p) => {
      try {
        return `${p}: ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
      } catch {
        return String(p);
      }
    })
    .join('; ');
}

/** Kills what a failed test left behind, so a product bug cannot leak processes into the run. */
export function reap(pids: readonly number[]): void {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Polls `condition` every 25 ms; throws after `ms` (ava's own timeout is the real guard). */
export async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// ---------------------------------------------------------------------------------------------
// Per-test bookkeeping for the "the plugin never writes" afterEach assertion

export interface ClustersContext {
  clusters: Cluster[];
}

/** Registers `c` so the file's afterEach asserts it received no write. */
export function track(t: { context: unknown }, c: Cluster): Cluster {
  const ctx = t.context as Partial<ClustersContext>;
  (ctx.clusters ??= []).push(c);
  return c;
}

/** A port on 127.0.0.1 that nothing listens on (it was just closed). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** stdout is the one document of a run that could not finish: incomplete, one error finding whose summary is stderr's `error: …` line. */
export function assertIncompleteDocument(t: Assertions, r: RunResult, firstStderrLine: string): void {
  const d = JSON.parse(r.stdout) as DiagnosisJson;
  t.is(d.kind, 'Diagnosis');
  t.is(d.result, 'incomplete');
  t.deepEqual(
    d.findings.map((f) => [f.status, `error: ${f.summary}`]),
    [['error', firstStderrLine]],
  );
}

/** The README's optional cert-manager rules, as a refused Certificates list asks for them under the Role's `rules:`. */
export const CERT_MANAGER_RULE_LINES = [
  '  - apiGroups:',
  '      - cert-manager.io',
  '    resources:',
  '      - certificates',
  '      - certificaterequests',
  '    verbs:',
  '      - get',
  '      - list',
  '  - apiGroups:',
  '      - ""',
  '    resources:',
  '      - events',
  '    verbs:',
  '      - get',
  '      - list',
].join('\n');
