// What gather/ learned about one env group on the cluster: the input of the cluster checks.
import type { Resolution } from '../apigee/resolve.js';
import type { IssueView, KubeObject } from '../apigee/resources.js';
import type { KubectlScope } from '../cmdline/kubectl.js';
import type { KubectlFailure } from './kubectl-failure.js';

export type SecretLookup = { state: 'found'; secret: KubeObject } | { state: 'missing'; command: string } | { state: 'error'; failure: KubectlFailure };

export type Observed<T> = { state: 'ok'; value: T } | { state: 'absent'; why: string } | { state: 'error'; failure: KubectlFailure };

export interface WatcherEvidence {
  /** pod/container streams read. */
  sources: string[];
  /** Lines that report this env group's secret missing, verbatim. */
  lines: string[];
  failures: KubectlFailure[];
  /** The shell command a person runs to see the same lines. */
  command: string;
  /** How far back the logs were read (--since). */
  since: string;
  /** No apigee-watcher pod exists (by label or name). */
  noPods: boolean;
}

export interface ClusterEvidence {
  resolution: Resolution;
  namespace: string;
  /** The cluster and namespace read: every command shown is built for it. */
  scope: KubectlScope;
  /** Namespace the secret lives in (secretNameRef may name another). */
  secretNamespace: string;
  secret: SecretLookup;
  watcher: Observed<WatcherEvidence>;
  routeConfig: Observed<KubeObject | undefined>;
  issues: Observed<IssueView[]>;
  /** The ApigeeRoutes (the env group's hostnames) could not be listed. */
  hostnamesUnavailable?: { failure: KubectlFailure; namespace: string };
  /** How the fix is applied on this install. */
  applyFix: string;
}
