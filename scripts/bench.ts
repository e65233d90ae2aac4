// npm run bench: how `diagnose` compares with typing the playbook by hand and with the floor (a Node
// start, then one parallel wave of the same kubectl calls), how `--all` scales, how soon the first
// kubectl starts, how fast the binary starts, and what a huge watcher log costs beside `kubectl logs
// | cat` of the same log. Not a test: numbers hold only on the machine they were taken on, so the
// machine is written down with them, and every ratio comes from runs interleaved round by round.
//
//   npm run bench [-- --latency 40 --runs 5 --groups 200 --log-mb 500]
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Several commands timed round by round (one warm-up round first), so that a change in the machine's load hits all alike. */
async function interleaved<K extends string>(runs: number, commands: Record<K, () => Promise<number>>): Promise<Record<K, Stat>> {
  const keys = Object.keys(commands) as K[];
  const times = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round <= runs; round += 1) {
    for (const k of keys) {
      const t = await commands[k]();
      if (round > 0) times[k].push(t);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, stat(times[k])])) as Record<K, Stat>;
}

/**
 * Time to first spawn: from our spawn of the tool to the start of its first kubectl, read off a
 * bash wrapper (given as --kubectl) that notes $EPOCHREALTIME and execs kubectl. The wrapper's own
 * start (measured the same way, spawned directly) is subtracted.
 */
function spawnStamp(dir: string): { wrapper: string; firstSpawnMs: (run: () => Promise<unknown>) => Promise<number> } {
  const stamps = join(dir, 'stamps');
  const wrapper = join(dir, 'kubectl-stamp');
  writeFileSync(wrapper, `#!/bin/bash\nprintf '%s\\n' "$EPOCHREALTIME" >> ${JSON.stringify(stamps)}\nexec kubectl "$@"\n`);
  chmodSync(wrapper, 0o755);
  const firstSpawnMs = async (run: () => Promise<unknown>): Promise<number> => {
    rmSync(stamps, { force: true });
    const started = Date.now();
    await run();
    const first = Math.min(...readFileSync(stamps, 'utf8').trim().split('\n').map(Number));
    return first * 1000 - started;
  };
  return { wrapper, firstSpawnMs };
}

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
        // Resolved once it is gone, so that nothing of it still writes in the fleet's folder.
        child.removeAllListeners('exit');
        child.once('exit', () => resolve({ mb, idleCpu, runLine }));
        child.kill('SIGTERM');
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
    `- simulated API server latency: ${LATENCY_MS} ms per request; A, F, B: ${RUNS * 2} rounds, others ${RUNS}, after one warm-up`,
    // The machine may be shared: CPU-bound ratios (many kubectl processes at once) move with its load.
    `- load average when the run ended: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} (1, 5, 15 min)`,
  ];
}

const count = (stderr: string, tool: string) => stderr.split('\n').filter((l) => l.startsWith(`+ ${tool} `)).length;

/** F, the floor: a bare Node start, then the given kubectl commands all at once. */
function floorScript(commands: string[]): string {
  return ['set -u', `${JSON.stringify(process.execPath)} -e 0`, ...commands.map((c) => `${c} >/dev/null 2>&1 &`), 'wait'].join('\n');
}

const ratio = (x: Stat, y: Stat) => (x.median / y.median).toFixed(2);

/** --help timed 10 times, without NODE_EXTRA_CA_CERTS and with it (Node 20 reads that file at start, eagerly). */
async function helpTimes(file: string, args: string[]): Promise<{ without: Stat; with: Stat | null }> {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const bundle = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'].find(existsSync);
  const runs = bundle
    ? await interleaved(10, {
        without: () => seconds(timeRun(file, args, env)),
        with: () => seconds(timeRun(file, args, { ...env, NODE_EXTRA_CA_CERTS: bundle })),
      })
    : { without: await repeat(10, () => seconds(timeRun(file, args, env))), with: null };
  return runs;
}

/** The watcher's log as diagnose asks kubectl for it: by label, every container, each line naming its pod and time. */
const ASKED = '-l app=apigee-watcher --all-containers --prefix --timestamps';

