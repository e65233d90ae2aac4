// `collect`: the playbook's "gather diagnostic information" for one env group. The diagnosis, the
// secret's metadata, the env group's Apigee objects, the watcher and ingress-gateway logs, the
// probes and the versions go into a Bundle, which redacts everything as it is added; the README
// comes last and lists what support still needs from the user. Writing the archive is the CLI's.
import { isIP } from 'node:net';
import type { Resolution } from '../apigee/resolve.js';
import { issuesFor, nameOf, routesFor, type KubeObject } from '../apigee/resources.js';
import { Bundle, type BundleFile, type LogSink } from '../collect/bundle.js';
import { readmeText } from '../collect/readme.js';
import { Redactor, type RedactionCounts } from '../collect/redact.js';
import { secretMetadata, type SecretMetadata } from '../collect/secret-metadata.js';
import type { ExecContext } from '../exec/context.js';
import { inNamespace, kubectlCommand } from '../cmdline/kubectl.js';
import { displayCommand } from '../cmdline/quote.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import { itemsOrEmpty, type Listing } from '../gather/listing.js';
import { podLogCommand, podLogProblem, type PodLogStream } from '../gather/pod-logs.js';
import { lineSink } from '../gather/log-scan.js';
import { INGRESS_GATEWAY_LOGS, INGRESS_MANAGER_LOGS, podsOf, WATCHER_LOGS, type LogSource } from '../apigee/log-sources.js';
import { lookupSecret } from '../gather/secret.js';
import type { NamespaceSnapshot } from '../gather/snapshot.js';
import { toolVersions, type ToolVersions } from '../gather/versions.js';
import type { LogTap } from '../gather/scan-source.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import type { Diagnosis } from '../report/finding.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { diagnoseNamespace, prepareNamespace, type DiagnoseRequest } from './diagnose.js';
import type { LogTaps } from './ingress-logs.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, probe } from './probe.js';

export interface CollectRequest {
  /** The diagnosis of the one env group (`envgroups.all` is false). */
  diagnose: DiagnoseRequest & { envgroups: { all: false; name: string } };
  /** false with --no-redact: addresses and tokens are kept (keys never are). */
  redact: boolean;
  /** How the user runs the plugin, for the commands shown. */
  program: string;
  plugin: { version: string; commit: string; node: string };
  /** The handshake timeout of each --host probe. */
  probeTimeoutMs: number;
}

export interface CollectResult {
  diagnosis: Diagnosis;
  bundle: Bundle;
  /** Every file, README.txt first. */
  files: BundleFile[];
  redactions: RedactionCounts & { distinctAddresses: number };
  /** What could not be collected. */
  gaps: string[];
}

interface ClusterFacts {
  snapshot: NamespaceSnapshot;
  resolution: Resolution;
}

const PROBE_PORT = 443;

/** What `kubectl get … -o yaml` would show of an object, minus the server's bookkeeping. */
function shown(o: KubeObject): KubeObject {
  const metadata = { ...(o.metadata ?? {}) } as Record<string, unknown>;
  delete metadata.managedFields;
  return { ...o, metadata } as KubeObject;
}

const list = (items: readonly KubeObject[]) => ({ apiVersion: 'v1', kind: 'List', items: items.map(shown) });

function unavailable(listing: Listing, what: string): string | null {
  if (listing.state === 'absent') return `${what}: the Apigee custom resources are not installed on this cluster`;
  if (listing.state === 'error') return `${what}: ${listing.failure.message}`;
  return null;
}

