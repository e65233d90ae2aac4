// npm run bench: how `diagnose` compares with typing the playbook by hand, how `--all` scales, how
// fast the binary starts, and how much memory a huge watcher log costs. Not a test: numbers hold
// only on the machine they were taken on, so the machine is written down with them.
//
//   npm run bench [-- --latency 40 --runs 5 --groups 200 --log-mb 500]
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { apigeeCluster, generatedLog, startSimulator, watcherSecretNotFoundLine, type EnvGroupSpec, type LogMap, type Simulator } from '../src/sim/index.js';
import { mintCertificate } from '../src/sim/mint-certificate.js';
import { startFleet, type Fleet } from '../test/helpers/fleet.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LATENCY_MS = arg('latency', 40);
const RUNS = arg('runs', 5);
const GROUPS = arg('groups', 200);
const LOG_MB = arg('log-mb', 500);
const ORG = 'bench-org';
const BUNDLE = 'dist/kubectl-apigee_tls.cjs';
const NATIVE = 'dist/package/linux_amd64/kubectl-apigee_tls';

// ---------------------------------------------------------------------------------------------
// The cluster: healthy RSA env groups, one minted chain shared by all.

const pem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
function material() {
  const now = Date.now();
  const rootKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const leafKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const root = mintCertificate({
    commonName: 'Bench Root',
    key: rootKey,
    notBefore: new Date(now - 864e5),
    notAfter: new Date(now + 3650 * 864e5),
    isCA: true,
  });
  return (host: string) => ({
    cert:
      mintCertificate({
        commonName: host,
        sans: [host],
        key: leafKey,
        issuer: { certificatePem: root, commonName: 'Bench Root', key: rootKey },
        notBefore: new Date(now - 864e5),
        notAfter: new Date(now + 365 * 864e5),
      }) + root,
    key: pem(leafKey),
  });
}

function cluster(groups: number, logs?: LogMap) {
  const secretFor = material();
  const envgroups: EnvGroupSpec[] = Array.from({ length: groups }, (_, i) => {
    const name = `eg-${String(i).padStart(3, '0')}`;
    return { name, secret: secretFor(`${name}.${ORG}.example.com`) };
  });
  const scenario = apigeeCluster({ org: ORG, envgroups });
  return { objects: scenario.objects, logs: logs ?? scenario.logs, watcherPod: scenario.watcherPod };
}

interface Env {
  sim: Simulator;
  env: NodeJS.ProcessEnv;
  dir: string;
}

async function withSim(objects: ReturnType<typeof cluster>['objects'], logs: LogMap): Promise<Env> {
  const sim = await startSimulator({ objects, logs, faults: [{ match: '.*', delayMs: LATENCY_MS }] });
  const dir = mkdtempSync(join(tmpdir(), 'apigee-tls-bench-'));
  sim.kubeconfig(dir);
  const env = { PATH: process.env.PATH, HOME: dir, KUBECACHEDIR: join(dir, 'cache'), KUBECONFIG: join(dir, 'kubeconfig'), TMPDIR: tmpdir() };
  return { sim, env, dir };
}

// ---------------------------------------------------------------------------------------------
// Timing

interface Stat {
  median: number;
  min: number;
  max: number;
}
const stat = (xs: number[]): Stat => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
};
const fmt = (s: Stat, unit = 's') => `${s.median.toFixed(3)} ${unit} (min ${s.min.toFixed(3)}, max ${s.max.toFixed(3)})`;

/** Runs a command without blocking: the simulator answers from this same process. */
function timeRun(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, stderr, code }));
  });
}

async function repeat(runs: number, f: () => Promise<number>): Promise<Stat> {
  await f(); // warm: kubectl's discovery cache, the page cache
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await f());
  return stat(times);
}

const seconds = async (p: Promise<{ seconds: number }>): Promise<number> => (await p).seconds;

/** Peak RSS (VmHWM) of one process, sampled from /proc until it exits. */
function peakRss(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ mb: number; seconds: number; code: number | null }> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
    let peak = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(sample, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ mb: peak, seconds: Number(process.hrtime.bigint() - started) / 1e9, code });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// E and F: many clusters, as the contexts of one kubeconfig.

async function fleetOf(contexts: number, groups: number): Promise<Fleet> {
  const region = cluster(groups);
  const specs = Object.fromEntries(
    Array.from({ length: contexts }, (_, i) => [`region-${i}`, { objects: region.objects, logs: region.logs, faults: [{ match: '.*', delayMs: LATENCY_MS }] }]),
  );
  return startFleet(specs);
}

const contextFlag = (fleet: Fleet): string => Object.keys(fleet.sims).join(',');