/** What bounds each figure on this kind of machine; the numbers above say how close each came. */
const LIMITS = [
  '## What limits each figure',
  '',
  '- **A, F, B.** kubectl\'s own start (the gcloud dispatcher starts two Go binaries: see "one kubectl process") and the',
  '  simulated 40 ms per request. F is the floor: a bare Node start, then the same kubectl calls at once. B − F is what',
  '  the plugin adds: loading the bundle (compiled from the code cache), the parse, the kubeconfig check (yaml), one mkfifo',
  '  before the log stream, then the analysis and the report after the wave (loaded while kubectl runs).',
  "- **Time to first spawn.** From our spawn of the tool to the exec of its first kubectl (a bash wrapper's $EPOCHREALTIME,",
  "  the wrapper's own start subtracted), so fork and exec are in it: Node's own start (`node -e 0`), reading and",
  "  deserialising the bundle's code cache, yargs' parse and the kubeconfig check.",
  "- **C/D.** After the same kubectl calls, `--all` analyses every env group on one core: for each, Node's crypto",
  '  (OpenSSL) parses the private key (about 1.2 ms for RSA 2048) and each certificate of the chain, compares the key',
  '  with them, then the checks and the text report run: about 1.5 ms per env group, 200 times, on top of D. Parses are',
  '  not cached by content: real env groups hold keys of their own, so a cache would flatter only this benchmark.',
  '- **E.** Five contexts on two cores: fifteen kubectl processes compete for the CPU.',
  "- **--help.** Node's start and the bundle. Node 20 reads and parses the whole NODE_EXTRA_CA_CERTS file at start; the",
  "  native binary's Node 22 barely pays for it.",
  "- **Scan.** kubectl's own write rate is the ceiling (`kubectl logs … | cat`); the rest is Node reading the FIFO in",
  '  64 KB chunks, decoding UTF-8 and one indexOf per chunk and marker. diagnose asks for --prefix and --timestamps (each',
  '  kept line names its pod and time), which slow kubectl itself; the whole run also holds the Node start, the listing',
  '  and the other log sources, which the pipe alone does not.',
  "- **Peak RSS.** Node's baseline, the bundle and its code cache; nothing grows with the log.",
  "- **Load.** The machine's two cores may be shared (the load average above): ratios come from rounds interleaved in one",
  '  run, and absolute times move with the load.',
];

/** The native binary's figures are part of the run: a fresh clone builds the one this machine runs (linux/amd64). */
function ensureNative(): void {
  if (existsSync(NATIVE) || process.platform !== 'linux' || process.arch !== 'x64') return;
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/package.ts', '--target', 'linux-x64', '--no-manifest', '--no-build'], { stdio: 'inherit' });
}

