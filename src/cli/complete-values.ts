// Values for shell completion that only the cluster or the kubeconfig knows: env group names (the
// ApigeeRouteConfigs named <org>-<envgroup>), namespaces and contexts. Asked through the same
// kubectl target as a run (--context, --kubeconfig, -n from the words typed) with a short timeout:
// a slow or unreachable cluster gives no candidates, never a hanging shell.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { nameOf, orgNamesOf, type KubeObject } from '../apigee/resources.js';
import { newExecContext } from '../exec/context.js';
import { kubectlJson, type KubectlTarget } from '../exec/kubectl.js';
import { kubeconfigFiles } from '../gather/kube-context.js';
import { kubectlForms } from './argv.js';
import { valueShortFlags } from './flags.js';

const TIMEOUT_MS = 3000;

export type DynamicValues = 'envgroup' | 'namespace' | 'context';

/** The value of a flag among the words typed (the last one given wins, as yargs reads it). */
function flagValue(words: readonly string[], long: string, short?: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === `--${long}` || (short && w === `-${short}`)) value = words[i + 1];
    else if (w.startsWith(`--${long}=`)) value = w.slice(long.length + 3);
  }
  return value;
}

function targetOf(words: readonly string[], env: NodeJS.ProcessEnv): KubectlTarget {
  const typed = kubectlForms(words, valueShortFlags());
  const target: KubectlTarget = { namespace: flagValue(typed, 'namespace', 'n') || 'apigee', requestTimeout: '2s', requestTimeoutMs: 2000, env };
  const context = flagValue(typed, 'context');
  const kubeconfig = flagValue(typed, 'kubeconfig');
  if (context) target.context = context;
  if (kubeconfig) target.kubeconfig = kubeconfig;
  return target;
}

const itemsOf = (json: unknown): KubeObject[] => {
  const items = (json as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as KubeObject[]) : [];
};

/** Env group names from route config names, for each org the typed --org or the ApigeeOrganizations name. */
export function envGroupNames(routeConfigs: readonly KubeObject[], orgs: readonly string[]): string[] {
  const names = routeConfigs.map(nameOf);
  return [
    ...new Set(orgs.flatMap((org) => names.filter((n) => n.startsWith(`${org}-`) && n.length > org.length + 1).map((n) => n.slice(org.length + 1)))),
  ].sort();
}

async function fromCluster(words: readonly string[], env: NodeJS.ProcessEnv, args: string[]): Promise<KubeObject[]> {
  const exec = newExecContext({ kubectl: flagValue(words, 'kubectl') ?? 'kubectl', signal: AbortSignal.timeout(TIMEOUT_MS) });
  const { json } = await kubectlJson(exec, targetOf(words, env), args);
  return itemsOf(json);
}

async function contexts(words: readonly string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const typed = kubectlForms(words, valueShortFlags());
  const kubeconfig = flagValue(typed, 'kubeconfig');
  const names: string[] = [];
  for (const file of kubeconfigFiles({ env, ...(kubeconfig ? { kubeconfig } : {}) })) {
    try {
      const doc = parse(await readFile(file, 'utf8'), { maxAliasCount: 50 }) as { contexts?: Array<{ name?: unknown }> } | null;
      for (const c of doc?.contexts ?? []) if (typeof c?.name === 'string') names.push(c.name);
    } catch {
      // unreadable: nothing to offer from it
    }
  }
  return [...new Set(names)];
}

export async function dynamicValues(kind: DynamicValues, words: readonly string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    if (kind === 'context') return await contexts(words, env);
    if (kind === 'namespace') return (await fromCluster(words, env, ['get', 'namespaces', '-o', 'json'])).map(nameOf).filter(Boolean);
    const items = await fromCluster(words, env, ['get', 'apigeerouteconfigs,apigeeorganizations', '-o', 'json']);
    const org = flagValue(kubectlForms(words, valueShortFlags()), 'org');
    const orgs = org ? [org] : orgNamesOf(items.filter((o) => o.kind === 'ApigeeOrganization'));
    return envGroupNames(
      items.filter((o) => o.kind === 'ApigeeRouteConfig'),
      orgs,
    );
  } catch {
    return [];
  }
}
