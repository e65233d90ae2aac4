// The context kubectl will use, read from the kubeconfig the way kubectl reads it (so no process
// is spent asking kubectl): --context wins; else the first file of --kubeconfig, or of KUBECONFIG
// (a path list), or ~/.kube/config, that sets current-context.
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import type { KubectlTarget } from '../exec/kubectl.js';

export function kubeconfigFiles(target: Pick<KubectlTarget, 'kubeconfig' | 'env'>): string[] {
  if (target.kubeconfig) return [target.kubeconfig];
  const fromEnv = (target.env?.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  return fromEnv.length ? fromEnv : [join(target.env?.HOME ?? homedir(), '.kube', 'config')];
}

async function currentContextIn(file: string): Promise<string | undefined> {
  try {
    // Only a regular file: a pipe would be drained before kubectl reads it, /dev/zero never ends.
    if (!(await stat(file)).isFile()) return undefined;
    const doc = parse(await readFile(file, 'utf8'), { maxAliasCount: 50 }) as { 'current-context'?: unknown } | null;
    const name = doc?.['current-context'];
    return typeof name === 'string' && name.length > 0 ? name : undefined;
  } catch {
    return undefined; // unreadable or not YAML: kubectl will say so when it runs
  }
}

export async function currentContext(target: Pick<KubectlTarget, 'context' | 'kubeconfig' | 'env'>): Promise<string | undefined> {
  if (target.context) return target.context;
  for (const file of kubeconfigFiles(target)) {
    const name = await currentContextIn(file);
    if (name) return name;
  }
  return undefined;
}
