// probe: how the live handshake ended, named with the contract's cause ids and tied back to the
// playbook's three curl symptoms.
import { displayCommand } from '../cmdline/quote.js';
import { sClientArgs } from '../cmdline/openssl.js';
import type { HandshakeEnd, HandshakeObservation } from '../evidence/handshake.js';
import { defineCheck, type Verdict } from './check.js';

/** TLS alert descriptions (RFC 8446 §6, plus the SSLv3 names curl prints). */
const ALERT_NAMES: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

export const alertName = (n: number): string => ALERT_NAMES[n] ?? `alert ${n}`;

/** The ingress resets or closes when it has no certificate for the SNI: the playbook's causes. */
const NEXT =
  'the ingress has no usable certificate for this name: run `kubectl apigee-tls diagnose <envgroup>` for the env group that serves it (missing secret, malformed certificate, key mismatch)';

export function curlCommand(o: HandshakeObservation, host: string): string {
  const port = o.request.port === 443 ? '' : `:${o.request.port}`;
  const resolve = o.request.address !== host ? ` --connect-to ${host}:${o.request.port}:${o.request.address}:${o.request.port}` : '';
  return `curl -v https://${host}${port}/${resolve}`;
}

export function sClientCommand(o: HandshakeObservation): string {
  return `${displayCommand('openssl', sClientArgs(o.request.address, o.request.port, o.request.servername))} </dev/null`;
}

function failure(end: Exclude<HandshakeEnd, { kind: 'connected' }>): Pick<Verdict, 'status' | 'cause' | 'summary' | 'evidence'> {
  switch (end.kind) {
    case 'reset':
      return {
        status: 'fail',
        cause: 'handshake-reset',
        summary: 'the server reset the connection during the handshake (curl: "Connection reset by peer")',
        evidence: [end.message],
      };
    case 'closed':
      return {
        status: 'fail',
        cause: 'handshake-closed',
        summary: 'the server closed the connection during the handshake without an alert (curl: "SSL_ERROR_SYSCALL")',
        evidence: [end.message],
      };
    case 'alert': {
      const name = end.alertNumber !== undefined ? `${alertName(end.alertNumber)} (${end.alertNumber})` : 'an alert';
      return {
        status: 'fail',
        cause: 'handshake-alert',
        summary: `the server sent the TLS alert ${name} (curl: "alert ${name.split(' ')[0]!.replace(/_/g, ' ')}")`,
        evidence: [end.message],
      };
    }
    case 'failed':
      return { status: 'error', cause: null, summary: `no handshake: ${end.message}`, evidence: end.code ? [`code ${end.code}`] : [] };
  }
}

export const handshake = defineCheck({
  id: 'handshake',
  description: "a TLS handshake with the host completes, as curl would make it; how it failed, named with the playbook's symptoms",
  causes: ['handshake-reset', 'handshake-alert', 'handshake-closed'],
  needs: ['handshake'],
  run: ({ handshake: h }) => handshakeVerdict(h.observation, h.host, h.customTrust),
});

/** `customTrust`: --ca was given, so Node's default-store verdict does not apply (chain-complete judges). */
function handshakeVerdict(o: HandshakeObservation, host: string, customTrust: boolean): Verdict {
  const sni = o.request.servername === null ? 'no SNI' : `SNI ${o.request.servername}`;
  const commands = [curlCommand(o, host), sClientCommand(o)];
  const where = `${o.request.address}:${o.request.port} (${sni})`;
  if (o.end.kind === 'connected') {
    return {
      status: 'pass',
      cause: null,
      summary: `${o.end.protocol} handshake with ${where}, cipher ${o.end.cipher}`,
      evidence: o.end.authorizationError && !customTrust ? [`verification by Node's default trust store: ${o.end.authorizationError}`] : [],
      commands,
    };
  }
  const f = failure(o.end);
  const finding: Verdict = { ...f, summary: `${f.summary}; ${where}`, commands };
  if (f.status === 'fail') finding.remediation = NEXT;
  if (o.request.servername === null && f.status === 'fail') {
    finding.remediation =
      'clients that send no SNI need a wildcard ApigeeRoute (hostnames ["*"], enableNonSniClient: true) named in virtualhosts[].additionalGateways';
  }
  return finding;
}
