// The served chain as the checks' inputs: the same shape a secret's chain has, so the probe judges
// it with the same checks. Pure; the probe pipeline (and the checks' tests) call it.
import type { HandshakeObservation } from '../evidence/handshake.js';
import type { PemSource } from '../evidence/material.js';
import { analyseCertificate, analyseChain } from '../pki/index.js';
import { sClientCommand } from './handshake.js';
import type { CheckInputs } from './inputs.js';

const toPem = (der: Buffer): string =>
  `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;

/** The served chain as a PEM source whose producer reruns the handshake with openssl. */
export function servedSource(o: HandshakeObservation, chainDer: readonly Buffer[]): PemSource {
  return {
    bytes: Buffer.from(chainDer.map(toPem).join('')),
    label: `the chain served by ${o.request.address}:${o.request.port}`,
    origin: { kind: 'pipe', producer: `${sClientCommand(o)} 2>/dev/null` },
  };
}

/** The chain's inputs, or null when what was served does not parse (then only the handshake is reported). */
export function servedChainInputs(source: PemSource, ca?: Buffer): Pick<CheckInputs, 'certSource' | 'certificates' | 'chain' | 'leafIndex'> | null {
  const analysis = analyseCertificate(source.bytes);
  if (!analysis.ok || analysis.certificates.length === 0) return null;
  const anchors = ca ? analyseCertificate(ca) : null;
  const chain = analyseChain(analysis.certificates, anchors?.ok ? anchors.certificates : [], true);
  const order = chain.order;
  // A misordered chain is reported once, by chain-order; the rest is judged on the real leaf.
  const leafIndex = !order.ok && order.reason === 'leaf-not-first' ? order.leafIndex : 0;
  return { certSource: source, certificates: analysis.certificates, chain, leafIndex };
}
