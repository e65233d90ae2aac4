// `demo`: the simulated Apigee cluster on 127.0.0.1, a throwaway kubeconfig, and the very code path
// of `diagnose --all` against it. Nothing outside a temporary folder is touched, and it is removed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ORG, demoCluster } from '../sim/demo-cluster.js';
import { startSimulator } from '../sim/server.js';
import type { Args } from './commands.js';
import { kubectlTarget } from './cluster-request.js';
import { durationFlag, outputRequest, stringFlag } from './common.js';
import { diagnoseAndEmit } from './diagnose.js';
import { formatSeconds } from './duration.js';
import type { CommandIO } from './io.js';

export async function runDemo(args: Args, io: CommandIO): Promise<number> {
  const output = outputRequest(args, io.env, io.isTTY, io.columns);
  const expiryWarningMs = durationFlag(args, 'expiry-warning');
  const now = io.now();
  const scenario = await demoCluster(now);
  const sim = await startSimulator({ objects: scenario.objects, logs: scenario.logs, now: () => now, certManager: scenario.simulator.certManager });
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-demo-'));
  try {
    sim.kubeconfig(dir);
    // kubectl gets its own HOME, cache and kubeconfig: the user's clusters are never in reach.
    const env = { ...io.env, HOME: dir, KUBECACHEDIR: join(dir, 'cache'), KUBECONFIG: join(dir, 'kubeconfig') };
    if (output.format === 'text') io.stderr(`Simulated Apigee cluster at ${sim.url} (org ${DEMO_ORG}, namespace apigee).\nDiagnosing every env group…\n\n`);
    const target = kubectlTarget({ ...args, namespace: 'apigee' }, env);
    return await diagnoseAndEmit(
      {
        target,
        kubectl: stringFlag(args, 'kubectl') ?? 'kubectl',
        envgroups: { all: true },
        org: DEMO_ORG,
        hosts: [],
        since: formatSeconds(3_600_000),
        tail: 10_000,
        now,
        expiryWarningMs,
      },
      output,
      io,
      true,
    );
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
