// `version`: what is running and which tools it found, for bug reports; with a reachable cluster,
// its server version and the Apigee components running (operator, watcher, ingress images).
import { apigeeComponents, type Component } from '../apigee/components.js';
import { newExecContext } from '../exec/context.js';
import { inNamespace } from '../cmdline/kubectl.js';
import { kubectlJson } from '../exec/kubectl.js';
import { toolVersions } from '../gather/versions.js';
import type { KubeObject } from '../apigee/resources.js';
import { jsonText, scrubShown, yamlText } from '../report/scrub.js';
import type { Args } from './commands.js';
import { kubectlTarget } from './cluster-request.js';
import { stringFlag } from './common.js';
import { runSignal, type CommandIO } from './io.js';

declare const __VERSION__: string;
declare const __COMMIT__: string;

const podsOf = (json: unknown): KubeObject[] => {
  const items = (json as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as KubeObject[]) : [];
};

export async function runVersion(args: Args, io: CommandIO): Promise<number> {
  const exec = newExecContext({
    kubectl: stringFlag(args, 'kubectl'),
    openssl: stringFlag(args, 'openssl'),
    signal: runSignal(io, 15_000),
  });
  const target = kubectlTarget(args, io.env);
  const [tools, here, system] = await Promise.all([
    toolVersions(exec, target),
    kubectlJson(exec, target, ['get', 'pods', '-o', 'json']),
    // Before 1.13 the operator runs in apigee-system.
    kubectlJson(exec, inNamespace(target, 'apigee-system'), ['get', 'pods', '-o', 'json']),
  ]);
  const components: Component[] = tools.cluster ? apigeeComponents([...podsOf(here.json), ...podsOf(system.json)]) : [];
  const info = {
    version: typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev',
    commit: typeof __COMMIT__ === 'string' ? __COMMIT__ : 'unknown',
    node: process.version,
    kubectl: tools.kubectl ?? 'not found',
    openssl: tools.openssl ?? 'not found',
    server: tools.cluster ?? 'not reachable',
    apigee: components,
  };
  const format = String(args.output);
  // What the tools and the cluster printed is theirs, not ours: shown through the scrubber like a report.
  if (format === 'json') io.stdout(jsonText(info));
  else if (format === 'yaml') io.stdout(yamlText(info));
  else {
    const lines = [
      `${io.program} ${info.version} (commit ${info.commit}, Node ${info.node})`,
      `kubectl: ${info.kubectl}`,
      `openssl: ${info.openssl}`,
      `server: ${info.server}`,
    ];
    for (const c of components) lines.push(`${c.component}: ${c.images.join(', ')}`);
    if (tools.cluster && components.length === 0) lines.push(`apigee: no Apigee components found in namespace ${target.namespace} or apigee-system`);
    io.stdout(scrubShown(`${lines.join('\n')}\n`));
  }
  return 0;
}
