// One kubectl target: every kubectl command a report shows is built from the run's --kubeconfig,
// --context and -n, so a support engineer who reruns it reads the same cluster as the run did.
import { join } from 'node:path';
import test from 'ava';
import { demoCluster, DEMO_ORG } from '../src/sim/demo-cluster.js';
import { SIM_CONTEXT } from '../src/sim/index.js';
import type { Diagnosis, DiagnosisList } from '../src/report/finding.js';
import { clusterFor, runCli } from './helpers/cluster.js';

/** Each `kubectl …` inside a shown command (pipelines and process substitutions included), up to the next pipe or paren. */
const kubectlCalls = (text: string): string[] => [...text.matchAll(/(?:^|[\s(])(kubectl (?!apigee-tls)[^|)]*)/g)].map((m) => m[1]!.trim());

test('diagnose --all with --context and --kubeconfig: every kubectl command shown carries both, and -n', async (t) => {
  const demo = await demoCluster(new Date());
  const cluster = await clusterFor(t, demo.objects, demo.logs);
  const kubeconfig = join(cluster.dir, 'kubeconfig');
  const scope = `kubectl --kubeconfig=${kubeconfig} --context=${SIM_CONTEXT} -n apigee `;
  // The run's kubeconfig is named only by the flag: the environment points elsewhere.
  const env = { ...cluster.env, KUBECONFIG: join(cluster.dir, 'nonexistent') };
  const r = await runCli(['diagnose', '--all', '--org', DEMO_ORG, '--context', SIM_CONTEXT, '--kubeconfig', kubeconfig, '-v', '-o', 'json'], env);
  t.is(r.exitCode, 1, r.stderr);
  const list = JSON.parse(r.stdout) as DiagnosisList;
  t.is(list.items.length, 14);
  let seen = 0;
  for (const d of list.items as Diagnosis[]) {
    t.is(d.target.context, SIM_CONTEXT);
    for (const f of d.findings) {
      for (const text of [...f.commands, f.remediation ?? '']) {
        for (const call of kubectlCalls(text)) {
          seen += 1;
          t.true(call.startsWith(scope), `${d.target.envgroup} ${f.check}: ${call}`);
        }
      }
    }
  }
  // Secret reads, log reads, listings, describes: the demo's failures show dozens.
  t.true(seen > 40, `${seen} kubectl commands checked`);
});
