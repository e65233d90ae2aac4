// Several simulated clusters as the contexts of one kubeconfig, like an org's regions: one
// isolated kubectl environment (HOME, KUBECACHEDIR, KUBECONFIG) whose contexts point each at
// its own simulator.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { apigeeCluster, startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/index.js';
import { fullChain, plant, rootCa, rsaKey } from './scenarios.js';
import { execa } from 'execa';
import { BUNDLE, isolatedEnv, REPO_ROOT, type ClusterEnv } from './cluster.js';

export interface Fleet {
  sims: Record<string, Simulator>;
  env: ClusterEnv;
  dir: string;
  close(): Promise<void>;
}

interface KubeconfigDoc {
  clusters: unknown[];
  users: unknown[];
  contexts: unknown[];
}

/** One simulator per context name, all in `<dir>/kubeconfig` (current-context: the first). */
export async function startFleet(specs: Record<string, SimulatorOptions>): Promise<Fleet> {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-fleet-'));
  const sims: Record<string, Simulator> = {};
  const close = async () => {
    await Promise.all(Object.values(sims).map((s) => s.close().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const [name, options] of Object.entries(specs)) sims[name] = await startSimulator(options);
    const docs = Object.entries(sims).map(([name, sim]) => parse(sim.kubeconfig(undefined, { context: name })) as KubeconfigDoc);
    const merged = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: docs.flatMap((d) => d.clusters),
      users: docs.flatMap((d) => d.users),
      contexts: docs.flatMap((d) => d.contexts),
      'current-context': Object.keys(specs)[0],
      preferences: {},
    };
    await writeFile(join(dir, 'kubeconfig'), stringify(merged), { mode: 0o600 });
  } catch (error) {
    await close();
    throw error;
  }
  return { sims, env: isolatedEnv(dir), dir, close };
}

/** startFleet, closed when the test ends. */
export async function fleetFor(t: { teardown(fn: () => Promise<void> | void): void }, specs: Record<string, SimulatorOptions>): Promise<Fleet> {
  const fleet = await startFleet(specs);
  t.teardown(() => fleet.close());
  return fleet;
}

/** A second context name for an existing one's cluster and user (two names, one cluster). */
export async function addAlias(fleet: Fleet, alias: string, of: string): Promise<void> {
  const path = join(fleet.dir, 'kubeconfig');
  const doc = parse(await readFile(path, 'utf8')) as KubeconfigDoc & Record<string, unknown>;
  doc.contexts.push({ name: alias, context: { cluster: of, user: of, namespace: 'apigee' } });
  await writeFile(path, stringify(doc), { mode: 0o600 });
}

export const FLEET_ORG = 'acme';

const ca = rootCa('Fleet Test Root CA');
const key = rsaKey();
export const KEY_PEM = plant(key);
export const OTHER_KEY_PEM = plant(rsaKey());
const chains = new Map<string, string>();
/** The certificate chain every region serves for `group` (leaf, then the root), minted once. */
export function chainOf(group: string): string {
  if (!chains.has(group)) chains.set(group, fullChain(ca, `${group}.${FLEET_ORG}.example.com`, key));
  return chains.get(group)!;
}

/** The org as one region holds it: env groups `prod` and `test`; `prod`'s key is another pair's when `brokenProd`. */
export function regionObjects(brokenProd: boolean): Required<Pick<SimulatorOptions, 'objects' | 'logs'>> {
  const scenario = apigeeCluster({
    org: FLEET_ORG,
    envgroups: [
      { name: 'prod', secret: { cert: chainOf('prod'), key: brokenProd ? OTHER_KEY_PEM : KEY_PEM } },
      { name: 'test', secret: { cert: chainOf('test'), key: KEY_PEM } },
    ],
  });
  return { objects: scenario.objects, logs: scenario.logs };
}

export interface ServeProcess {
  /** `http://127.0.0.1:<port>`, read from serve's first line. */
  url: string;
  /** stderr so far. */
  stderr(): string;
  /** Resolves when stderr has `n` run lines. */
  runs(n: number): Promise<string[]>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

const RUN_LINE = / run finished in /;

/** The built bundle's `serve … --listen 127.0.0.1:0` with `env`, stopped when the test ends. */
export async function startServe(t: { teardown(fn: () => Promise<void> | void): void }, env: Record<string, string>, args: string[]): Promise<ServeProcess> {
  const child = execa(process.execPath, [BUNDLE, 'serve', '--listen', '127.0.0.1:0', ...args], {
    env,
    extendEnv: false,
    cwd: REPO_ROOT,
    stdin: 'ignore',
    reject: false,
    timeout: 120_000,
  });
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  const until = async <T>(found: () => T | undefined): Promise<T> => {
    for (;;) {
      const value = found();
      if (value !== undefined) return value;
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  };
  t.teardown(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await child;
  });
  const url = await until(() => /serving (http:\/\/[^ ]+)\/metrics/.exec(stderr)?.[1]);
  return {
    url,
    stderr: () => stderr,
    runs: (n) =>
      until(() => {
        const lines = stderr.split('\n').filter((l) => RUN_LINE.test(l));
        return lines.length >= n ? lines : undefined;
      }),
    stop: async () => {
      child.kill('SIGTERM');
      return (await child).exitCode ?? -1;
    },
  };
}

/** A kubectl that appends `start` and `end` around each real kubectl run to `<dir>/events` (appends keep their order). */
export async function recordingKubectl(dir: string): Promise<{ path: string; events(): Promise<string[]> }> {
  const events = join(dir, 'events');
  const path = join(dir, 'kubectl-recording');
  await writeFile(path, `#!/bin/bash\necho start >> '${events}'\nkubectl "$@"\nrc=$?\necho end >> '${events}'\nexit $rc\n`);
  await chmod(path, 0o755);
  return { path, events: async () => (await readFile(events, 'utf8')).trim().split('\n') };
}

/** The most processes running at once, from a recording's events. */
export function mostAtOnce(events: readonly string[]): number {
  let running = 0;
  let most = 0;
  for (const e of events) {
    running += e === 'start' ? 1 : -1;
    most = Math.max(most, running);
  }
  return most;
}

/** How many processes started in each burst that ended (none running before it, none after): one per run. */
export function bursts(events: readonly string[]): number[] {
  const closed: number[] = [];
  let running = 0;
  let started = 0;
  for (const e of events) {
    if (e === 'start') {
      running += 1;
      started += 1;
    } else if ((running -= 1) === 0) {
      closed.push(started);
      started = 0;
    }
  }
  // A burst still running at the end (the run SIGTERM cut short) is left out.
  return closed;
}
