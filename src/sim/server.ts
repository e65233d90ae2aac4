// The simulated kube-apiserver: HTTPS on 127.0.0.1, bearer-token auth, fault injection,
// optional RBAC, a request log, and a strict read-only rule (every non-GET gets 405).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { answer, notFoundMessage, type Answer } from './api.js';
import { resourceCatalog, type ApigeePlural, type ResourceType } from './discovery.js';
import { FaultSet } from './faults.js';
import { kubeconfigYaml, writeKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import { streamLog } from './logs.js';
import { namespaceObject, normalise } from './objects.js';
import { DEFAULT_USER, forbiddenMessage, rbacAllows } from './rbac.js';
import { parseEndpoint, verbOf, type Endpoint } from './request.js';
import { statusObject } from './status.js';
import { sharedServerTls, mintServerTls, type ServerTls } from './tls.js';
import type { FaultRule, K8sObject, LogMap, RbacPolicy, RequestRecord, SimUser } from './types.js';

export interface SimulatorOptions {
  objects?: readonly K8sObject[];
  logs?: LogMap;
  faults?: readonly FaultRule[];
  /** Bearer token of the main user; random when omitted. */
  token?: string;
  /** Name of the main user in Forbidden messages; default `system:serviceaccount:apigee:tls-diagnose`. */
  user?: string;
  /** RBAC of the main user; when omitted everything readable is allowed. */
  rbac?: RbacPolicy;
  /** More identities, each with its own token and RBAC. */
  users?: readonly SimUser[];
  /** false: the Apigee CRDs are not installed (the group is absent from discovery). */
  apigeeCrds?: boolean;
  /** Served versions per Apigee resource; `[]` removes one CRD. */
  apigeeVersions?: Partial<Record<ApigeePlural, string[]>>;
  /** true: cert-manager's CRDs are served too (only scenarios that install cert-manager). */
  certManager?: boolean;
  /** false: answer /api and /apis with legacy discovery only (older apiservers). */
  aggregatedDiscovery?: boolean;
  /** `/version` gitVersion; default v1.32.4 (the gcloud kubectl dispatcher needs 1.32.x). */
  gitVersion?: string;
  /** Add a Namespace object for every namespace the objects use, plus `apigee`; default true. */
  autoNamespaces?: boolean;
  /** Listening port; default 0 (ephemeral). 8080 is refused: kubectl's fallback target. */
  port?: number;
  /** Clock for ages and since-filters; default the real clock. */
  now?: () => Date;
  /** TLS material; default one CA per process, 'fresh' mints a new CA for this simulator. */
  tls?: ServerTls | 'fresh';
}

export interface Simulator {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Bearer token of the main user. */
  readonly token: string;
  readonly user: string;
  /** PEM of the CA that signed the serving certificate. */
  readonly caPem: string;
  /** Every request, in arrival order; `status` fills in when the answer is sent. */
  readonly requests: RequestRecord[];
  /** Requests minus /version, discovery documents and single-namespace lookups. */
  resourceRequests(): RequestRecord[];
  /** Requests that tried to change something (any method but GET). */
  writeAttempts(): RequestRecord[];
  clearRequests(): void;
  setFaults(rules: readonly FaultRule[]): void;
  /** Replaces the main user's RBAC; undefined allows everything. */
  setRbac(policy: RbacPolicy | undefined): void;
  /** Replaces the cluster's objects (auto namespaces are added again). */
  setObjects(objects: readonly K8sObject[]): void;
  readonly objects: readonly K8sObject[];
  setLogs(logs: LogMap): void;
  /** kubeconfig YAML for this simulator; with `dir`, also written to `<dir>/kubeconfig`. */
  kubeconfig(dir?: string, options?: Partial<Pick<KubeconfigOptions, 'token' | 'namespace' | 'context'>>): string;
  close(): Promise<void>;
}

interface Identity {
  name: string;
  rbac: RbacPolicy | undefined;
}

const DISCOVERY_TYPES = new Set<Endpoint['type']>(['version', 'core-discovery', 'groups-discovery', 'group-doc', 'resource-list-doc']);

/** Namespace GET: always allowed, because kubectl looks the namespace up after any 404. */
function isNamespaceLookup(e: Endpoint): boolean {
  return e.type === 'resource' && e.attrs.group === '' && e.attrs.resource === 'namespaces' && e.attrs.name !== undefined && e.attrs.subresource === undefined;
}

function parseQuery(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

class SimulatorImpl implements Simulator {
  readonly requests: RequestRecord[] = [];
  readonly token: string;
  readonly user: string;
  readonly caPem: string;
  url = '';
  port = 0;

  private server: Server;
  private sockets = new Set<Socket>();
  private timers = new Set<NodeJS.Timeout>();
  private faults: FaultSet;
  private identities = new Map<string, Identity>();
  private storedObjects: K8sObject[] = [];
  private logs: LogMap;
  private types: ResourceType[];
  private readonly clock: () => Date;
  private readonly started: Date;
  private closed = false;

  constructor(
    private readonly options: SimulatorOptions,
    tls: ServerTls,
  ) {
    this.clock = options.now ?? (() => new Date());
    this.started = this.clock();
    this.token = options.token ?? randomBytes(24).toString('hex');
    this.user = options.user ?? DEFAULT_USER;
    this.caPem = tls.caPem;
    this.identities.set(this.token, { name: this.user, rbac: options.rbac });
    for (const u of options.users ?? []) this.identities.set(u.token, { name: u.name, rbac: u.rbac });
    this.faults = new FaultSet(options.faults ?? []);
    this.logs = options.logs ?? {};
    this.types = resourceCatalog({ apigeeCrds: options.apigeeCrds, apigeeVersions: options.apigeeVersions, certManager: options.certManager });
    this.setObjects(options.objects ?? []);
    this.server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => this.fail(res, error));
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // A client that drops the TLS handshake (e.g. kubectl without the CA) is not our error.
    this.server.on('tlsClientError', () => undefined);
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        this.url = `https://127.0.0.1:${this.port}`;
        resolve();
      });
    });
  }

  get objects(): readonly K8sObject[] {
    return this.storedObjects;
  }

  setObjects(objects: readonly K8sObject[]): void {
    const created = this.started;
    const list = objects.map((o) => normalise(o, created));
    if (this.options.autoNamespaces !== false) {
      const have = new Set(list.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1').map((o) => o.metadata.name));
      const used = new Set(['apigee', ...list.map((o) => o.metadata.namespace).filter((n): n is string => !!n)]);
      for (const ns of used) if (!have.has(ns)) list.push(namespaceObject(ns, created));
    }
    this.storedObjects = list;
  }

  setLogs(logs: LogMap): void {
    this.logs = logs;
  }

  setFaults(rules: readonly FaultRule[]): void {
    this.faults.set(rules);
  }

  setRbac(policy: RbacPolicy | undefined): void {
    this.identities.set(this.token, { name: this.user, rbac: policy });
  }

  resourceRequests(): RequestRecord[] {
    return this.requests.filter((r) => {
      const e = parseEndpoint(r.path);
      return !DISCOVERY_TYPES.has(e.type) && !(r.method === 'GET' && isNamespaceLookup(e));
    });
  }

  writeAttempts(): RequestRecord[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  kubeconfig(dir?: string, options: Partial<Pick<KubeconfigOptions, 'token' | 'namespace' | 'context'>> = {}): string {
    const text = kubeconfigYaml({ server: this.url, caPem: this.caPem, token: this.token, ...options });
    if (dir !== undefined) writeKubeconfig(dir, text);
    return text;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Hung requests and keep-alive connections would hold close() forever.
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await done;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'https://127.0.0.1');
    const query = parseQuery(url);
    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const identity = auth ? this.identities.get(auth[1]?.trim() ?? '') : undefined;
    const record: RequestRecord = {
      method,
      path: url.pathname,
      query,
      url: rawUrl,
      accept: req.headers.accept ?? '',
      userAgent: req.headers['user-agent'] ?? '',
      user: identity?.name ?? '',
      status: 0,
      fault: false,
      time: this.clock(),
    };
    this.requests.push(record);
    res.once('finish', () => {
      record.status = res.statusCode;
    });
    req.resume(); // bodies of rejected writes are read and discarded

    if (!identity) return this.sendJson(res, 401, statusObject(401, 'Unauthorized'));

    const endpoint = parseEndpoint(url.pathname);
    const attrs = endpoint.type === 'resource' ? endpoint.attrs : undefined;
    const verb = verbOf(method, attrs, query);

    const fault = this.faults.take(method, rawUrl);
    let extraHeaders: Record<string, string> = {};
    if (fault) {
      record.fault = true;
      if (fault.hang) return; // the socket stays open until the client gives up or we close
      if (fault.destroy) {
        req.socket.destroy();
        return;
      }
      if (fault.delayMs) await this.sleep(fault.delayMs);
      if (this.closed || res.destroyed) return;
      extraHeaders = fault.headers ?? {};
      if (fault.code) {
        const message = fault.message ?? this.defaultFaultMessage(fault.code, identity.name, verb, endpoint, url.pathname);
        if (fault.plainText) return this.send(res, fault.code, message, 'text/plain; charset=utf-8', extraHeaders);
        return this.sendJson(res, fault.code, statusObject(fault.code, message), extraHeaders);
      }
    }

    if (method !== 'GET') {
      // The product must never write; the record above is what tests assert on.
      return this.sendJson(res, 405, statusObject(405, 'the server does not allow this method on the requested resource'), extraHeaders);
    }

    if (identity.rbac && attrs && !isNamespaceLookup(endpoint) && !rbacAllows(identity.rbac, verb, attrs)) {
      return this.sendJson(res, 403, statusObject(403, forbiddenMessage(identity.name, verb, attrs, url.pathname), forbiddenDetails(attrs)), extraHeaders);
    }

    const result = answer(
      {
        objects: this.storedObjects,
        logs: this.logs,
        types: this.types,
        gitVersion: this.options.gitVersion ?? 'v1.32.4',
        aggregated: this.options.aggregatedDiscovery !== false,
        serverAddress: `127.0.0.1:${this.port}`,
        now: this.clock(),
      },
      endpoint,
      query,
      req.headers.accept,
    );
    await this.deliver(res, result, extraHeaders);
  }

  private defaultFaultMessage(code: number, user: string, verb: string, endpoint: Endpoint, path: string): string {
    const attrs = endpoint.type === 'resource' ? endpoint.attrs : undefined;
    switch (code) {
      case 401:
        return 'Unauthorized';
      case 403:
        return forbiddenMessage(user, verb, attrs, path);
      case 404:
        return attrs ? notFoundMessage(attrs) : 'the server could not find the requested resource';
      case 429:
        return 'too many requests, please try again later';
      case 500:
        return 'Internal error occurred: injected fault';
      case 503:
        return 'the server is currently unable to handle the request';
      case 504:
        return 'the server was unable to return a response in the time allotted, but may still be processing the request';
      default:
        return `injected fault ${code}`;
    }
  }

  private async deliver(res: ServerResponse, result: Answer, headers: Record<string, string>): Promise<void> {
    if (result.type === 'json') return this.sendJson(res, result.code, result.body, headers, result.contentType);
    res.writeHead(200, { 'Content-Type': 'text/plain', ...headers });
    await streamLog(res, result.source, result.query, this.started);
  }

  private sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): void {
    this.send(res, code, JSON.stringify(body), contentType, headers);
  }

  private send(res: ServerResponse, code: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    // No Cache-Control: like the reference fake, so the dispatcher's /version answer is cached
    // and a warm kubectl sends only the resource request (kubectl-fake-apiserver.md §1).
    res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  }

  private fail(res: ServerResponse, error: unknown): void {
    // A bug in the simulator shows up as a 500 with its message, not a hung kubectl.
    const message = `simulator error: ${error instanceof Error ? error.message : String(error)}`;
    if (!res.headersSent) this.sendJson(res, 500, statusObject(500, message));
    else res.destroy();
  }
}

function forbiddenDetails(attrs: { resource: string; group: string; name?: string }) {
  return { ...(attrs.name !== undefined ? { name: attrs.name } : {}), ...(attrs.group ? { group: attrs.group } : {}), kind: attrs.resource };
}

/** Starts a simulated Apigee hybrid cluster's kube-apiserver on 127.0.0.1. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const port = options.port ?? 0;
  if (port === 8080) throw new Error("port 8080 is kubectl's fallback for a missing kubeconfig; pick another port");
  const tls = options.tls === 'fresh' ? await mintServerTls() : (options.tls ?? (await sharedServerTls()));
  const sim = new SimulatorImpl(options, tls);
  await sim.listen(port);
  return sim;
}
