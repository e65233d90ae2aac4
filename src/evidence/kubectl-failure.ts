// A kubectl call that failed, as the checks see it: kubectl's own line and the command that printed it.

export type KubectlFailureKind =
  'kubectl-missing' | 'timeout' | 'canceled' | 'unauthorized' | 'forbidden' | 'not-found' | 'no-resource-type' | 'unreachable' | 'server-error' | 'other';

export interface KubectlFailure {
  kind: KubectlFailureKind;
  /** kubectl's own line, verbatim (or ours when kubectl printed none). */
  message: string;
  command: string;
}
