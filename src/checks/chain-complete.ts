// A chain that stops short of a trust anchor makes clients fail with "unable to get local issuer
// certificate". A leaf + intermediate chain that ends below a known root is complete.
import type { ChainAnalysis } from '../pki/types.js';
import { withApply } from './advice.js';
import { shellQuote } from '../cmdline/quote.js';
import type { PemSource } from '../evidence/material.js';
import { defineCheck, type Verdict } from './check.js';

/** Verifies the first certificate against the system roots, with the rest of the chain as helpers. */
function verifyCommand(source: PemSource): string {
  const file = source.origin.kind === 'file' ? shellQuote(source.origin.path) : `<(${source.origin.producer})`;
  return `openssl verify -untrusted ${file} ${file}`;
}

export const chainComplete = defineCheck({
  id: 'chain-complete',
  description: 'the chain reaches a trust anchor: a self-signed root, a known root, or the CA given',
  causes: ['chain-incomplete'],
  needs: ['certSource', 'chain'],
  // Completeness is judged from the last certificate, which means nothing in a misordered chain.
  after: { check: 'chain-order', reason: 'not checked: the chain is out of order (see chain-order)' },
  run: ({ certSource, chain }, ctx) => chainCompleteVerdict(certSource, chain, ctx.applyFix),
});

function chainCompleteVerdict(source: PemSource, chain: ChainAnalysis, applyFix?: string): Verdict {
  const commands = [verifyCommand(source)];
  if (chain.complete) {
    const selfSigned = chain.lastSubject === chain.lastIssuer;
    const anchor = selfSigned ? ' (self-signed)' : `, issued by the trusted root "${chain.anchoredBy ?? chain.lastIssuer}"`;
    return {
      status: 'pass',
      cause: null,
      summary: `the chain ends at "${chain.lastSubject}"${anchor}`,
      evidence: [],
      commands,
    };
  }
  return {
    status: 'warn',
    cause: 'chain-incomplete',
    summary: `the chain stops at "${chain.lastSubject}", whose issuer "${chain.lastIssuer}" is not in the chain nor a known root`,
    evidence: [`last certificate: "${chain.lastSubject}" issued by "${chain.lastIssuer}"`],
    commands,
    remediation: withApply(
      `append the intermediate certificate(s) up to "${chain.lastIssuer}" after the leaf (use the issuer's full chain, e.g. fullchain.pem)`,
      applyFix,
    ),
  };
}
