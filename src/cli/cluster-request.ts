// The cluster flags every cluster command shares (CONTRACT.md), checked before anything runs.
import { nameProblem } from '../apigee/names.js';
import { IncompleteError, UsageError } from '../errors.js';
import { checkKubeconfig } from '../gather/kubeconfig.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import { checkKubeconfigFile } from '../gather/local-files.js';
import type { Args } from './commands.js';
import { durationFlag, stringFlag } from './common.js';
import { formatSeconds } from './duration.js';

export function checkName(kind: Parameters<typeof nameProblem>[0], name: string): string {
  const problem = nameProblem(kind, name);
  if (problem) throw new UsageError(problem);
  return name;
}

function checkFreeText(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Passed as --flag=value, so a leading dash cannot become a flag; control characters never belong.
  if (/[\u0000-\u001f\u007f]/.test(value) || value.length > 4096) throw new UsageError(`invalid --${flag}: control characters or too long`);
  return value;
}

export function kubectlTarget(args: Args, env: NodeJS.ProcessEnv): KubectlTarget {
  const requestTimeoutMs = durationFlag(args, 'request-timeout');
  if (requestTimeoutMs <= 0) throw new UsageError('--request-timeout must be more than zero');
  const target: KubectlTarget = {
    namespace: checkName('namespace', stringFlag(args, 'namespace') ?? 'apigee'),
    requestTimeout: formatSeconds(requestTimeoutMs),
    requestTimeoutMs,
    env,
  };
  const context = checkFreeText('context', stringFlag(args, 'context'));
  const kubeconfig = checkFreeText('kubeconfig', stringFlag(args, 'kubeconfig'));
  if (context) target.context = context;
  if (kubeconfig) {
    checkKubeconfigFile(kubeconfig);
    target.kubeconfig = kubeconfig;
  }
  return target;
}

/** What kubectl would stop on (no kubeconfig, an unknown context), said once before anything runs. */
export async function checkKubeconfigFirst(target: KubectlTarget): Promise<KubectlTarget> {
  const problem = await checkKubeconfig(target);
  if (problem) throw new IncompleteError(problem.message, problem.hint, 'kubeconfig');
  return target;
}