function addObjects(bundle: Bundle, facts: ClusterFacts, gaps: string[]): void {
  const { snapshot, resolution: r } = facts;
  const ns = snapshot.namespace;
  const arcName = r.routeConfig ? nameOf(r.routeConfig) : `${r.org}-${r.envgroup}`;

  const arcGap = unavailable(snapshot.routeConfigs, 'ApigeeRouteConfig');
  if (r.routeConfig) {
    bundle.addYaml(
      'route-config.yaml',
      shown(r.routeConfig),
      `The env group's ApigeeRouteConfig ${arcName}: its TLS mode, the secret it names, and its status.`,
      [snapshot.routeConfigs.command],
    );
  } else {
    const why = arcGap ?? `no ApigeeRouteConfig named ${arcName} in namespace ${ns}`;
    gaps.push(`route-config.yaml: ${why}`);
    bundle.addText('route-config.yaml', `# ${why}\n`, `The env group's ApigeeRouteConfig ${arcName} (not found).`, [snapshot.routeConfigs.command]);
  }

  const routes = r.routeConfig ? routesFor(r.routeConfig, itemsOrEmpty(snapshot.routes)) : [];
  const routeGap = unavailable(snapshot.routes, 'ApigeeRoutes');
  if (routeGap) gaps.push(`routes.yaml: ${routeGap}`);
  bundle.addYaml('routes.yaml', list(routes), `The ApigeeRoutes generated for ${arcName} (their hostnames and TLS settings): ${routes.length}.`, [
    snapshot.routes.command,
  ]);

  const issueNames = new Set(issuesFor(r.routeConfig ? arcName : undefined, r.secret.name, itemsOrEmpty(snapshot.issues)).map((i) => i.name));
  const issues = itemsOrEmpty(snapshot.issues).filter((i) => issueNames.has(nameOf(i)));
  const issueGap = unavailable(snapshot.issues, 'ApigeeIssues');
  if (issueGap) gaps.push(`issues.yaml: ${issueGap}`);
  bundle.addYaml('issues.yaml', list(issues), `The ApigeeIssues that name ${arcName} or secret ${r.secret.name}: ${issues.length}.`, [snapshot.issues.command]);
}

async function addSecretMetadata(exec: ExecContext, bundle: Bundle, facts: ClusterFacts, target: KubectlTarget, gaps: string[]): Promise<void> {
  const { snapshot, resolution: r } = facts;
  const ns = r.secret.namespace ?? snapshot.namespace;
  const lookup = await lookupSecret(exec, target, snapshot, r.secret);
  let meta: SecretMetadata;
  if (lookup.state === 'found') meta = secretMetadata(lookup.secret, ns);
  else if (lookup.state === 'missing')
    meta = { state: 'missing', name: r.secret.name, namespace: ns, reason: `secret "${r.secret.name}" does not exist in namespace "${ns}"` };
  else meta = { state: 'error', name: r.secret.name, namespace: ns, reason: lookup.failure.message };
  if (meta.state !== 'found') gaps.push(`secret-metadata.yaml: ${meta.reason}`);
  const scope = inNamespace(target, ns);
  const command = ns === snapshot.namespace ? snapshot.secrets.command : kubectlCommand(scope, ['get', 'secret', r.secret.name, '-o', 'json']);
  bundle.addYaml(
    'secret-metadata.yaml',
    meta,
    `The secret ${r.secret.name} (${r.secretSource}): type, key names, decoded sizes, certificate subjects, SANs, dates and fingerprints. Never values: it was read in memory only.`,
    [command, `${kubectlCommand(scope, ['describe', 'secret', r.secret.name])}   # shows the same key names and sizes`],
  );
}

/** Each container's log of a source as an archive file, fed line by line through the redactor as it streams. */
function bundleStreams(bundle: Bundle, source: LogSource, request: CollectRequest['diagnose'], gaps: string[]): Omit<LogTap, 'pods'> {
  const files = new Map<string, LogSink>();
  const fileOf = (s: PodLogStream): { path: string; sink: LogSink } => {
    const path = `logs/${s.pod}/${s.container}.log`;
    if (!files.has(path)) {
      const about = `The ${source.what} log (container ${s.container}), the last ${request.since} and at most ${request.tail} lines.`;
      files.set(path, bundle.log(path, about, [podLogCommand(request.target, s, request)]));
    }
    return { path, sink: files.get(path)! };
  };
  return {
    sink: (s) => {
      const { sink } = fileOf(s);
      return lineSink(
        (line) => sink.line(line),
        () => sink.end(),
      );
    },
    failed: (s, failure) => {
      // A name the API server should never have sent becomes no file, only a gap.
      if (podLogProblem(s)) return void gaps.push(`logs of a ${source.what} container: ${failure.message}`);
      const { path, sink } = fileOf(s);
      sink.note(`kubectl failed: ${failure.message}`);
      gaps.push(`${path}: ${failure.message}`);
    },
  };
}

/**
 * A log source's streams, kept while the diagnosis scans them (one read serves both) and added to
 * the archive after the diagnosis: the redactor numbers addresses as it first sees them, so what
 * support reads first (the diagnosis) gets the first numbers whatever the streams' timing.
 */