async function main(): Promise<void> {
  ensureNative();
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build`);
  const rows: string[] = [];
  const node = process.execPath;

  // A, F and B on a one-env-group cluster, round by round.
  const small = cluster(1);
  const one = await withSim(small.objects, small.logs);
  const secret = `${ORG}-eg-000`;
  const script = join(one.dir, 'playbook.sh');
  writeFileSync(script, playbookScript(secret, small.watcherPod));
  // The floor runs the very kubectl calls diagnose makes (as -v shows them), all at once.
  const bVerbose = await timeRun(node, [BUNDLE, 'diagnose', 'eg-000', '-v'], one.env);
  const waveCommands = bVerbose.stderr
    .split('\n')
    .filter((l) => l.startsWith('+ kubectl '))
    .map((l) => l.slice(2));
  const floor = join(one.dir, 'floor.sh');
  writeFileSync(floor, floorScript(waveCommands));
  const afb = await interleaved(RUNS * 2, {
    a: () => seconds(timeRun('bash', [script], one.env)),
    f: () => seconds(timeRun('bash', [floor], one.env)),
    b: () => seconds(timeRun(node, [BUNDLE, 'diagnose', 'eg-000'], one.env)),
  });
  const native = existsSync(NATIVE) ? await repeat(RUNS, () => seconds(timeRun(NATIVE, ['diagnose', 'eg-000'], one.env))) : null;
  // Time to first spawn, bundle and native binary (median of several runs).
  const stamp = spawnStamp(one.dir);
  const wrapperStart = await repeat(RUNS * 2, () => stamp.firstSpawnMs(() => timeRun(stamp.wrapper, ['version', '--client'], one.env)));
  const firstSpawn = await repeat(RUNS * 2, () => stamp.firstSpawnMs(() => timeRun(node, [BUNDLE, 'diagnose', 'eg-000', '--kubectl', stamp.wrapper], one.env)));
  const firstSpawnNative = existsSync(NATIVE)
    ? await repeat(RUNS * 2, () => stamp.firstSpawnMs(() => timeRun(NATIVE, ['diagnose', 'eg-000', '--kubectl', stamp.wrapper], one.env)))
    : null;
  const nodeBare = await repeat(RUNS * 2, () => seconds(timeRun(node, ['-e', '0'], one.env)));
  // What one kubectl process costs before any request (the dispatcher starts two Go binaries).
  const kubectlStart = await repeat(RUNS, () => seconds(timeRun('kubectl', ['config', 'current-context'], one.env)));
  await one.sim.close();
  rmSync(one.dir, { recursive: true, force: true });

  // C and D on a cluster of many env groups, round by round.
  const big = cluster(GROUPS);
  const many = await withSim(big.objects, big.logs);
  const cd = await interleaved(RUNS, {
    c: () => seconds(timeRun(node, [BUNDLE, 'diagnose', '--all', '--org', ORG], many.env)),
    d: () => seconds(timeRun(node, [BUNDLE, 'diagnose', 'eg-000'], many.env)),
  });
  many.sim.clearRequests();
  const cVerbose = await timeRun(node, [BUNDLE, 'diagnose', '--all', '--org', ORG, '-v'], many.env);
  const cRequests = many.sim.resourceRequests().length;
  await many.sim.close();
  rmSync(many.dir, { recursive: true, force: true });

  // E: five clusters at once against one; serve over ten.
  const five = await fleetOf(5, 5);
  const firstOnly = Object.keys(five.sims)[0]!;
  const e = await interleaved(RUNS, {
    five: () => seconds(timeRun(node, [BUNDLE, 'diagnose', '--all', '--org', ORG, '--context', contextFlag(five)], five.env)),
    one: () => seconds(timeRun(node, [BUNDLE, 'diagnose', '--all', '--org', ORG, '--context', firstOnly], five.env)),
  });
  await five.close();
  const ten = await fleetOf(10, 5);
  const served = await serveCost(ten, 5000);
  await ten.close();

  // Start-up.
  const helpBundle = await helpTimes(node, [BUNDLE, '--help']);
  const helpNative = existsSync(NATIVE) ? await helpTimes(NATIVE, ['--help']) : null;

  // A huge watcher log (the marker line sits in the middle): diagnose's scan beside kubectl alone
  // piped to cat, from the same simulator, round by round.
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
  const scanRuns: Array<{ mb: number; seconds: number }> = [];
  const pipeRuns: number[] = [];
  const askedRuns: number[] = [];
  const piped = async (args: string) =>
    (await timeRun('bash', ['-c', `kubectl -n apigee logs ${args} --since=48h --tail=-1 | cat >/dev/null`], scan.env)).seconds;
  for (let round = 0; round < 2; round += 1) {
    scanRuns.push(await peakRss(node, [BUNDLE, 'diagnose', 'eg-000', '--since', '48h', '--tail', '-1', '--timeout', '10m'], scan.env));
    pipeRuns.push(await piped(huge.watcherPod));
    // What diagnose asks kubectl for (by label, every container), and what --prefix would add.
    askedRuns.push(await piped(ASKED));
  }
  await scan.sim.close();
  rmSync(scan.dir, { recursive: true, force: true });
  const mbScanned = (lines * lineBytes) / (1024 * 1024);
  const scanSeconds = Math.min(...scanRuns.map((r) => r.seconds));
  const pipeSeconds = Math.min(...pipeRuns);
  const askedSeconds = Math.min(...askedRuns);
  const rssPeak = Math.max(...scanRuns.map((r) => r.mb));

  const help = (h: { without: Stat; with: Stat | null } | null) =>
    h ? `${fmt(h.without)}; with NODE_EXTRA_CA_CERTS: ${h.with ? fmt(h.with) : 'no CA bundle here'}` : 'not built (npm run package)';
  const ms = (s: Stat) => fmt(s, 'ms').replace(/(\d+)\.\d{3}/g, '$1');
  rows.push(
    '| figure | value |',
    '|---|---|',
    `| A: the playbook's commands by hand (bash, one env group) | ${fmt(afb.a)} |`,
    `| F: the floor (bash: \`node -e 0\`, then diagnose's ${waveCommands.length} kubectl calls at once) | ${fmt(afb.f)} |`,
    `| B: \`diagnose <envgroup>\`, bundle | ${fmt(afb.b)} |`,
    `| B: \`diagnose <envgroup>\`, native binary | ${native ? fmt(native) : 'not built (npm run package)'} |`,
    `| B/F | **${ratio(afb.b, afb.f)}** (target ≤ 1.15) |`,
    `| B/A | **${ratio(afb.b, afb.a)}** (floor F/A ${ratio(afb.f, afb.a)}) |`,
    `| time to first spawn, bundle (Node's start to the first kubectl's) | **${ms({ median: firstSpawn.median - wrapperStart.median, min: firstSpawn.min - wrapperStart.median, max: firstSpawn.max - wrapperStart.median })}** (target ≤ 80 ms) |`,
    `| time to first spawn, native binary | ${firstSpawnNative ? ms({ median: firstSpawnNative.median - wrapperStart.median, min: firstSpawnNative.min - wrapperStart.median, max: firstSpawnNative.max - wrapperStart.median }) : 'not built (npm run package)'} |`,
    `| for scale: \`node -e 0\`; the stamp wrapper's own start (subtracted above) | ${fmt(nodeBare)}; ${ms(wrapperStart)} |`,
    `| B: processes | ${count(bVerbose.stderr, 'kubectl')} kubectl, ${count(bVerbose.stderr, 'openssl')} openssl |`,
    `| C: \`diagnose --all\`, ${GROUPS} env groups | ${fmt(cd.c)} |`,
    `| D: \`diagnose <envgroup>\` on the same cluster | ${fmt(cd.d)} |`,
    `| C/D | **${ratio(cd.c, cd.d)}** (target ≤ 1.3) |`,
    `| C: processes; API requests | ${count(cVerbose.stderr, 'kubectl')} kubectl, ${count(cVerbose.stderr, 'openssl')} openssl; ${cRequests} resource requests |`,
    `| E: \`diagnose --all\`, five contexts (five clusters, 5 env groups each) | ${fmt(e.five)} |`,
    `| E: \`diagnose --all\`, one of those contexts | ${fmt(e.one)} |`,
    `| E five/one | **${ratio(e.five, e.one)}** (target ≤ 2) |`,
    `| \`serve\`, ten contexts, 5m interval: peak RSS through the first run | **${served.mb.toFixed(1)} MB** (target < 150) |`,
    `| \`serve\`: CPU in the 5 s after that run | ${served.idleCpu.toFixed(2)} s (target 0) |`,
    `| \`serve\`: its first run over the ten | ${/run finished in ([\d.]+s)/.exec(served.runLine)?.[1] ?? '?'} |`,
    `| \`--help\`, bundle (node) | ${help(helpBundle)} |`,
    `| \`--help\`, native binary | ${help(helpNative)} (target ≤ 0.1 s) |`,
    `| scan of ${mbScanned.toFixed(0)} MB of watcher log: \`diagnose\` whole run (best of 2) | **${(mbScanned / scanSeconds).toFixed(1)} MB/s** (${scanSeconds.toFixed(2)} s) |`,
    `| the same log: \`kubectl logs … \\| cat\` alone (best of 2, interleaved) | ${(mbScanned / pipeSeconds).toFixed(1)} MB/s (${pipeSeconds.toFixed(2)} s) |`,
    `| the same log as diagnose asks for it: \`kubectl logs ${ASKED} \\| cat\` (best of 2) | ${(mbScanned / askedSeconds).toFixed(1)} MB/s (${askedSeconds.toFixed(2)} s) |`,
    `| scan / kubectl \\| cat | **${(pipeSeconds / scanSeconds).toFixed(2)}** (target ≥ 0.9); against the request as diagnose makes it: ${(askedSeconds / scanSeconds).toFixed(2)} |`,
    `| peak RSS of that scan | **${rssPeak.toFixed(1)} MB** (target ≤ 80) |`,
    `| for scale: one kubectl process, no request | ${fmt(kubectlStart)} |`,
  );
  const report = [
    `# Benchmark results`,
    '',
    `Taken ${new Date().toISOString().slice(0, 10)} with \`npm run bench\`.`,
    '',
    ...machine(),
    '',
    ...rows,
    '',
    ...LIMITS,
    '',
  ].join('\n');
  process.stdout.write(`${report}\n`);
  writeFileSync(process.env.BENCH_OUT ?? 'bench/results.md', report);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
