// Test harness: one simulator plus an isolated kubectl environment (own HOME, KUBECACHEDIR,
// KUBECONFIG) per cluster, so no test sees another's discovery cache or the user's config.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { startSimulator, type K8sObject, type LogMap, type Simulator, type SimulatorOptions } from '../../src/sim/index.js';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Environment of an isolated kubectl user; nothing else is inherited. */
export interface ClusterEnv extends Record<string, string> {
  PATH: string;
  HOME: string;
  KUBECACHEDIR: string;
  KUBECONFIG: string;
}

export interface Cluster {
  sim: Simulator;
  /** Environment for kubectl and the CLI: PATH, HOME, KUBECACHEDIR, KUBECONFIG (and TMPDIR). */
  env: ClusterEnv;
  /** The temp dir holding home, cache and kubeconfig; removed by close(). */
  dir: string;
  /** Runs the real kubectl with `--request-timeout=10s` unless args set their own. */
  kubectl(args: string[]): Promise<RunResult>;
  /** Runs the built bundle (dist/kubectl-apigee_tls.cjs) against this cluster. */
  cli(args: string[]): Promise<RunResult>;
  close(): Promise<void>;
}

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUNDLE = join(REPO_ROOT, 'dist', 'kubectl-apigee_tls.cjs');

/** Hard cap per spawned process, so a wedged kubectl fails a test instead of hanging it. */
const PROCESS_TIMEOUT_MS = 60_000;

function toResult(r: { exitCode?: number; stdout?: unknown; stderr?: unknown; timedOut?: boolean }): RunResult {
  const stderr = typeof r.stderr === 'string' ? r.stderr : '';
  return {
    // A killed process has no exit code; -1 keeps the type simple and never equals a real one.
    exitCode: r.exitCode ?? -1,
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr: r.timedOut ? `${stderr}\n[harness] timed out after ${PROCESS_TIMEOUT_MS} ms` : stderr,
  };
}

/** Runs kubectl with exactly `env` (nothing inherited), stdin ignored. */
export async function runKubectl(args: string[], env: Record<string, string>): Promise<RunResult> {
  const full = args.some((a) => a.startsWith('--request-timeout')) ? args : ['--request-timeout=10s', ...args];
  const r = await execa('kubectl', full, { env, extendEnv: false, stdin: 'ignore', reject: false, timeout: PROCESS_TIMEOUT_MS, stripFinalNewline: false });
  return toResult(r);
}

/** Runs the BUILT bundle `node dist/kubectl-apigee_tls.cjs …args` with exactly `env`. */
export async function runCli(args: string[], env: Record<string, string>): Promise<RunResult> {
  const r = await execa(process.execPath, [BUNDLE, ...args], {
    env,
    extendEnv: false,
    cwd: REPO_ROOT,
    stdin: 'ignore',
    reject: false,
    timeout: PROCESS_TIMEOUT_MS,
    stripFinalNewline: false,
  });
  return toResult(r);
}

/**
 * The environment of an isolated kubectl user rooted at `dir`. Only PATH (to find kubectl)
 * and TMPDIR come from the parent: no KUBECONFIG, proxy or gcloud settings leak in.
 */
export function isolatedEnv(dir: string): ClusterEnv {
  const env: ClusterEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: dir,
    KUBECACHEDIR: join(dir, 'cache'),
    KUBECONFIG: join(dir, 'kubeconfig'),
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
  };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return env;
}

/** Starts a simulator and an isolated kubectl environment for it. Call close() when done. */
export async function withCluster(objects: readonly K8sObject[] = [], logs: LogMap = {}, options: SimulatorOptions = {}): Promise<Cluster> {
  const sim = await startSimulator({ ...options, objects, logs });
  let dir: string;
  try {
    dir = await mkdtemp(join(tmpdir(), 'apigee-tls-'));
    sim.kubeconfig(dir); // writes $dir/kubeconfig
  } catch (error) {
    await sim.close();
    throw error;
  }
  const env = isolatedEnv(dir);
  return {
    sim,
    env,
    dir,
    kubectl: (args) => runKubectl(args, env),
    cli: (args) => runCli(args, env),
    close: async () => {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Like withCluster, but closed automatically when the test ends (ava's t.teardown). */
export async function clusterFor(
  t: { teardown(fn: () => Promise<void> | void): void },
  objects: readonly K8sObject[] = [],
  logs: LogMap = {},
  options: SimulatorOptions = {},
): Promise<Cluster> {
  const cluster = await withCluster(objects, logs, options);
  t.teardown(() => cluster.close());
  return cluster;
}

/** stderr without klog lines (`E1127 07:46:28.456354 …`), per the fake-apiserver rules. */
export function stripKlog(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !/^[IEW]\d{4} /.test(l))
    .join('\n')
    .trim();
}

/**
 * Lines of a PEM private key's body that appear in `text`: the leak canary. Every cluster test
 * of the product should assert this is empty for each key it planted.
 */
export function leakedKeyLines(text: string, keyPem: string | Buffer): string[] {
  const body = keyPem
    .toString()
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith('-----') && !l.includes(':'));
  return body.filter((l) => text.includes(l));
}
