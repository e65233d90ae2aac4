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

async function contextNamesIn(file: string): Promise<string[] | undefined> {
  try {
    const doc = parse(await readFile(file, 'utf8'), { maxAliasCount: 50 }) as { contexts?: unknown } | null;
    if (!Array.isArray(doc?.contexts)) return [];
    return doc.contexts.map((c: { name?: unknown } | null) => c?.name).filter((n): n is string => typeof n === 'string' && n.length > 0);
  } catch {
    return undefined;
  }
}

/**
 * The contexts the kubeconfig files define, merged as kubectl merges them, and the files read;
 * null when no file could be read (in a pod kubectl uses its service account and needs none).
 */
export async function definedContexts(target: Pick<KubectlTarget, 'kubeconfig' | 'env'>): Promise<{ names: string[]; files: string[] } | null> {
  const files = kubeconfigFiles(target);
  const read = await Promise.all(files.map(async (file) => ({ file, names: await contextNamesIn(file) })));
  const found = read.filter((r) => r.names !== undefined);
  if (found.length === 0) return null;
  return { names: [...new Set(found.flatMap((r) => r.names!))], files: found.map((r) => r.file) };
}
