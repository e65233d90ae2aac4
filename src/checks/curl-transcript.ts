// probe --from-curl-log: a pasted `curl -v` transcript, classified with the signature catalog and
// curl's own exit code. Each cause the transcript points to becomes one finding under the check
// the live probe reports it with, quoting its lines verbatim. A transcript of a failed call never
// comes out healthy: a non-zero exit that matches no known TLS failure is an error that names
// what curl said.
import { causeEntry, type CauseId } from '../causes/catalog.js';
import type { CurlTranscript, SignatureMatch } from '../signatures/index.js';
import { defineCheck, type Verdict } from './check.js';
import { causeStatus } from './verdict.js';

const DIAGNOSE_NEXT = 'the ingress had no usable certificate for the name: run kubectl apigee-tls diagnose <envgroup> (ingress-secret, certificate, key-match)';

/** The check a cause belongs to, and what to do (the catalog's fix unless said here). */
const STEP: Partial<Record<CauseId, { check: string; next?: string }>> = {
  'connect-failed': { check: 'handshake' },
  'handshake-timeout': { check: 'handshake' },
  'not-tls': { check: 'handshake' },
  'tls-version-refused': { check: 'handshake' },
  'client-certificate-required': { check: 'handshake' },
  'handshake-reset': { check: 'handshake', next: DIAGNOSE_NEXT },
  'handshake-closed': { check: 'handshake', next: DIAGNOSE_NEXT },
  'handshake-alert': {
    check: 'handshake',
    next: 'run kubectl apigee-tls diagnose <envgroup> (certificate, key-match, mtls-ca), and kubectl apigee-tls probe <host> to see what the gateway serves',
  },
  'served-chain-untrusted': { check: 'served-chain-trust' },
  'certificate-expired': { check: 'validity', next: 'renew the certificate; kubectl apigee-tls diagnose <envgroup> shows its dates' },
  'certificate-not-yet-valid': {
    check: 'validity',
    next: "check the certificate's notBefore and the clocks; kubectl apigee-tls diagnose <envgroup> shows its dates",
  },
  'hostname-not-covered': { check: 'hostnames', next: "kubectl apigee-tls diagnose <envgroup> --host <host> compares the names with the certificate's SANs" },
};

/** The handshake ends one way: the first of these a client meets is the one reported. */
const HANDSHAKE_ORDER: readonly CauseId[] = [
  'connect-failed',
  'handshake-timeout',
  'not-tls',
  'tls-version-refused',
  'client-certificate-required',
  'handshake-reset',
  'handshake-closed',
  'handshake-alert',
];

const CAUSES = Object.keys(STEP) as CauseId[];

export const curlTranscript = defineCheck({
  id: 'curl-transcript',
  description: "a saved curl -v transcript: each TLS failure it shows (its lines and curl's exit code), under the check it belongs to",
  causes: CAUSES,
  needs: ['transcript'],
  reportsAs: [...new Set(Object.values(STEP).map((s) => s!.check))],
  run: ({ transcript }) => curlTranscriptVerdicts(transcript),
});

interface Hit {
  lineNumber: number;
  line: string;
  id: string;
  meaning: string;
}

const hitOf = (m: SignatureMatch): Hit => ({ lineNumber: m.lineNumber, line: m.line, id: m.id, meaning: m.meaning });

/** What curl's exit code alone says (exits 6, 7 and 28), with its line as evidence. */
function exitCause(t: CurlTranscript): { cause: CauseId; meaning: string } | null {
  const code = t.exit?.code;
  if (code === 6 || code === 7) return { cause: 'connect-failed', meaning: `curl could not make a TCP connection (curl exit ${code})` };
  if (code === 28 && !t.connected) return { cause: 'connect-failed', meaning: 'curl timed out before it had a TCP connection (curl exit 28)' };
  if (code === 28 && !t.handshakeDone) {
    return { cause: 'handshake-timeout', meaning: 'curl connected, then timed out before the TLS handshake finished (curl exit 28 after "Connected to")' };
  }
  return null;
}

function causesIn(t: CurlTranscript): Map<CauseId, { hits: Hit[]; meaning: string }> {
  const byCause = new Map<CauseId, { hits: Hit[]; meaning: string }>();
  const add = (cause: CauseId, hit: Hit, meaning = hit.meaning) => {
    const entry = byCause.get(cause) ?? { hits: [], meaning };
    entry.hits.push(hit);
    byCause.set(cause, entry);
  };
  for (const m of t.matches) for (const c of m.causes) if (STEP[c]) add(c, hitOf(m));
  const fromExit = exitCause(t);
  if (fromExit && t.exit) {
    const ids = t.matches.filter((m) => m.lineNumber === t.exit!.lineNumber).map((m) => m.id);
    // The connection lines curl printed before giving up are the evidence too.
    for (const m of t.matches) if (m.kind === 'connect-failed' || m.kind === 'timeout') add(fromExit.cause, hitOf(m), fromExit.meaning);
    add(
      fromExit.cause,
      { lineNumber: t.exit.lineNumber, line: t.exit.line, id: ids[0] ?? `curl exit ${t.exit.code}`, meaning: fromExit.meaning },
      fromExit.meaning,
    );
    byCause.get(fromExit.cause)!.meaning = fromExit.meaning;
  }
  // A server that asked for a client certificate and then ended the handshake wanted one (TLS 1.2
  // servers answer a missing certificate with handshake_failure).
  if (t.certificateRequested && !byCause.has('client-certificate-required')) {
    for (const c of ['handshake-alert', 'handshake-closed', 'handshake-reset'] as const) {
      const entry = byCause.get(c);
      if (!entry) continue;
      byCause.delete(c);
      const moved = byCause.get('client-certificate-required') ?? {
        hits: [],
        meaning: 'the server asked for a client certificate (Request CERT) and the handshake then failed',
      };
      moved.hits.push(...entry.hits);
      byCause.set('client-certificate-required', moved);
    }
  }
  const first = HANDSHAKE_ORDER.find((c) => byCause.has(c));
  for (const c of HANDSHAKE_ORDER) if (c !== first) byCause.delete(c);
  return byCause;
}

const sentence = (meaning: string): string => meaning.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());

function curlTranscriptVerdicts(t: CurlTranscript): Verdict[] {
  const byCause = causesIn(t);
  if (byCause.size === 0) {
    if (t.exit && t.exit.code !== 0) {
      const after = t.exit.code === 28 && t.handshakeDone ? ': the TLS handshake had finished, so the API, not TLS, did not answer in time' : '';
      return [
        {
          status: 'error',
          cause: null,
          summary: `curl failed with exit ${t.exit.code} ("${t.exit.message.slice(0, 200)}"), which is no known TLS failure${after}`,
          evidence: [`line ${t.exit.lineNumber}: ${t.exit.line.slice(0, 500)}`],
          commands: [],
        },
      ];
    }
    return [{ status: 'skip', cause: null, summary: 'no known TLS failure in the transcript', evidence: [], commands: [] }];
  }
  return [...byCause.entries()].map(([cause, { hits, meaning }]) => {
    const step = STEP[cause]!;
    const lines = [...new Map(hits.map((h) => [h.lineNumber, h])).values()].sort((a, b) => a.lineNumber - b.lineNumber);
    return {
      check: step.check,
      status: causeStatus(cause),
      cause,
      summary: `the transcript shows ${sentence(meaning)}`,
      evidence: lines.slice(0, 8).map((h) => `line ${h.lineNumber}: ${h.line.slice(0, 500)}  (${h.id})`),
      commands: [],
      remediation: step.next ?? causeEntry(cause).fix,
    };
  });
}
