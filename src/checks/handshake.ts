// probe: how the live handshake ended, named with the contract's cause ids and tied back to the
// playbook's three curl symptoms.
import { displayCommand } from '../cmdline/quote.js';
import { sClientArgs } from '../cmdline/openssl.js';
import { causeEntry, type CauseId } from '../causes/catalog.js';
import type { HandshakeEnd, HandshakeObservation } from '../evidence/handshake.js';
import { quoteBytes } from '../evidence/quote-bytes.js';
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

/** "the TLS alert handshake_failure (40) (curl: "alert handshake failure")"; curl's wording only for alerts it names. */
function alertSentence(n: number | undefined): string {
  if (n === undefined) return 'a TLS alert';
  const known = ALERT_NAMES[n];
  return known ? `the TLS alert ${known} (${n}) (curl: "alert ${known.replace(/_/g, ' ')}")` : `the TLS alert number ${n}`;
}

/** The ingress resets or closes when it has no certificate for the SNI: the playbook's causes. */
const NEXT =
  'the ingress has no usable certificate for this name: run `kubectl apigee-tls diagnose <envgroup>` for the env group that serves it (missing secret, malformed certificate, key mismatch)';

/** --cert/--key as given, so that the shown commands present the same client certificate. */
export interface ClientFiles {
  cert: string;
  key: string;
}

export function curlCommand(o: HandshakeObservation, host: string, client?: ClientFiles): string {
  const port = o.request.port === 443 ? '' : `:${o.request.port}`;
  const resolve = o.request.address !== host ? ` --connect-to ${host}:${o.request.port}:${o.request.address}:${o.request.port}` : '';
  const cert = client ? ` ${displayCommand('--cert', [client.cert, '--key', client.key])}` : '';
  return `curl -v https://${host}${port}/${resolve}${cert}`;
}

export function sClientCommand(o: HandshakeObservation, client?: ClientFiles): string {
  const cert = client ? ['-cert', client.cert, '-key', client.key] : [];
  return `${displayCommand('openssl', [...sClientArgs(o.request.address, o.request.port, o.request.servername), ...cert])} </dev/null`;
}

const CLIENT_CERTIFICATE_ALERTS: ReadonlySet<number> = new Set([42, 48, 116]); // bad_certificate, unknown_ca, certificate_required
const PROTOCOL_VERSION_ALERT = 70;

/** How the live handshake ended: one cause, or an error that says why it could not be judged. */
type Failure = Pick<Verdict, 'status' | 'cause' | 'summary' | 'evidence'>;

/** Errno codes as a person says them. */
function connectReason(code: string | undefined, message: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused: nothing listens on the port';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return 'the name does not resolve';
    case 'ETIMEDOUT':
      return 'timed out: no answer to the TCP connection';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the address is unreachable from here';
    default:
      return message;
  }
}

const offeredText = (o: HandshakeObservation): string => `this client offered ${o.offered.min} to ${o.offered.max}`;

function caNamesLine(names: readonly string[]): string {
  return names.length > 0 ? `the server accepts client certificates issued by: ${names.map((n) => `"${n}"`).join(', ')}` : 'the server named no CA it accepts';
}

/** The server asked for a client certificate, and the handshake then failed (or the alert says so). */
function clientCertificateFailure(o: HandshakeObservation, alertText: string | null, message: string): Failure {
  const request = o.flight.certificateRequest;
  const summary = o.request.clientCertificate
    ? `the server refused the client certificate presented${alertText ? ` (alert ${alertText})` : ''}`
    : `the server asks for a client certificate (mutual TLS) and none was presented${alertText ? ` (alert ${alertText})` : ''}`;
  return {
    status: 'fail',
    cause: 'client-certificate-required',
    summary,
    evidence: [...(request ? ['the server sent a CertificateRequest', caNamesLine(request.caNames)] : []), message],
  };
}