function sourceTap(
  source: LogSource,
  snapshot: NamespaceSnapshot,
): {
  tap: LogTap | undefined;
  addTo(bundle: Bundle, request: CollectRequest['diagnose'], gaps: string[]): void;
} {
  const kept = new Map<string, { stream: PodLogStream; lines: string[]; failure?: KubectlFailure }>();
  const entry = (s: PodLogStream) => {
    const key = `${s.pod}/${s.container}`;
    if (!kept.has(key)) kept.set(key, { stream: s, lines: [] });
    return kept.get(key)!;
  };
  const tap: LogTap | undefined =
    snapshot.pods.state === 'ok'
      ? {
          pods: snapshot.pods.items,
          // The entry exists from the start: an empty log is still a file of the archive.
          sink: (s) => {
            const kept = entry(s);
            return lineSink((line) => kept.lines.push(line));
          },
          failed: (s, failure) => (entry(s).failure = failure),
        }
      : undefined;
  return {
    tap,
    addTo(bundle, request, gaps) {
      if (tap && podsOf(source, tap.pods).length === 0) gaps.push(`logs: no ${source.what} pod found in namespace ${snapshot.namespace}`);
      const streams = bundleStreams(bundle, source, request, gaps);
      for (const { stream, lines, failure } of kept.values()) {
        // A name the API server should never have sent is a gap, never an archive path.
        if (failure && podLogProblem(stream)) {
          streams.failed(stream, failure);
          continue;
        }
        const sink = streams.sink(stream);
        for (const line of lines) sink.push(`${line}\n`);
        sink.end();
        if (failure) streams.failed(stream, failure);
      }
    },
  };
}

/** The three log sources the diagnosis reads (the watcher, the ingress manager, the gateways), tapped for the archive. */
function logTaps(snapshot: NamespaceSnapshot) {
  const taps = {
    watcher: sourceTap(WATCHER_LOGS, snapshot),
    manager: sourceTap(INGRESS_MANAGER_LOGS, snapshot),
    gateways: sourceTap(INGRESS_GATEWAY_LOGS, snapshot),
  };
  const of = (t: ReturnType<typeof sourceTap>) => t.tap;
  return {
    taps: Object.fromEntries(Object.entries(taps).flatMap(([k, t]) => (of(t) ? [[k, of(t)]] : []))) as LogTaps,
    addTo(bundle: Bundle, request: CollectRequest['diagnose'], gaps: string[]): void {
      if (snapshot.pods.state !== 'ok')
        gaps.push(`logs: the pods could not be listed: ${snapshot.pods.state === 'error' ? snapshot.pods.failure.message : 'no pods resource'}`);
      for (const t of Object.values(taps)) t.addTo(bundle, request, gaps);
    },
  };
}

interface ProbeOutcome {
  host: string;
  diagnosis?: Diagnosis;
  gap?: string;
}

