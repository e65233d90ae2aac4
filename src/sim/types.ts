// Shared shapes of the simulated cluster. Plain data only, so builders and server stay decoupled.

/** A Kubernetes object as the simulator stores and serves it (JSON-shaped, loosely typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

/** One log line with the time the container wrote it; since-filters compare against `time`. */
export interface LogEntry {
  time: Date;
  line: string;
}

/**
 * Lines of one container's log. Plain strings carry no time and count as written when the
 * simulator started, so they pass every since-filter.
 */
export type LogLines = ReadonlyArray<string | LogEntry>;

/**
 * A log produced on demand, for logs too big to hold (hundreds of MB). Called once per log
 * request; the simulator filters and streams what it yields, so memory stays flat unless
 * `tailLines` asks for the last N (then only N are kept).
 */
export type LogGenerator = () => Iterable<string | LogEntry> | AsyncIterable<string | LogEntry>;

export type LogSource = LogLines | LogGenerator;

/**
 * Container logs keyed by `<pod>/<container>` or `<namespace>/<pod>/<container>` (the
 * namespaced key wins). `<pod>/<container>/previous` (optionally namespaced) holds the log of
 * the previous container instance, for `--previous`.
 */
export type LogMap = Record<string, LogSource>;

/** Status codes a fault may answer with. */
export type FaultCode = 400 | 401 | 403 | 404 | 405 | 409 | 429 | 500 | 503 | 504;

/**
 * One fault-injection rule. Rules are tried in order and the first live match wins.
 * `match` is tested against the raw request URL (`/api/v1/...?...`) and against
 * `"<METHOD> <url>"` (raw and percent-decoded), so both `/secrets` and `^GET /api$` work.
 */
export interface FaultRule {
  match: RegExp | string;
  /** Answer with this status instead of the real response (after `delayMs`, if any). */
  code?: FaultCode;
  /** Status message; a realistic default is derived from the request when omitted. */
  message?: string;
  /** Send `message` as a text/plain body instead of a Status object. */
  plainText?: boolean;
  /** Wait this long before answering (with `code`, or with the real response). */
  delayMs?: number;
  /** Accept the request and never answer (until the simulator closes). */
  hang?: boolean;
  /** Destroy the socket without an answer (kubectl retries GETs on this). */
  destroy?: boolean;
  /** Apply to this many matching requests only, then the rule is spent. */
  times?: number;
  /** Extra response headers, e.g. `{ Warning: '299 - "deprecated"' }`. */
  headers?: Record<string, string>;
}

/** An RBAC rule in the spirit of a Role's `rules[]`; `*` matches anything. */
export interface RbacRule {
  verbs: string[];
  /** Resources incl. subresources, e.g. `pods`, `pods/log`, `apigeeroutes`. */
  resources: string[];
  /** API groups: `''` for core, `apigee.cloud.google.com`, or `*`. */
  apiGroups: string[];
  /** Namespaces the rule covers; omitted = every namespace and cluster scope. */
  namespaces?: string[];
  /** Object names the rule covers; omitted = all. */
  resourceNames?: string[];
}

export interface RbacPolicy {
  rules: RbacRule[];
}

/** An extra identity with its own bearer token (and optionally its own RBAC). */
export interface SimUser {
  token: string;
  /** User name shown in Forbidden messages. */
  name: string;
  /** When given, only what these rules allow is served; otherwise everything is allowed. */
  rbac?: RbacPolicy;
}

/** One request as the simulator saw it. */
export interface RequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Decoded query parameters (the last value wins on repeats). */
  query: Record<string, string>;
  /** Raw request target, path plus query. */
  url: string;
  accept: string;
  userAgent: string;
  /** User name the token mapped to, or '' when unauthenticated. */
  user: string;
  /** HTTP status sent; 0 while pending, or when the request hung or its socket was destroyed. */
  status: number;
  /** Set when a fault rule matched (it may only have delayed the answer or added headers). */
  fault: boolean;
  time: Date;
}
