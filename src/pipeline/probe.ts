// `probe`: one live handshake, the served chain judged by the same checks as a secret's chain,
// and (with --envgroup) compared with the certificate in the env group's secret.
import { secretMaterial, layoutOf } from '../apigee/secret-layout.js';
import type { CheckContext } from '../checks/check.js';
import { servedChainInputs, servedSource } from '../checks/served-inputs.js';
import type { CheckInputs, Evidence } from '../checks/inputs.js';
import { CURL_LOG_CHECKS, PROBE_CHECKS } from '../checks/registry.js';
import { runChecks } from '../checks/run.js';
import { inNamespace } from '../cmdline/kubectl.js';
import type { ExecContext } from '../exec/context.js';
import type { KubectlTarget } from '../exec/kubectl.js';
import { observeHandshake } from '../gather/handshake.js';
import { servedChainInWireOrder } from '../gather/served-chain.js';
import { lookupSecret } from '../gather/secret.js';
import { prepareNamespace } from './diagnose.js';
import { analyseCertificate, analysePrivateKey, indexAnchors, keyMatchesCertificate, verifyServedChain, type AnchorIndex } from '../pki/index.js';
import type { Diagnosis } from '../report/finding.js';
import { diagnosis } from '../report/result.js';
import { readCurlTranscript, type CurlTranscript } from '../signatures/index.js';
import { UsageError } from '../errors.js';
import type { ClientCredentials } from '../evidence/client-credentials.js';
import { systemTrustAnchors } from '../gather/trust-anchors.js';

/** --handshake-timeout's default, as the contract's issue fixes it. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

export interface ProbeRequest {
  host: string;
  port: number;
  /** --connect-to: the address to dial instead of the host. */
  address: string;
  servername: string | null;
  /** The name the certificate must cover: --sni, else the host when it is a name; null for an IP without --sni. */
  judgedName: string | null;
  /** --cert/--key, read once; the key's bytes go to the TLS context only. */
  clientCertificate?: { cert: Buffer; key: Buffer; certFile: string; keyFile: string };
  ca?: Buffer;
  caFile?: string;
  timeoutMs: number;
  /** --handshake-timeout, already bounded by --timeout. */
  handshakeTimeoutMs: number;
  now: Date;
  expiryWarningMs: number;
  /** --envgroup, with the cluster to read its secret from. */
  envgroup?: { name: string; target: KubectlTarget; org?: string };
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

/** --cert/--key judged before any connection; the TLS context gets the parsed key, re-encoded in memory. */
function clientCredentialsOf(c: NonNullable<ProbeRequest['clientCertificate']>): { credentials: ClientCredentials; tls?: { cert: string; key: string } } {
  const cert = analyseCertificate(c.cert);
  const key = analysePrivateKey(c.key);
  const matches = cert.ok && key.ok && cert.certificates.length > 0 ? keyMatchesCertificate(key.key, cert.certificates[0]!) : null;
  const credentials: ClientCredentials = { certFile: c.certFile, keyFile: c.keyFile, cert, key, matches };
  if (!cert.ok || !key.ok || matches !== true) return { credentials };
  return {
    credentials,
    tls: { cert: cert.certificates.map((x) => x.x509.toString()).join(''), key: key.key.export({ type: 'pkcs8', format: 'pem' }).toString() },
  };
}

/** The anchors in force: --ca alone (as curl --cacert), else the system's trust store and Node's roots. */
function anchorsFor(request: ProbeRequest): { index: AnchorIndex; label: string } {
  if (request.ca) {
    const ca = analyseCertificate(request.ca);
    return { index: indexAnchors(ca.ok ? ca.certificates.map((c) => c.x509) : []), label: `the CA given with --ca (${request.caFile ?? 'CA file'})` };
  }
  const system = systemTrustAnchors(process.env);
  return { index: indexAnchors(system.certificates), label: system.label };
}

/** The handshake, and when it succeeded, the served chain (wire order from openssl; Node's rebuilt chain when openssl is not there). */
async function probeEvidence(exec: ExecContext, request: ProbeRequest): Promise<Evidence> {
  const inputs: CheckInputs = {};
  const absent: Evidence['absent'] = {};
  if (request.judgedName !== null) inputs.hostnames = [request.judgedName];
  else absent.hostnames = `not judged: ${request.host} is an IP address and no --sni names the host the client asks for`;
  let tlsCredentials: { cert: string; key: string } | undefined;
  if (request.clientCertificate) {
    const read = clientCredentialsOf(request.clientCertificate);
    inputs.clientCredentials = read.credentials;
    if (!read.tls)
      return { inputs, absent: { ...absent, handshake: 'not attempted: the client certificate and key given cannot be used (see client-credentials)' } };
    tlsCredentials = read.tls;
  }
  const observation = await observeHandshake({
    address: request.address,
    port: request.port,
    servername: request.servername,
    handshakeTimeoutMs: request.handshakeTimeoutMs,
    signal: exec.signal,
    ...(tlsCredentials ? { clientCertificate: { cert: Buffer.from(tlsCredentials.cert), key: Buffer.from(tlsCredentials.key) } } : {}),
  });
  inputs.handshake = {
    observation,
    host: request.host,
    customTrust: request.ca !== undefined,
    ...(request.clientCertificate ? { clientFiles: { cert: request.clientCertificate.certFile, key: request.clientCertificate.keyFile } } : {}),
  };
  if (observation.end.kind !== 'connected') return { inputs, absent };
  if (observation.flight.certificateRequest) inputs.certificateRequest = observation.flight.certificateRequest;
  const wire = await servedChainInWireOrder(exec, request.address, request.port, request.servername, Math.min(request.timeoutMs, 15_000));
  const served = servedChainInputs(servedSource(observation, wire ?? observation.end.chainDer), request.ca);
  if (!served) return { inputs, absent };
  const trust = anchorsFor(request);
  Object.assign(inputs, served, {
    trust: { verdict: verifyServedChain(served.certificates!, trust.index), anchors: trust.label, ...(request.caFile ? { caFile: request.caFile } : {}) },
  });
  if (request.envgroup) inputs.servedSecret = await secretLeaf(exec, request.envgroup);
  return { inputs, absent };
}

export async function probe(exec: ExecContext, request: ProbeRequest): Promise<Diagnosis> {
  const target = { host: request.host, port: request.port, sni: request.servername };
  const ctx: CheckContext = { now: request.now, expiryWarningMs: request.expiryWarningMs, ...(request.envgroup ? { scope: request.envgroup.target } : {}) };
  return diagnosis(target, runChecks(PROBE_CHECKS, await probeEvidence(exec, request), ctx));
}

/** A transcript with no trace of curl -v at all is not something to classify: the caller says so (usage error). */
export function hasCurlConversation(t: CurlTranscript): boolean {
  return t.traceLines > 0 || t.exit !== undefined;
}

export function classifyCurlLog(text: string, file: string, now = new Date()): Diagnosis {
  const transcript = readCurlTranscript(text);
  if (!hasCurlConversation(transcript)) {
    throw new UsageError(
      `${file === '-' ? 'stdin' : file} holds no curl -v conversation (no "* " lines, no "curl: (N)" line): save what curl -v prints, e.g. curl -v https://HOST/ 2>&1 | kubectl apigee-tls probe --from-curl-log -`,
    );
  }
  return diagnosis({ curlLog: file }, runChecks(CURL_LOG_CHECKS, { inputs: { transcript }, absent: {} }, { now, expiryWarningMs: 0 }));
}
