// The one place that orders the certificate and key checks and decides what is skipped because an
// earlier cause holds: the playbook's causes 2 and 3 first, then the checks beyond it.
import type { Finding } from '../report/finding.js';
import type { MaterialAnalysis } from './analyse-material.js';
import { certificateFormatFinding } from './certificate-format.js';
import { chainCompleteFinding } from './chain-complete.js';
import { chainOrderFinding } from './chain-order.js';
import { hostnamesFinding } from './hostnames.js';
import { keyMatchFinding } from './key-match.js';
import type { MirrorResults } from './mirrors.js';
import { mtlsCaFinding } from './mtls-ca.js';
import { privateKeyFormatFinding } from './private-key-format.js';
import { strengthFinding } from './strength.js';
import type { CheckContext, PemSource, TlsMaterial } from './tls-material.js';
import { validityFinding } from './validity.js';

const skip = (check: string, summary: string): Finding => ({ check, status: 'skip', cause: null, summary, evidence: [], commands: [] });

const CERT_DEPENDENT = ['key-match', 'chain-order', 'chain-complete', 'validity', 'hostnames', 'strength'] as const;

export function materialFindings(
  material: TlsMaterial & { cert: PemSource },
  analysis: MaterialAnalysis,
  mirrors: MirrorResults,
  ctx: CheckContext,
): Finding[] {
  const findings: Finding[] = [];
  const cert = analysis.cert!;
  findings.push(certificateFormatFinding(material.cert, cert, mirrors, ctx));

  if (material.key && analysis.key) findings.push(privateKeyFormatFinding(material.key, analysis.key, mirrors, ctx));
  else findings.push(skip('private-key', 'no private key given (--key FILE)'));

  if (!cert.ok) {
    for (const check of CERT_DEPENDENT) findings.push(skip(check, 'not checked: the certificate did not parse'));
  } else {
    const certs = cert.certificates;
    const key = analysis.key;
    if (!material.key || !key) findings.push(skip('key-match', 'no private key given (--key FILE)'));
    else if (!key.ok) findings.push(skip('key-match', 'not checked: the private key did not parse'));
    else findings.push(keyMatchFinding(material.cert, material.key, certs, key, analysis.keyBelongsTo ?? -1, mirrors, ctx));
    const chain = analysis.chain!;
    findings.push(chainOrderFinding(material.cert, certs, chain, ctx));
    // Completeness is judged from the last certificate, which means nothing in a misordered chain.
    findings.push(
      chain.order.ok ? chainCompleteFinding(material.cert, chain, ctx) : skip('chain-complete', 'not checked: the chain is out of order (see chain-order)'),
    );
    // A misordered chain is reported once, by chain-order; the rest is judged on the real leaf.
    const leafIndex = !chain.order.ok && chain.order.reason === 'leaf-not-first' ? chain.order.leafIndex : 0;
    findings.push(validityFinding(material.cert, certs, leafIndex, ctx));
    findings.push(hostnamesFinding(material.cert, certs[leafIndex]!, material.hostnames, ctx, material.hostnamesUnavailable));
    findings.push(strengthFinding(material.cert, certs, ctx));
  }
  findings.push(mtlsCaFinding(material.mtls, material.ca, analysis.ca, mirrors, ctx));
  return findings;
}
