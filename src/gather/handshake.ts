// One TLS handshake with node:tls, observed, not judged: how it ended, what the server sent, and
// the chain it served. Verification is never enforced here (rejectUnauthorized: false) so that an
// expired or misnamed certificate is still seen and can be described.
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { HandshakeEnd, HandshakeObservation, HandshakeRequest } from '../evidence/handshake.js';

/**
 * The chain as Node rebuilt it (issuerCertificate links, ending in a self-loop): leaf first, but
 * reordered and missing extras. The wire order comes from openssl s_client when it is there.
 */
function chainOf(socket: TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  let cert: PeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(cert.raw);
    cert = (cert as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
  }
  return chain;
}

/** How a handshake error reads: an alert from the server, a reset, a close without alert, or other. */
export function classifyHandshakeError(err: NodeJS.ErrnoException): HandshakeEnd {
  const message = err.message.split('\n')[0] ?? '';
  const alert = /SSL alert number (\d+)/.exec(message);
  if (alert || /^ERR_SSL_(SSLV3_|TLSV1_)?ALERT_/.test(err.code ?? '')) {
    return { kind: 'alert', message, ...(err.code ? { code: err.code } : {}), ...(alert ? { alertNumber: Number(alert[1]) } : {}) };
  }
  // Node words a FIN before the handshake completed this way (curl: SSL_ERROR_SYSCALL).
  if (/socket disconnected before secure TLS connection was established/.test(message)) return { kind: 'closed', message };
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return { kind: 'reset', message };
  return { kind: 'failed', message, ...(err.code ? { code: err.code } : {}) };
}

export function observeHandshake(request: HandshakeRequest): Promise<HandshakeObservation> {
  const started = performance.now();
  const { signal, ...shown } = request;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (end: HandshakeEnd) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ request: shown, end, ms: Math.round(performance.now() - started) });
    };
    const socket = connect({
      host: request.address,
      port: request.port,
      servername: request.servername ?? '',
      // No extra CA here: Node would splice trust-store certificates into the peer chain it
      // reports. Trust is judged by the chain check, with --ca as an anchor.
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => finish({ kind: 'failed', message: `no handshake within ${request.timeoutMs} ms`, code: 'ETIMEDOUT' }), request.timeoutMs);
    const onAbort = () => finish({ kind: 'failed', message: 'stopped: the run was interrupted or its deadline passed', code: 'ABORTED' });
    signal.addEventListener('abort', onAbort);
    socket.once('secureConnect', () => {
      const cipher = socket.getCipher();
      const end: HandshakeEnd = {
        kind: 'connected',
        protocol: socket.getProtocol() ?? 'unknown',
        cipher: cipher?.standardName ?? cipher?.name ?? 'unknown',
        chainDer: chainOf(socket),
      };
      if (socket.authorizationError) end.authorizationError = String(socket.authorizationError);
      finish(end);
    });
    socket.once('error', (err) => finish(classifyHandshakeError(err as NodeJS.ErrnoException)));
    socket.once('close', () => finish({ kind: 'closed', message: 'the server closed the connection during the handshake' }));
  });
}
