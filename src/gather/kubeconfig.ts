// Before any check runs: the kubeconfig files and the context, resolved as kubectl (client-go's
// clientcmd) resolves them, so that a missing file or a mistyped context is one message naming it
// instead of every kubectl call failing the same way. --kubeconfig must exist; of KUBECONFIG's
// files, missing ones are skipped; else ~/.kube/config. Contexts merge with the first file winning;
// current-context is the first one set. In a pod (KUBERNETES_SERVICE_HOST), no file is needed.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { byCloseness } from '../apigee/closest-names.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import { kubeconfigFiles } from './kube-context.js';

export type KubeconfigFile =
  { path: string; state: 'missing' } | { path: string; state: 'unreadable'; why: string } | { path: string; state: 'ok'; doc: unknown };

export interface KubeconfigProblem {
  message: string;
  hint: string;
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function contextNames(doc: unknown): string[] {
  const list = record(doc).contexts;
  return Array.isArray(list) ? list.map((c) => record(c).name).filter((n): n is string => typeof n === 'string' && n.length > 0) : [];
}

function currentContextOf(doc: unknown): string | undefined {
  const name = record(doc)['current-context'];
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}

/** Pure: what kubectl would stop on, from the files it would read (null: kubectl can go on). */
export function kubeconfigProblem(
  files: readonly KubeconfigFile[],
  from: { flag: boolean; envVar: boolean },
  context: string | undefined,
  inCluster: boolean,
): KubeconfigProblem | null {
  const source = from.flag ? '--kubeconfig' : from.envVar ? 'KUBECONFIG' : 'the default location';
  const unreadable = files.find((f) => f.state === 'unreadable');
  if (unreadable && unreadable.state === 'unreadable')
    return { message: `error loading config file "${unreadable.path}": ${unreadable.why}`, hint: `Fix the file, or point ${source} at another.` };
  const flagMissing = from.flag && files[0]?.state === 'missing';
  const loaded = files.filter((f): f is Extract<KubeconfigFile, { state: 'ok' }> => f.state === 'ok');
  if (flagMissing || (loaded.length === 0 && !inCluster)) {
    const paths = files.map((f) => f.path).join(', ');
    return {
      message: `no kubeconfig: ${paths} does not exist (from ${source})`,
      hint: 'Point --kubeconfig or KUBECONFIG at the cluster\'s config (e.g. "gcloud container clusters get-credentials CLUSTER" writes one).',
    };
  }
  if (loaded.length === 0) return null; // in a pod: kubectl uses the service account
  const names = [...new Set(loaded.flatMap((f) => contextNames(f.doc)))];
  const where = loaded.map((f) => f.path).join(', ');
  const wanted = context ?? loaded.map((f) => currentContextOf(f.doc)).find(Boolean);
  if (!wanted) {
    if (inCluster) return null;
    return {
      message: `no context: ${where} sets no current-context and no --context was given`,
      hint: `Pass --context NAME${names.length ? ` (contexts: ${names.join(', ')})` : ''}, or run kubectl config use-context NAME.`,
    };
  }
  if (names.includes(wanted)) return null;
  const known = names.length ? `contexts there: ${byCloseness(wanted, names).join(', ')}` : 'it defines no contexts';
  return {
    message: `context "${wanted}" does not exist in ${where} (${known})`,
    hint: context ? 'Check --context: kubectl config get-contexts lists them.' : 'Its current-context names no context: run kubectl config use-context NAME.',
  };
}

async function readKubeconfig(path: string): Promise<KubeconfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { path, state: 'missing' } : { path, state: 'unreadable', why: code === 'EISDIR' ? 'a directory' : (code ?? 'unreadable') };
  }
  try {
    return { path, state: 'ok', doc: parse(text, { maxAliasCount: 50 }) };
  } catch {
    // The parser's message may quote the file, which holds tokens: say only that it is not YAML.
    return { path, state: 'unreadable', why: 'not YAML' };
  }
}

export async function checkKubeconfig(target: Pick<KubectlTarget, 'context' | 'kubeconfig' | 'env'>): Promise<KubeconfigProblem | null> {
  const files = await Promise.all(kubeconfigFiles(target).map(readKubeconfig));
  const env = target.env ?? {};
  const from = { flag: Boolean(target.kubeconfig), envVar: !target.kubeconfig && (env.KUBECONFIG ?? '') !== '' };
  return kubeconfigProblem(files, from, target.context, Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT));
}
