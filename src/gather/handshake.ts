// One TLS handshake with node:tls, observed, not judged: whether TCP connected, how the handshake
// ended, what the server sent (its first bytes, its chosen version, a CertificateRequest and the
// CA names in it) and the chain it served. Verification is never enforced here
// (rejectUnauthorized: false) so that an expired or misnamed certificate is still seen and can be
// described. The bytes the server sends pass through a tap (a Duplex between the TCP socket and
// TLS) so they can be read afterwards; Node offers no other view of them.
import { connect as tcpConnect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect, DEFAULT_MAX_VERSION, DEFAULT_MIN_VERSION, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { HandshakeEnd, HandshakeObservation, HandshakeRequest } from '../evidence/handshake.js';
import { readServerFlight, serverHandshakeSecret } from './tls-records.js';

/** TLS 1.3 servers judge the client's certificate after the client's handshake is done: wait this long at most for their verdict. */
const TLS13_VERDICT_MS = 2000;
/** The first bytes kept from the server: enough for the whole first flight (chain included). */
const KEPT_BYTES = 64 * 1024;

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
  if (alert || /^ERR_SSL_(SSLV3_|TLSV1_|TLSV13_)?ALERT_/.test(err.code ?? '')) {
    return { kind: 'alert', message, ...(err.code ? { code: err.code } : {}), ...(alert ? { alertNumber: Number(alert[1]) } : {}) };
  }
  // Node words a FIN before the handshake completed this way (curl: SSL_ERROR_SYSCALL).
  if (/socket disconnected before secure TLS connection was established/.test(message)) return { kind: 'closed', message };
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return { kind: 'reset', message };
  return { kind: 'failed', message, ...(err.code ? { code: err.code } : {}) };
}

/** A Duplex over the TCP socket that keeps the first bytes the server sends. */
function tap(socket: Socket, kept: Buffer[]): Duplex {
  let keptBytes = 0;
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(err, callback) {
      socket.destroy();
      callback(err);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (keptBytes < KEPT_BYTES) {
      kept.push(chunk);
      keptBytes += chunk.length;
    }
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('error', (err) => duplex.destroy(err));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

export function observeHandshake(request: HandshakeRequest): Promise<HandshakeObservation> {
  const started = performance.now();
  const shown = {
    address: request.address,
    port: request.port,
    servername: request.servername,
    handshakeTimeoutMs: request.handshakeTimeoutMs,
    clientCertificate: request.clientCertificate !== undefined,
  };
  const kept: Buffer[] = [];
  const keylog: string[] = [];
  return new Promise((resolve) => {
    let settled = false;
    let tlsSocket: TLSSocket | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (end: HandshakeEnd) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      tlsSocket?.destroy();
      tcp.destroy();
      const received = Buffer.concat(kept);
      const flight = readServerFlight(received, serverHandshakeSecret(keylog));
      // Bytes that are not a TLS record explain any error that followed (wrong version number, …).
      const named: HandshakeEnd =
        received.length > 0 && !flight.isTls && end.kind !== 'connected'
          ? { kind: 'not-tls', message: end.message, firstBytes: received.subarray(0, 256) }
          : end;
      resolve({
        request: shown,
        end: named,
        offered: { min: DEFAULT_MIN_VERSION, max: DEFAULT_MAX_VERSION },
        flight,
        ms: Math.round(performance.now() - started),
      });
    };
    const onAbort = () => finish({ kind: 'failed', message: 'stopped: the run was interrupted or its deadline passed', code: 'ABORTED' });
    request.signal.addEventListener('abort', onAbort);
    const limit = request.handshakeTimeoutMs;
    const tcp = tcpConnect({ host: request.address, port: request.port });
    if (request.signal.aborted) queueMicrotask(onAbort);
    timer = setTimeout(() => finish({ kind: 'connect-failed', message: `no TCP connection within ${limit} ms`, code: 'ETIMEDOUT' }), limit);
    tcp.once('error', (err: NodeJS.ErrnoException) => {
      if (!tlsSocket) finish({ kind: 'connect-failed', message: err.message, ...(err.code ? { code: err.code } : {}) });
    });
    tcp.once('connect', () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => finish({ kind: 'timeout', message: `the server accepted the connection but did not finish the handshake within ${limit} ms` }),
        limit,
      );
      const socket = connect({
        socket: tap(tcp, kept),
        servername: request.servername ?? '',
        // No extra CA here: Node would splice trust-store certificates into the peer chain it
        // reports. Trust is judged by the served-chain-trust check, with --ca as the anchor.
        rejectUnauthorized: false,
        ...(request.clientCertificate ?? {}),
      });
      tlsSocket = socket;
      socket.on('keylog', (line: Buffer) => keylog.push(line.toString('latin1')));
      socket.once('secureConnect', () => {
        const cipher = socket.getCipher();
        const end: HandshakeEnd = {
          kind: 'connected',
          protocol: socket.getProtocol() ?? 'unknown',
          cipher: cipher?.standardName ?? cipher?.name ?? 'unknown',
          chainDer: chainOf(socket),
        };
        if (socket.authorizationError) end.authorizationError = String(socket.authorizationError);
        if (end.protocol !== 'TLSv1.3') {
          finish(end);
          return;
        }
        // In TLS 1.3 the client is done before the server has judged its certificate: its
        // verdict is a session ticket (or data) when accepted, an alert when not.
        const accepted = () => finish(end);
        socket.once('session', accepted);
        socket.on('data', accepted);
        socket.once('end', accepted);
        clearTimeout(timer);
        timer = setTimeout(accepted, Math.min(TLS13_VERDICT_MS, limit));
      });
      socket.once('error', (err) => finish(classifyHandshakeError(err as NodeJS.ErrnoException)));
      socket.once('close', () => finish({ kind: 'closed', message: 'the server closed the connection during the handshake' }));
    });
  });
}
