// `version`: the plugin, the tools, and with a reachable cluster its server version and the Apigee
// components running, read from the pods (watcher, ingress gateway; the operator when there is one).
import test from 'ava';
import { withCluster } from './helpers/cluster.js';
import { reliabilityCluster } from './helpers/reliability.js';
import { runWith } from './helpers/scenarios.js';

interface VersionJson {
  server: string;
  kubectl: string;
  apigee: Array<{ component: string; images: string[] }>;
}

test('version against the simulated cluster: the server version and the watcher and ingress images', async (t) => {
  const s = reliabilityCluster();
  const c = await withCluster(s.objects, s.logs);
  t.teardown(() => c.close());
  /** The distinct images of the pods' containers, sorted (two containers may share one). */
  const imageOf = (...pods: string[]) =>
    [
      ...new Set(
        pods.flatMap((pod) =>
          (s.objects.find((o) => o.metadata.name === pod)!.spec as { containers: Array<{ image: string }> }).containers.map((x) => x.image),
        ),
      ),
    ].sort();
  const r = await runWith(t, c.env, ['version', '-o', 'json']);
  t.is(r.exitCode, 0, r.stderr);
  const v = JSON.parse(r.stdout) as VersionJson;
  t.regex(v.server, /^v1\.\d+\.\d+/);
  t.deepEqual(v.apigee, [
    { component: 'watcher', images: imageOf(s.watcherPod) },
    { component: 'ingress manager', images: imageOf(...s.ingressManagerPods) },
    { component: 'ingress gateway', images: imageOf(...s.ingressPods) },
  ]);
  const text = await runWith(t, c.env, ['version']);
  t.true(text.stdout.split('\n').includes(`watcher: ${imageOf(s.watcherPod).join(', ')}`), text.stdout);
});

test('version without a cluster: the server is not reachable, exit 0', async (t) => {
  const r = await runWith(t, { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', KUBECONFIG: '/nonexistent' }, ['version', '-o', 'json']);
  t.is(r.exitCode, 0, r.stderr);
  const v = JSON.parse(r.stdout) as VersionJson;
  t.is(v.server, 'not reachable');
  t.deepEqual(v.apigee, []);
});
