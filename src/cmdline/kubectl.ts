// The one builder of kubectl command lines, run or shown: the run's --kubeconfig, --context and
// -n always come first, so every command a report prints reruns against the cluster the run read.
import { displayCommand } from './quote.js';

/** Which cluster and namespace a kubectl command addresses. */
export interface KubectlScope {
  namespace: string;
  context?: string;
  kubeconfig?: string;
}

/** The flags the user chose, in the order kubectl documents them. */
export function scopeFlags(scope: Omit<KubectlScope, 'namespace'>): string[] {
  const flags: string[] = [];
  if (scope.kubeconfig) flags.push(`--kubeconfig=${scope.kubeconfig}`);
  if (scope.context) flags.push(`--context=${scope.context}`);
  return flags;
}

/** kubectl's words after the program name: scope flags, then `-n`, then the command. */
export function kubectlWords(scope: KubectlScope, args: readonly string[]): string[] {
  return [...scopeFlags(scope), '-n', scope.namespace, ...args];
}

/** The command as a person types it: `kubectl --context=prod -n apigee get secrets`. */
export function kubectlCommand(scope: KubectlScope, args: readonly string[]): string {
  return displayCommand('kubectl', kubectlWords(scope, args));
}

/** The same scope in another namespace (a secretNameRef of `namespace/name`). */
export const inNamespace = <T extends KubectlScope>(scope: T, namespace: string): T => ({ ...scope, namespace });

/** The playbook's read of one data key of a secret: kubectl's jsonpath needs dots escaped ({.data.tls\.crt}). */
export function secretDataCommand(scope: KubectlScope, secret: string, dataKey: string): string {
  const path = `{.data.${dataKey.replace(/\./g, '\\.')}}`;
  return `${kubectlCommand(scope, ['get', 'secret', secret, '-o', `jsonpath=${path}`])} | base64 -d`;
}