function failure(o: HandshakeObservation, end: Exclude<HandshakeEnd, { kind: 'connected' }>): Failure {
  const requested = o.flight.certificateRequest !== undefined;
  switch (end.kind) {
    case 'connect-failed':
      return { status: 'fail', cause: 'connect-failed', summary: `no TCP connection: ${connectReason(end.code, end.message)}`, evidence: [end.message] };
    case 'timeout':
      return {
        status: 'fail',
        cause: 'handshake-timeout',
        summary: `the server accepted the TCP connection but did not finish the TLS handshake within ${o.request.handshakeTimeoutMs / 1000}s (curl: exit 28 after "Connected to")`,
        evidence: [end.message, o.flight.isTls ? 'the server sent TLS records, then nothing' : 'the server sent nothing'],
      };
    case 'not-tls':
      return {
        status: 'fail',
        cause: 'not-tls',
        summary: 'the server answered with something other than TLS (curl: "wrong version number"): a plain-HTTP port?',
        evidence: [`the first bytes back: ${quoteBytes(end.firstBytes)}`, end.message],
      };
    case 'reset':
      if (requested) return clientCertificateFailure(o, null, end.message);
      return {
        status: 'fail',
        cause: 'handshake-reset',
        summary: 'the server reset the connection during the handshake (curl: "Connection reset by peer")',
        evidence: [end.message],
      };
    case 'closed':
      if (requested) return clientCertificateFailure(o, null, end.message);
      return {
        status: 'fail',
        cause: 'handshake-closed',
        summary: 'the server closed the connection during the handshake without an alert (curl: "SSL_ERROR_SYSCALL")',
        evidence: [end.message],
      };
    case 'alert': {
      const name = end.alertNumber !== undefined ? `${alertName(end.alertNumber)} (${end.alertNumber})` : 'an alert';
      if (end.alertNumber === PROTOCOL_VERSION_ALERT) {
        return {
          status: 'fail',
          cause: 'tls-version-refused',
          summary: `the server refused the TLS versions offered (alert ${name})`,
          evidence: [offeredText(o), end.message],
        };
      }
      if (requested || (end.alertNumber !== undefined && CLIENT_CERTIFICATE_ALERTS.has(end.alertNumber))) return clientCertificateFailure(o, name, end.message);
      return {
        status: 'fail',
        cause: 'handshake-alert',
        summary: `the server sent ${alertSentence(end.alertNumber)}`,
        evidence: [end.message],
      };
    }
    case 'failed':
      // The client refused what the server chose: an older version than it will speak.
      if (end.code === 'ERR_SSL_UNSUPPORTED_PROTOCOL') {
        return {
          status: 'fail',
          cause: 'tls-version-refused',
          summary: `the server only speaks ${o.flight.version ?? 'a TLS version'} this client does not accept`,
          evidence: [offeredText(o), end.message],
        };
      }
      return { status: 'error', cause: null, summary: `no handshake: ${end.message}`, evidence: end.code ? [`code ${end.code}`] : [] };
  }
}

/** Causes whose fix is the catalog's (the Apigee side of each); the playbook's three keep their own words. */
const FIX_FROM_CATALOG: ReadonlySet<CauseId> = new Set([
  'connect-failed',
  'handshake-timeout',
  'not-tls',
  'tls-version-refused',
  'client-certificate-required',
]);

export const handshake = defineCheck({
  id: 'handshake',
  description:
    "a TLS handshake with the host completes, as curl would make it; how it failed, in the order a client meets it, named with the playbook's symptoms",
  causes: [
    'connect-failed',
    'handshake-timeout',
    'not-tls',
    'handshake-reset',
    'handshake-alert',
    'handshake-closed',
    'tls-version-refused',
    'client-certificate-required',
  ],
  needs: ['handshake'],
  run: ({ handshake: h }) => handshakeVerdict(h.observation, h.host, h.customTrust, h.clientFiles),
});

/** `customTrust`: --ca was given, so Node's default-store verdict does not apply (served-chain-trust judges). */
function handshakeVerdict(o: HandshakeObservation, host: string, customTrust: boolean, client?: ClientFiles): Verdict {
  const sni = o.request.servername === null ? 'no SNI' : `SNI ${o.request.servername}`;
  const commands = [curlCommand(o, host, client), sClientCommand(o, client)];
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
  const f = failure(o, o.end);
  const finding: Verdict = { ...f, summary: `${f.summary}; ${where}`, commands };
  if (f.cause && FIX_FROM_CATALOG.has(f.cause)) finding.remediation = causeEntry(f.cause).fix;
  else if (f.status === 'fail') finding.remediation = NEXT;
  if (o.request.servername === null && (f.cause === 'handshake-reset' || f.cause === 'handshake-closed' || f.cause === 'handshake-alert')) {
    finding.remediation =
      'clients that send no SNI need a wildcard ApigeeRoute (hostnames ["*"], enableNonSniClient: true) named in virtualhosts[].additionalGateways';
  }
  return finding;
}

/** On success with mutual TLS: what the server asked for, and which CAs it accepts. */
export const clientCertificate = defineCheck({
  id: 'client-certificate',
  description: 'when the server asks for a client certificate (mutual TLS): whether one was presented and accepted, and the CAs the server accepts',
  causes: [],
  needs: ['handshake', 'certificateRequest'],
  optional: true,
  run: ({ handshake: h, certificateRequest }) => ({
    status: 'pass',
    cause: null,
    summary: h.observation.request.clientCertificate
      ? 'the server asked for a client certificate (mutual TLS) and accepted the one presented'
      : 'the server asks for a client certificate (mutual TLS) but went on without one',
    evidence: [caNamesLine(certificateRequest.caNames)],
    commands: [`${sClientCommand(h.observation)} 2>/dev/null | sed -n '/Acceptable client certificate CA names/,/Requested Signature/p'`],
  }),
});
