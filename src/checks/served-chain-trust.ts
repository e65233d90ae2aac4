// probe: the served chain verifies to the trust anchors in force (--ca, else the system's), the
// way the client builds its path. A client fails here with curl's exit 60, so it is a failure,
// not the warning chain-incomplete is for a secret (whose clients' trust store is unknown).
import { displayCommand } from '../cmdline/quote.js';
import { sClientArgs } from '../cmdline/openssl.js';
import { defineCheck, type Verdict } from './check.js';

export const servedChainTrust = defineCheck({
  id: 'served-chain-trust',
  description: "the chain the server sent verifies to the trust anchors in force (--ca, else the system's), as curl verifies it",
  causes: ['served-chain-untrusted'],
  needs: ['handshake', 'trust'],
  run: ({ handshake: h, trust }): Verdict => {
    const o = h.observation;
    const verify = `${displayCommand('openssl', [...sClientArgs(o.request.address, o.request.port, o.request.servername), ...(trust.caFile ? ['-CAfile', trust.caFile] : []), '-verify_return_error'])} </dev/null`;
    const path = `path: ${trust.verdict.path.map((s) => `"${s}"`).join(' → ')}`;
    if (trust.verdict.trusted) {
      return {
        status: 'pass',
        cause: null,
        summary: `the served chain verifies to "${trust.verdict.anchor}" (${trust.anchors})`,
        evidence: [path],
        commands: [verify],
      };
    }
    const v = trust.verdict;
    const [summary, curlSays, fix] =
      v.reason === 'issuer-not-found'
        ? [
            `the served chain does not verify to ${trust.anchors}: "${v.path[v.path.length - 1]}" was issued by "${v.missingIssuer}", which the server did not send and is not a trust anchor`,
            'unable to get local issuer certificate',
            `put the intermediate "${v.missingIssuer}" (and any above it) in the secret's chain after the leaf, e.g. the issuer's fullchain.pem; if "${v.missingIssuer}" is a private root, clients need it as their CA (curl --cacert)`,
          ]
        : [
            `the served chain ends at the self-signed "${v.root}", which is not among ${trust.anchors}`,
            v.depth === 0 ? 'self-signed certificate' : 'self-signed certificate in certificate chain',
            `clients must trust "${v.root}" (curl --cacert, or the system's trust store), or the secret must hold a certificate from a CA they trust`,
          ];
    return {
      status: 'fail',
      cause: 'served-chain-untrusted',
      summary: `${summary} (curl exit 60: "${curlSays}")`,
      evidence: [path],
      commands: [verify],
      remediation: fix,
    };
  },
});
