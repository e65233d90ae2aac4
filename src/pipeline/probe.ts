// `probe`: one live handshake, the served chain judged by the same checks as a secret's chain,
// and (with --envgroup) compared with the certificate in the env group's secret.
import { chainCompleteFinding } from '../checks/chain-complete.js';
import { chainOrderFinding } from '../checks/chain-order.js';
import { curlTranscriptFindings } from '../checks/curl-transcript.js';
import { handshakeFinding, sClientCommand } from '../checks/handshake.js';
import { hostnamesFinding } from '../checks/hostnames.js';
import { layoutOf, secretMaterial } from '../checks/secret-material.js';
import { servedCertificateFinding, servedChainFinding } from '../checks/served-chain.js';
import { strengthFinding } from '../checks/strength.js';
import type { CheckContext, PemSource } from '../checks/tls-material.js';
import { validityFinding } from '../checks/validity.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import { observeHandshake, type HandshakeObservation } from '../gather/handshake.js';
import { servedChainInWireOrder } from '../gather/served-chain.js';
import { lookupSecret } from '../gather/secret.js';
import { prepareNamespace } from './diagnose.js';
import { analyseCertificate, analyseChain } from '../pki/index.js';
import type { ParsedCertificate } from '../pki/types.js';
import type { Diagnosis, Finding } from '../report/finding.js';
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

async function secretLeaf(exec: ExecContext, envgroup: NonNullable<ProbeRequest['envgroup']>): Promise<{ leaf: ParsedCertificate; label: string } | Finding> {
  const { snapshot, resolutions } = await prepareNamespace(exec, {
    target: envgroup.target,
    envgroups: { all: false, name: envgroup.name },
    hosts: [],
    ...(envgroup.org ? { org: envgroup.org } : {}),
  });
  const secret = resolutions[0]!.secret;
  const lookup = await lookupSecret(exec, envgroup.target, snapshot, secret);
  const skip = (summary: string): Finding => ({
    check: 'served-certificate',
    status: lookup.state === 'error' ? 'error' : 'skip',
    cause: null,
    summary,
    evidence: [],
    commands: [],
  });
  if (lookup.state === 'missing') return skip(`secret "${secret.name}" does not exist: run kubectl apigee-tls diagnose ${envgroup.name}`);
  if (lookup.state === 'error') return skip(`could not read secret "${secret.name}": ${lookup.failure.message}`);
  const layout = layoutOf(lookup.secret);
  const ns = secret.namespace ?? snapshot.namespace;
  if (!layout) return skip(`secret "${secret.name}" holds no certificate: run kubectl apigee-tls diagnose ${envgroup.name}`);
  const analysis = analyseCertificate(secretMaterial(lookup.secret, ns, layout, false, []).cert.bytes);
  if (!analysis.ok) return skip(`the certificate in secret "${secret.name}" does not parse: run kubectl apigee-tls diagnose ${envgroup.name}`);
  return { leaf: analysis.certificates[0]!, label: `secret "${secret.name}"` };
}

export async function probe(exec: ExecContext, request: ProbeRequest): Promise<Diagnosis> {
  const observation = await observeHandshake({ ...request, signal: exec.signal });
  const target = { host: request.host, port: request.port, sni: request.servername };
  const findings: Finding[] = [handshakeFinding(observation, request.host, request.ca !== undefined)];
  if (observation.end.kind !== 'connected') return diagnosis(target, findings);

  // Wire order from openssl; Node's rebuilt chain when openssl is not there.
  const wire = await servedChainInWireOrder(exec, request.address, request.port, request.servername, Math.min(request.timeoutMs, 15_000));
  const source = servedSource(observation, wire ?? observation.end.chainDer);
  const analysis = analyseCertificate(source.bytes);
  if (!analysis.ok || analysis.certificates.length === 0) return diagnosis(target, findings);
  const certs = analysis.certificates;
  const ctx: CheckContext = { now: request.now, expiryWarningMs: request.expiryWarningMs };
  const anchors = request.ca ? analyseCertificate(request.ca) : null;
  const chain = analyseChain(certs, anchors?.ok ? anchors.certificates : [], true);
  findings.push(
    servedChainFinding(certs, [sClientCommand(observation)]),
    chainOrderFinding(source, certs, chain, ctx),
    chainCompleteFinding(source, chain, ctx),
    validityFinding(source, certs, 0, ctx),
    hostnamesFinding(source, certs[0]!, [request.host], ctx),
    strengthFinding(source, certs, ctx),
  );
  if (request.envgroup) {
    const secret = await secretLeaf(exec, request.envgroup);
    findings.push('leaf' in secret ? servedCertificateFinding(certs[0]!, secret.leaf, secret.label, [sClientCommand(observation)]) : secret);
  }
  return diagnosis(target, findings);
}

export function classifyCurlLog(text: string, file: string): Diagnosis {
  return diagnosis({ curlLog: file }, curlTranscriptFindings(matchText(text)));
}