async function runProbes(exec: ExecContext, request: CollectRequest, facts: ClusterFacts): Promise<ProbeOutcome[]> {
  const d = request.diagnose;
  return Promise.all(
    [...new Set(d.hosts)].map(async (host): Promise<ProbeOutcome> => {
      if (host.includes('*')) return { host, gap: `probe of ${host}: a wildcard cannot be probed; pass a concrete hostname with --host` };
      try {
        const diagnosis = await probe(exec, {
          host,
          port: PROBE_PORT,
          address: host,
          servername: isIP(host) ? null : host,
          judgedName: isIP(host) ? null : host,
          timeoutMs: request.probeTimeoutMs,
          handshakeTimeoutMs: Math.min(DEFAULT_HANDSHAKE_TIMEOUT_MS, request.probeTimeoutMs),
          now: d.now,
          expiryWarningMs: d.expiryWarningMs,
          envgroup: { name: d.envgroups.name, target: d.target, org: facts.resolution.org },
        });
        return { host, diagnosis };
      } catch (err) {
        return { host, gap: `probe of ${host}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
      }
    }),
  );
}

/** A file name part for a host, after redaction (an IP address becomes its placeholder). */
function fileSafe(text: string): string {
  return (
    text
      .replace(/[<>]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '') || 'host'
  );
}

function addProbes(bundle: Bundle, outcomes: readonly ProbeOutcome[], request: CollectRequest, gaps: string[]): void {
  const used = new Set<string>();
  for (const o of outcomes) {
    if (o.gap) gaps.push(o.gap);
    if (!o.diagnosis) continue;
    let base = `probe-${fileSafe(bundle.redactor.text(o.host))}`;
    for (let i = 2; used.has(base); i += 1) base = `${base}-${i}`;
    used.add(base);
    const command = displayCommand(request.program.split(' ')[0]!, [
      ...request.program.split(' ').slice(1),
      'probe',
      o.host,
      '--envgroup',
      request.diagnose.envgroups.name,
    ]);
    const redacted = bundle.redactor.value(o.diagnosis);
    bundle.addText(
      `${base}.txt`,
      renderText(redacted, { color: false, verbose: true }),
      `A live TLS handshake with ${o.host}:${PROBE_PORT} (SNI ${o.host}), compared with the secret.`,
      [command],
    );
    bundle.addText(`${base}.json`, renderJson(redacted), `The same probe as JSON.`, [`${command} -o json`]);
  }
}

function addVersions(bundle: Bundle, versions: ToolVersions, request: CollectRequest): void {
  const p = request.plugin;
  bundle.addYaml(
    'versions.yaml',
    {
      plugin: p.version,
      commit: p.commit,
      node: p.node,
      kubectl: versions.kubectl ?? 'not found',
      cluster: versions.cluster ?? 'unknown (the cluster did not answer kubectl version)',
      openssl: versions.openssl ?? 'not found',
    },
    'The versions of the plugin, kubectl, the cluster (kube-apiserver) and openssl.',
    [`${request.program} version`, ...versions.commands],
  );
}

function diagnoseCommand(request: CollectRequest): string {
  const d = request.diagnose;
  const args = ['diagnose', d.envgroups.name, '-n', d.target.namespace];
  if (d.target.context) args.push(`--context=${d.target.context}`);
  if (d.target.kubeconfig) args.push(`--kubeconfig=${d.target.kubeconfig}`);
  if (d.org) args.push(`--org=${d.org}`);
  for (const h of d.hosts) args.push(`--host=${h}`);
  const [file, ...pre] = request.program.split(' ');
  return displayCommand(file!, [...pre, ...args]);
}

export async function collect(exec: ExecContext, request: CollectRequest, listing?: Promise<NamespaceSnapshot>): Promise<CollectResult> {
  const d = request.diagnose;
  const redactor = new Redactor({ addresses: request.redact, tokens: request.redact });
  const bundle = new Bundle(redactor);
  const gaps: string[] = [];

  const versionsPromise = toolVersions(exec, d.target);
  // One listing (with the pods, for their logs) serves the diagnosis and the archive.
  const prepared = await prepareNamespace(exec, d, listing);
  const facts: ClusterFacts = { snapshot: prepared.snapshot, resolution: prepared.resolutions[0]! };
  const logs = logTaps(prepared.snapshot);
  const diagnosis = (await diagnoseNamespace(exec, d, { prepared, taps: logs.taps }))[0]!;
  const probesPromise = runProbes(exec, request, facts);

  const redacted = redactor.value(diagnosis);
  const command = diagnoseCommand(request);
  bundle.addText(
    'diagnosis.txt',
    renderText(redacted, { color: false, verbose: true }),
    `The diagnosis of env group ${d.envgroups.name}, as text (every check, with its evidence and commands).`,
    [command],
  );
  bundle.addText('diagnosis.json', renderJson(redacted), 'The same diagnosis as JSON (apigee-tls/v1 Diagnosis).', [`${command} -o json`]);
  await addSecretMetadata(exec, bundle, facts, d.target, gaps);
  addObjects(bundle, facts, gaps);
  logs.addTo(bundle, d, gaps);
  addProbes(bundle, await probesPromise, request, gaps);
  addVersions(bundle, await versionsPromise, request);

  gaps.push(...bundle.refused);
  const r = facts.resolution;
  const readme = readmeText({
    envgroup: r.envgroup,
    org: r.org,
    namespace: facts.snapshot.namespace,
    ...(facts.snapshot.context ? { context: facts.snapshot.context } : {}),
    collectedAt: d.now,
    program: request.program,
    version: `${request.plugin.version} (commit ${request.plugin.commit})`,
    result: diagnosis.result,
    redacted: request.redact,
    hosts: d.hosts.length ? d.hosts : r.hostnames,
    files: bundle.list(),
    gaps,
  });
  bundle.addText('README.txt', readme, 'What this archive holds, what support still needs from you, and how each file was collected.', [], true);

  return {
    diagnosis,
    bundle,
    files: bundle.list(),
    redactions: { ...redactor.counts, distinctAddresses: redactor.distinctAddresses },
    gaps,
  };
}
