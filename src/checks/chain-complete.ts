// A chain that stops short of a trust anchor makes clients fail with "unable to get local issuer
// certificate". A leaf + intermediate chain that ends below a known root is complete.
import type { ChainAnalysis } from '../pki/types.js';
import type { Finding } from '../report/finding.js';
import { withApply } from './advice.js';
import { shellQuote } from '../exec/display.js';
import type { CheckContext, PemSource } from './tls-material.js';

/** Verifies the first certificate against the system roots, with the rest of the chain as helpers. */
function verifyCommand(source: PemSource): string {
  const file = source.origin.kind === 'file' ? shellQuote(source.origin.path) : `<(${source.origin.producer})`;
  return `openssl verify -untrusted ${file} ${file}`;
}

export function chainCompleteFinding(source: PemSource, chain: ChainAnalysis, ctx: CheckContext): Finding {
  const commands = [verifyCommand(source)];
  if (chain.complete) {
    const selfSigned = chain.lastSubject === chain.lastIssuer;
    const anchor = selfSigned ? ' (self-signed)' : `, issued by the trusted root "${chain.anchoredBy ?? chain.lastIssuer}"`;
    return {
      check: 'chain-complete',
      status: 'pass',
      cause: null,
      summary: `the chain ends at "${chain.lastSubject}"${anchor}`,
      evidence: [],
      commands,
    };
  }
  return {
    check: 'chain-complete',
    status: 'warn',
    cause: 'chain-incomplete',
    summary: `the chain stops at "${chain.lastSubject}", whose issuer "${chain.lastIssuer}" is not in the chain nor a known root`,
    evidence: [`last certificate: "${chain.lastSubject}" issued by "${chain.lastIssuer}"`],
    commands,
    remediation: withApply(
      `append the intermediate certificate(s) up to "${chain.lastIssuer}" after the leaf (use the issuer's full chain, e.g. fullchain.pem)`,
      ctx.applyFix,
    ),
  };
}
