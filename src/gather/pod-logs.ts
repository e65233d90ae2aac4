// One container's log, streamed line by line within --since and --tail and handed to a callback
// (for `collect`, the redactor), never held whole here.
import type { KubeObject } from '../apigee/resources.js';
import { nameOf } from '../apigee/resources.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import { kubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlDisplay, kubectlStream, type KubectlTarget } from '../exec/kubectl.js';

export interface PodLogRequest {
  pod: string;
  container: string;
  /** kubectl's form, e.g. "1h". */
  since: string;
  tail: number;
}

export interface PodLogResult {
  /** The command as a person would rerun it. */
  command: string;
  failure: KubectlFailure | null;
}

export function podLogArgs(r: PodLogRequest): string[] {
  return ['logs', r.pod, '-c', r.container, `--since=${r.since}`, `--tail=${r.tail}`];
}

export function podLogCommand(target: KubectlTarget, r: PodLogRequest): string {
  return kubectlDisplay(target, podLogArgs(r));
}

export async function streamPodLog(exec: ExecContext, target: KubectlTarget, r: PodLogRequest, onLine: (line: string) => void): Promise<PodLogResult> {
  const record = await kubectlStream(exec, target, podLogArgs(r), onLine);
  return { command: record.display, failure: kubectlFailure(record) };
}

/** The container names of a pod, in spec order. */
export function containersOf(pod: KubeObject): string[] {
  const containers = (pod.spec as { containers?: Array<{ name?: unknown }> } | undefined)?.containers;
  return Array.isArray(containers) ? containers.map((c) => c?.name).filter((n): n is string => typeof n === 'string') : [];
}

/** Pods labelled app=apigee-ingressgateway; failing that, pods whose name starts apigee-ingressgateway-. */
export function ingressGatewayPods(pods: readonly KubeObject[]): KubeObject[] {
  const labelled = pods.filter((p) => p.metadata?.labels?.app === 'apigee-ingressgateway');
  return labelled.length > 0 ? labelled : pods.filter((p) => nameOf(p).startsWith('apigee-ingressgateway-'));
}