/** serve over every context of the fleet: peak RSS through the first run, and CPU seconds in the idle time after it. */
function serveCost(fleet: Fleet, idleMs: number): Promise<{ mb: number; idleCpu: number; runLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, 'serve', '--context', contextFlag(fleet), '--interval', '5m', '--listen', '127.0.0.1:0'], {
      env: fleet.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const status = () => readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const cpuSeconds = () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
    };
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const runLine = stderr.split('\n').find((l) => l.includes(' run finished in '));
      if (!runLine || child.killed) return;
      const before = cpuSeconds();
      setTimeout(() => {
        const idleCpu = cpuSeconds() - before;
        const mb = Number(/VmHWM:\s+(\d+) kB/.exec(status())![1]) / 1024;
        child.kill('SIGTERM');
        resolve({ mb, idleCpu, runLine });
      }, idleMs);
      child.stderr.removeAllListeners('data');
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

// ---------------------------------------------------------------------------------------------
// A: the playbook by hand, one command after another, exactly as PLAYBOOK.md writes them.

function playbookScript(secret: string, watcherPod: string): string {
  return [
    'set -u',
    `kubectl -n apigee logs ${watcherPod} | grep 'failed to get secret' >/dev/null || true`,
    `kubectl -n apigee get secrets | grep ${secret} >/dev/null || true`,
    `kubectl -n apigee get secret ${secret} -o jsonpath='{.data.cert}' | base64 -d | openssl x509 -noout -text >/dev/null`,
    `diff -q <(kubectl -n apigee get secrets ${secret} -o jsonpath='{.data.key}' | base64 -d | openssl rsa -noout -modulus) <(kubectl -n apigee get secrets ${secret} -o jsonpath='{.data.cert}' | base64 -d | openssl x509 -noout -modulus)`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

function machine(): string[] {
  const kubectl = execFileSync('kubectl', ['version', '--client', '-o', 'json']).toString();
  return [
    `- CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores`,
    `- Node ${process.version}; kubectl ${JSON.parse(kubectl).clientVersion.gitVersion} (the server answers v1.32.4); ${execFileSync('openssl', ['version']).toString().trim()}`,
    `- simulated API server latency: ${LATENCY_MS} ms per request; ${RUNS} runs per figure after one warm-up`,
    // The machine may be shared: CPU-bound ratios (many kubectl processes at once) move with its load.
    `- load average when the run ended: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} (1, 5, 15 min)`,
  ];
}

const count = (stderr: string, tool: string) => stderr.split('\n').filter((l) => l.startsWith(`+ ${tool} `)).length;

async function main(): Promise<void> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build`);
  const rows: string[] = [];
  const node = process.execPath;

  // A and B on a one-env-group cluster.
  const small = cluster(1);
  const one = await withSim(small.objects, small.logs);
  const secret = `${ORG}-eg-000`;
  const script = join(one.dir, 'playbook.sh');
  writeFileSync(script, playbookScript(secret, small.watcherPod));
  const a = await repeat(RUNS, () => seconds(timeRun('bash', [script], one.env)));
  const b = await repeat(RUNS, () => seconds(timeRun(node, [BUNDLE, 'diagnose', 'eg-000'], one.env)));
  const bVerbose = await timeRun(node, [BUNDLE, 'diagnose', 'eg-000', '-v'], one.env);
  const native = existsSync(NATIVE) ? await repeat(RUNS, () => seconds(timeRun(NATIVE, ['diagnose', 'eg-000'], one.env))) : null;
  // What one kubectl process costs before any request (the dispatcher starts two Go binaries).
  const kubectlStart = await repeat(RUNS, () => seconds(timeRun('kubectl', ['config', 'current-context'], one.env)));
  await one.sim.close();
  rmSync(one.dir, { recursive: true, force: true });

  // C and D on a cluster of many env groups.
  const big = cluster(GROUPS);
  const many = await withSim(big.objects, big.logs);
  const c = await repeat(RUNS, () => seconds(timeRun(node, [BUNDLE, 'diagnose', '--all', '--org', ORG], many.env)));
  const d = await repeat(RUNS, () => seconds(timeRun(node, [BUNDLE, 'diagnose', 'eg-000'], many.env)));
  many.sim.clearRequests();
  const cVerbose = await timeRun(node, [BUNDLE, 'diagnose', '--all', '--org', ORG, '-v'], many.env);
  const cRequests = many.sim.resourceRequests().length;
  await many.sim.close();
  rmSync(many.dir, { recursive: true, force: true });

  // E: five clusters at once against one; F: serve over ten.
  const five = await fleetOf(5, 5);
  const firstOnly = Object.keys(five.sims)[0]!;
  const e5 = await repeat(RUNS, () => seconds(timeRun(node, [BUNDLE, 'diagnose', '--all', '--org', ORG, '--context', contextFlag(five)], five.env)));
  const e1 = await repeat(RUNS, () => seconds(timeRun(node, [BUNDLE, 'diagnose', '--all', '--org', ORG, '--context', firstOnly], five.env)));
  await five.close();
  const ten = await fleetOf(10, 5);
  const served = await serveCost(ten, 5000);
  await ten.close();

  // Start-up.
  const helpBundle = await repeat(10, () => seconds(timeRun(node, [BUNDLE, '--help'], process.env)));
  const helpNative = existsSync(NATIVE) ? await repeat(10, () => seconds(timeRun(NATIVE, ['--help'], process.env))) : null;

  // Memory while scanning a huge watcher log (the marker line sits in the middle).
  const lineBytes = 96;
  const lines = Math.floor((LOG_MB * 1024 * 1024) / lineBytes);
  const pad = (i: number) =>
    `I0101 00:00:00.000000       1 watcher.go:112] polling ingress config, iteration ${String(i).padStart(12, '0')}`.padEnd(lineBytes - 1, '.');
  const huge = cluster(1);
  const hugeLogs: LogMap = {
    [`apigee/${huge.watcherPod}/apigee-watcher`]: generatedLog({
      lines,
      line: pad,
      inject: { [Math.floor(lines / 2)]: watcherSecretNotFoundLine(`${ORG}-eg-000`) },
    }),
  };
  const scan = await withSim(huge.objects, hugeLogs);
  scan.sim.setFaults([]);
  const rss = await peakRss(node, [BUNDLE, 'diagnose', 'eg-000', '--since', '48h', '--tail', '-1'], scan.env);
  // The ceiling on this machine: kubectl alone, its output piped to cat, from the same simulator.
  const pipe = await timeRun('bash', ['-c', `kubectl -n apigee logs ${huge.watcherPod} --since=48h --tail=-1 | cat >/dev/null`], scan.env);
  await scan.sim.close();
  rmSync(scan.dir, { recursive: true, force: true });
  const mbScanned = (lines * lineBytes) / (1024 * 1024);

  rows.push(
    '| figure | value |',
    '|---|---|',
    `| A: the playbook's commands by hand (bash, one env group) | ${fmt(a)} |`,
    `| B: \`diagnose <envgroup>\`, bundle | ${fmt(b)} |`,
    `| B: \`diagnose <envgroup>\`, native binary | ${native ? fmt(native) : 'not built (npm run package)'} |`,
    `| B/A | **${(b.median / a.median).toFixed(2)}** (target ≤ 0.5) |`,
    `| B: processes | ${count(bVerbose.stderr, 'kubectl')} kubectl, ${count(bVerbose.stderr, 'openssl')} openssl |`,
    `| C: \`diagnose --all\`, ${GROUPS} env groups | ${fmt(c)} |`,
    `| D: \`diagnose <envgroup>\` on the same cluster | ${fmt(d)} |`,
    `| C/D | **${(c.median / d.median).toFixed(2)}** (target ≤ 2) |`,
    `| C: processes; API requests | ${count(cVerbose.stderr, 'kubectl')} kubectl, ${count(cVerbose.stderr, 'openssl')} openssl; ${cRequests} resource requests |`,
    `| E: \`diagnose --all\`, five contexts (five clusters, 5 env groups each) | ${fmt(e5)} |`,
    `| E: \`diagnose --all\`, one of those contexts | ${fmt(e1)} |`,
    `| E five/one | **${(e5.median / e1.median).toFixed(2)}** (target ≤ 2) |`,
    `| F: \`serve\`, ten contexts, 5m interval: peak RSS through the first run | **${served.mb.toFixed(1)} MB** (target < 150) |`,
    `| F: \`serve\`: CPU in the 5 s after that run | ${served.idleCpu.toFixed(2)} s (target 0) |`,
    `| F: \`serve\`: its first run over the ten | ${/run finished in ([\d.]+s)/.exec(served.runLine)?.[1] ?? '?'} |`,
    `| \`--help\`, bundle (node) | ${fmt(helpBundle)} |`,
    `| \`--help\`, native binary | ${helpNative ? fmt(helpNative) : 'not built (npm run package)'} |`,
    `| peak RSS scanning ${mbScanned.toFixed(0)} MB of watcher log | **${rss.mb.toFixed(1)} MB** (target ≤ 150) |`,
    `| scan rate | **${(mbScanned / rss.seconds).toFixed(1)} MB/s** (${rss.seconds.toFixed(2)} s for the whole run; target ≥ 50) |`,
    `| for scale: one kubectl process, no request | ${fmt(kubectlStart)} |`,
    `| for scale: kubectl logs alone, piped to cat, same log | ${(mbScanned / pipe.seconds).toFixed(1)} MB/s |`,
  );
  const report = [`# Benchmark results`, '', `Taken ${new Date().toISOString().slice(0, 10)} with \`npm run bench\`.`, '', ...machine(), '', ...rows, ''].join(
    '\n',
  );
  process.stdout.write(`${report}\n`);
  writeFileSync('bench/results.md', report);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
