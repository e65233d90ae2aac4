// `probe`: one live handshake, the served chain judged by the same checks as a secret's chain,
// and (with --envgroup) compared with the certificate in the env group's secret.
import { secretMaterial, layoutOf } from '../apigee/secret-layout.js';
import type { CheckContext } from '../checks/check.js';
import { sClientCommand } from '../checks/handshake.js';
import type { CheckInputs, Evidence } from '../checks/inputs.js';
import { CURL_LOG_CHECKS, PROBE_CHECKS } from '../checks/registry.js';
import { runChecks } from '../checks/run.js';
import { inNamespace } from '../cmdline/kubectl.js';
import type { HandshakeObservation } from '../evidence/handshake.js';
import type { PemSource } from '../evidence/material.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import { observeHandshake } from '../gather/handshake.js';
import { servedChainInWireOrder } from '../gather/served-chain.js';
import { lookupSecret } from '../gather/secret.js';
import { prepareNamespace } from './diagnose.js';
import { analyseCertificate, analyseChain } from '../pki/index.js';
import type { Diagnosis } from '../report/finding.js';
import { diagnosis } from '../report/result.js';
import { matchText } from '../signatures/index.js';

export interface ProbeRequest {
  host: string;
  port: number;
  /** --connect-to: the address to dial instead of the host. */
  address: string;
  servername: string | null;
  ca?: Buffer;
  caFile?: string;
  timeoutMs: number;
  now: Date;
  expiryWarningMs: number;
  /** --envgroup, with the cluster to read its secret from. */
  envgroup?: { name: string; target: KubectlTarget; org?: string };
}

const toPem = (der: Buffer): string =>
  `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;

/** The served chain as a PEM source whose producer reruns the handshake with openssl. */
function servedSource(o: HandshakeObservation, chainDer: Buffer[]): PemSource {
  return {
    bytes: Buffer.from(chainDer.map(toPem).join('')),
    label: `the chain served by ${o.request.address}:${o.request.port}`,
    origin: { kind: 'pipe', producer: `${sClientCommand(o)} 2>/dev/null` },
  };
}

async function secretLeaf(exec: ExecContext, envgroup: NonNullable<ProbeRequest['envgroup']>): Promise<NonNullable<CheckInputs['servedSecret']>> {
  const { snapshot, resolutions } = await prepareNamespace(exec, {
    target: envgroup.target,
    envgroups: { all: false, name: envgroup.name },
    hosts: [],
    ...(envgroup.org ? { org: envgroup.org } : {}),
  });
  const secret = resolutions[0]!.secret;
  const lookup = await lookupSecret(exec, envgroup.target, snapshot, secret);
  const unavailable = (summary: string) => ({
    unavailable: { status: lookup.state === 'error' ? ('error' as const) : ('skip' as const), cause: null, summary, evidence: [], commands: [] },
  });
  if (lookup.state === 'missing') return unavailable(`secret "${secret.name}" does not exist: run kubectl apigee-tls diagnose ${envgroup.name}`);
  if (lookup.state === 'error') return unavailable(`could not read secret "${secret.name}": ${lookup.failure.message}`);
  const layout = layoutOf(lookup.secret);
  const ns = secret.namespace ?? snapshot.namespace;
  if (!layout) return unavailable(`secret "${secret.name}" holds no certificate: run kubectl apigee-tls diagnose ${envgroup.name}`);
  const analysis = analyseCertificate(secretMaterial(lookup.secret, inNamespace(envgroup.target, ns), layout, false, []).cert.bytes);
  if (!analysis.ok) return unavailable(`the certificate in secret "${secret.name}" does not parse: run kubectl apigee-tls diagnose ${envgroup.name}`);
  return { leaf: analysis.certificates[0]!, label: `secret "${secret.name}"` };
}

/** The handshake, and when it succeeded, the served chain (wire order from openssl; Node's rebuilt chain when openssl is not there). */
async function probeEvidence(exec: ExecContext, request: ProbeRequest): Promise<Evidence> {
  const observation = await observeHandshake({ ...request, signal: exec.signal });
  const inputs: CheckInputs = { handshake: { observation, host: request.host, customTrust: request.ca !== undefined }, hostnames: [request.host] };
  if (observation.end.kind !== 'connected') return { inputs, absent: {} };
  const wire = await servedChainInWireOrder(exec, request.address, request.port, request.servername, Math.min(request.timeoutMs, 15_000));
  const source = servedSource(observation, wire ?? observation.end.chainDer);
  const analysis = analyseCertificate(source.bytes);
  if (!analysis.ok || analysis.certificates.length === 0) return { inputs, absent: {} };
  const anchors = request.ca ? analyseCertificate(request.ca) : null;
  const chain = analyseChain(analysis.certificates, anchors?.ok ? anchors.certificates : [], true);
  const order = chain.order;
  Object.assign(inputs, {
    certSource: source,
    certificates: analysis.certificates,
    chain,
    leafIndex: !order.ok && order.reason === 'leaf-not-first' ? order.leafIndex : 0,
  });
  if (request.envgroup) inputs.servedSecret = await secretLeaf(exec, request.envgroup);
  return { inputs, absent: {} };
}

export async function probe(exec: ExecContext, request: ProbeRequest): Promise<Diagnosis> {
  const target = { host: request.host, port: request.port, sni: request.servername };
  const ctx: CheckContext = { now: request.now, expiryWarningMs: request.expiryWarningMs, ...(request.envgroup ? { scope: request.envgroup.target } : {}) };
  return diagnosis(target, runChecks(PROBE_CHECKS, await probeEvidence(exec, request), ctx));
}

export function classifyCurlLog(text: string, file: string, now = new Date()): Diagnosis {
  return diagnosis({ curlLog: file }, runChecks(CURL_LOG_CHECKS, { inputs: { transcript: matchText(text) }, absent: {} }, { now, expiryWarningMs: 0 }));
}
