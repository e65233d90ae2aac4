// What gather/ learned about one env group on the cluster: the input of the cluster checks.
import type { Install } from '../apigee/install.js';
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

/** A pod as the gateway check reads it. */
export interface PodView {
  name: string;
  labels: Record<string, string>;
  phase: string;
}

/** A route named in the route config's additionalGateways, and the secrets it serves. */
export interface AdditionalRoute {
  name: string;
  /** The ApigeeRoute itself, when it exists. */
  found: boolean;
  credentials: Array<{ name: string; secret: SecretLookup }>;
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
  /** Who owns the secret (Helm, apigeectl, the user, cert-manager), and why that was decided. */
  install: Install;
  /** What brings the secret back when it is missing, on this install. */
  recreateFix: string;
  /** The route config's spec.selector, and the namespace's pods it must match (the running ingress gateways). */
  gateways: Observed<{ selector: Record<string, string>; pods: PodView[] } | undefined>;
  /** The routes named in spec.additionalGateways (e.g. the non-SNI wildcard route), with their credential secrets. */
  additionalRoutes: Observed<AdditionalRoute[]>;
  /** The missing secret exists in this other namespace (istio-system, left there by an upgrade past 1.8). */
  foundIn?: { namespace: string; command: string };
}
