// The shape of the work, not the clock: how many kubectl processes and API requests a diagnosis
// costs (and that --all costs no more for more env groups), and that a watcher log is consumed as
// a stream (peak memory does not follow its size). The benchmark measures time; tests never do.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import test from 'ava';
import { apigeeCluster, generatedLog, watcherSecretNotFoundLine, type EnvGroupSpec, type LogMap } from '../src/sim/index.js';
import { BUNDLE, REPO_ROOT, clusterFor, type Cluster } from './helpers/cluster.js';
import { fullChain, rootCa, rsaKey } from './helpers/scenarios.js';

const ORG = 'acme';
const ca = rootCa('Structure Root CA');
const key = rsaKey();
const KEY_PEM = key.export({ type: 'pkcs8', format: 'pem' }).toString();

function cluster(groups: number, logs?: (watcherPod: string) => LogMap) {
  const envgroups: EnvGroupSpec[] = Array.from({ length: groups }, (_, i) => {
    const name = `eg-${String(i).padStart(3, '0')}`;
    return { name, secret: { cert: fullChain(ca, `${name}.${ORG}.example.com`, key), key: KEY_PEM } };
  });
  const s = apigeeCluster({ org: ORG, envgroups });
  return { objects: s.objects, logs: logs ? logs(s.watcherPod) : s.logs };
}

const kubectlLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('+ kubectl '));

async function costOf(c: Cluster, args: string[]) {
  c.sim.clearRequests();
  const r = await c.cli([...args, '-v']);
  return {
    exitCode: r.exitCode,
    kubectl: kubectlLines(r.stderr),
    requests: c.sim
      .resourceRequests()
      .map((q) => q.path)
      .sort(),
  };
}

test('diagnose costs five kubectl processes and thirteen API requests, and --all the same for 5 or 200 env groups', async (t) => {
  const small = await clusterFor(t, cluster(5).objects, cluster(5).logs);
  const large = await clusterFor(t, cluster(200).objects, cluster(200).logs);
  // Two listings, and each log source read once by label: the watcher, the ingress manager, the gateways.
  const expectedKubectl = [
    '+ kubectl -n apigee get apigeeroutes,apigeeissues,pods -o json',
    '+ kubectl -n apigee get secrets,apigeerouteconfigs -o json --show-managed-fields',
    '+ kubectl -n apigee logs -l app=apigee-ingressgateway --all-containers --prefix --since=1h --tail=10000 --timestamps',
    '+ kubectl -n apigee logs -l app=apigee-ingressgateway-manager -c discovery --prefix --since=1h --tail=10000 --timestamps',
    '+ kubectl -n apigee logs -l app=apigee-watcher --all-containers --prefix --since=1h --tail=10000 --timestamps',
  ];
  for (const c of [small, large]) {
    const one = await costOf(c, ['diagnose', 'eg-000']);
    t.is(one.exitCode, 0);
    t.deepEqual(one.kubectl.sort(), expectedKubectl);
    const all = await costOf(c, ['diagnose', '--all', '--org', ORG]);
    t.is(all.exitCode, 0);
    t.deepEqual(all.kubectl.sort(), expectedKubectl);
    // secrets, route configs, routes, issues, pods; per source its pods by label and each stream's log:
    // the watcher (1), the manager (2 pods, discovery), the gateway (1 pod, 2 containers).
    t.is(one.requests.length, 13, one.requests.join('\n'));
    t.deepEqual(all.requests, one.requests);
  }
});

/** Peak resident memory (VmHWM) of one CLI run, sampled from /proc until it exits. */
function peakRssMb(c: Cluster, args: string[]): Promise<{ mb: number; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { env: c.env, cwd: REPO_ROOT, stdio: 'ignore' });
    let peak = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        /* exited between samples */
      }
    }, 10);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ mb: peak, code });
    });
  });
}

test('the watcher log is consumed as a stream: peak memory for 150 MB of log is within 30 MB of that for 15 MB', async (t) => {
  const line = (i: number) => `I0101 00:00:00.000000       1 watcher.go:112] polling ingress config, iteration ${String(i).padStart(12, '0')}`.padEnd(95, '.');
  const withLog =
    (mb: number) =>
    (pod: string): LogMap => {
      const lines = Math.floor((mb * 1024 * 1024) / 96);
      return { [`apigee/${pod}/apigee-watcher`]: generatedLog({ lines, line, inject: { [Math.floor(lines / 2)]: watcherSecretNotFoundLine(`${ORG}-gone`) } }) };
    };
  const run = async (mb: number) => {
    const s = cluster(1, withLog(mb));
    const c = await clusterFor(t, s.objects, s.logs);
    return peakRssMb(c, ['diagnose', 'eg-000', '--since', '48h', '--tail', '-1']);
  };
  const small = await run(15);
  const large = await run(150);
  t.is(small.code, 0);
  t.is(large.code, 0);
  t.true(small.mb > 0 && large.mb > 0, 'memory was sampled');
  t.true(large.mb - small.mb < 30, `peak RSS ${small.mb.toFixed(1)} MB for 15 MB of log, ${large.mb.toFixed(1)} MB for 150 MB`);
});
