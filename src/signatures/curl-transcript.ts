// The shape of a `curl -v` transcript, beyond its signature lines: how curl exited (its
// `curl: (N) …` line), whether it got a TCP connection (`Connected to`), whether the TLS handshake
// finished (`SSL connection using`), and whether the server asked for a client certificate
// (`Request CERT`). Pure, linear, never throws.
import { matchText } from './match.js';
import type { SignatureMatch } from './types.js';

export interface CurlTranscript {
  matches: readonly SignatureMatch[];
  /** Lines of curl's verbose trace (`* …`, `> …`, `< …`, `{ …`, `} …`). */
  traceLines: number;
  /** The last `curl: (N) message` line. */
  exit?: { code: number; message: string; line: string; lineNumber: number };
  /** curl printed `Connected to …`: it had a TCP connection. */
  connected: boolean;
  /** curl printed `SSL connection using …`: the TLS handshake finished (Schannel prints no such line). */
  handshakeDone: boolean;
  /** The server sent a CertificateRequest (`(IN), TLS handshake, Request CERT (13)`). */
  certificateRequested: boolean;
}

const EXIT_LINE = /^curl: \((\d{1,3})\) ?(.{0,1000})/;
const TRACE_LINE = /^[*<>{}] /;
const CONNECTED = /^\* {0,4}Connected to /;
const HANDSHAKE_DONE = /^\* {0,4}SSL connection using /;
const CERTIFICATE_REQUEST = /\(IN\), TLS handshake, Request CERT \(13\)/;

export function readCurlTranscript(text: string): CurlTranscript {
  const transcript: CurlTranscript = { matches: matchText(text), traceLines: 0, connected: false, handshakeDone: false, certificateRequested: false };
  if (typeof text !== 'string') return transcript;
  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    lineNumber += 1;
    // Only the head of a line can say any of this: a pasted blob costs nothing more.
    const line = text
      .slice(start, Math.min(end, start + 1200))
      .replace(/\r$/, '')
      .replace(/^\uFEFF/, '');
    if (TRACE_LINE.test(line) || line === '*' || line === '>' || line === '<') transcript.traceLines += 1;
    if (CONNECTED.test(line)) transcript.connected = true;
    if (HANDSHAKE_DONE.test(line)) transcript.handshakeDone = true;
    if (CERTIFICATE_REQUEST.test(line)) transcript.certificateRequested = true;
    const exit = EXIT_LINE.exec(line);
    if (exit) transcript.exit = { code: Number(exit[1]), message: exit[2]!.trim(), line, lineNumber };
    if (newline === -1) break;
    start = newline + 1;
  }
  return transcript;
}
