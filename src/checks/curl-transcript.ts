// probe --from-curl-log: a pasted `curl -v` transcript, classified with the signature catalog.
// Each cause the transcript points to becomes one finding, quoting its lines verbatim.
import type { CauseId } from '../causes/catalog.js';
import type { SignatureMatch } from '../signatures/index.js';
import { defineCheck, type Verdict } from './check.js';
import { causeStatus } from './verdict.js';

/** The check a cause comes from, and what to run next to find why. */
const NEXT_STEP: Partial<Record<CauseId, { check: string; next: string }>> = {
  'handshake-reset': {
    check: 'handshake',
    next: 'the ingress had no usable certificate for the name: run kubectl apigee-tls diagnose <envgroup> (ingress-secret, certificate, key-match)',
  },
  'handshake-closed': {
    check: 'handshake',
    next: 'the ingress had no usable certificate for the name: run kubectl apigee-tls diagnose <envgroup> (ingress-secret, certificate, key-match)',
  },
  'handshake-alert': {
    check: 'handshake',
    next: 'run kubectl apigee-tls diagnose <envgroup> (certificate, key-match, mtls-ca), and kubectl apigee-tls probe <host> to see what the gateway serves',
  },
  'certificate-expired': { check: 'validity', next: 'renew the certificate; kubectl apigee-tls diagnose <envgroup> shows its dates' },
  'certificate-not-yet-valid': {
    check: 'validity',
    next: "check the certificate's notBefore and the clocks; kubectl apigee-tls diagnose <envgroup> shows its dates",
  },
  'hostname-not-covered': { check: 'hostnames', next: "kubectl apigee-tls diagnose <envgroup> --host <host> compares the names with the certificate's SANs" },
  'chain-incomplete': {
    check: 'chain-complete',
    next: 'the client does not trust the chain: kubectl apigee-tls probe <host> --ca <your CA> shows what is served; kubectl apigee-tls diagnose <envgroup> checks the chain',
  },
};

export const curlTranscript = defineCheck({
  id: 'curl-transcript',
  description: 'a saved curl -v transcript: each TLS failure it shows, under the check it belongs to',
  causes: Object.keys(NEXT_STEP) as CauseId[],
  needs: ['transcript'],
  reportsAs: [...new Set(Object.values(NEXT_STEP).map((s) => s!.check))],
  run: ({ transcript }) => curlTranscriptVerdicts(transcript),
});

function curlTranscriptVerdicts(matches: readonly SignatureMatch[]): Verdict[] {
  const byCause = new Map<CauseId, SignatureMatch[]>();
  for (const m of matches) for (const c of m.causes) if (NEXT_STEP[c]) byCause.set(c, [...(byCause.get(c) ?? []), m]);
  if (byCause.size === 0) {
    return [{ status: 'skip', cause: null, summary: 'no known TLS failure in the transcript', evidence: [], commands: [] }];
  }
  return [...byCause.entries()].map(([cause, hits]) => {
    const step = NEXT_STEP[cause]!;
    const lines = [...new Map(hits.map((h) => [h.lineNumber, h])).values()];
    return {
      check: step.check,
      status: causeStatus(cause),
      cause,
      summary: `the transcript shows ${hits[0]!.meaning.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())}`,
      evidence: lines.slice(0, 8).map((h) => `line ${h.lineNumber}: ${h.line.slice(0, 500)}  (${h.id})`),
      commands: [],
      remediation: step.next,
    };
  });
}
