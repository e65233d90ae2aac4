// Real TLS (and not-quite-TLS) servers on 127.0.0.1 for `probe`: each reproduces one way a
// handshake ends, the way an ingress gateway ends it. Every server listens on port 0 and is
// closed by ava's t.teardown. `openssl s_server` is there too, as a server that is not Node.
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer, type TlsOptions } from 'node:tls';
import { execa, type ResultPromise } from 'execa';

interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

export interface LocalServer {
  port: number;
  /** How many connections it accepted so far. */
  connections(): number;
}

/** Listens on 127.0.0.1:0, tracks sockets, and closes everything at teardown. */
async function listen(t: Teardown, server: NetServer | TlsServer): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  let count = 0;
  server.on('connection', (s: Socket) => {
    count += 1;
    sockets.add(s);
    s.on('error', () => {}); // resets and aborted handshakes are the point here
    s.on('close', () => sockets.delete(s));
  });
  // A tls.Server reports failed handshakes here; they are expected.
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, connections: () => count };
}

/** A TCP server that reads the first bytes (the ClientHello) and then does `onHello` to the socket. */
function afterClientHello(onHello: (socket: Socket) => void): NetServer {
  return createNetServer((socket) => {
    socket.once('data', () => onHello(socket));
  });
}

/** Resets the connection (TCP RST) after the ClientHello: Envoy with no filter chain for the SNI. */
export const resetServer = (t: Teardown): Promise<LocalServer> =>
  listen(
    t,
    afterClientHello((s) => s.resetAndDestroy()),
  );

/** Closes the connection (FIN, no alert) after the ClientHello: curl's SSL_ERROR_SYSCALL. */
export const closeServer = (t: Teardown): Promise<LocalServer> =>
  listen(
    t,
    afterClientHello((s) => s.end()),
  );

/** A plain-HTTP port: answers whatever comes (a ClientHello too) with an HTTP 400, as a gateway's port 80 does. */
export const plainHttpServer = (t: Teardown): Promise<LocalServer> =>
  listen(
    t,
    afterClientHello((s) => s.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n')),
  );

/** Accepts the TCP connection and never answers: a proxy or firewall that holds connections. */
export const silentServer = (t: Teardown): Promise<LocalServer> =>
  listen(
    t,
    createNetServer(() => {}),
  );

/** A real TLS server with the given key and certificate chain (leaf first, PEM). */
export function tlsServer(t: Teardown, options: TlsOptions): Promise<LocalServer> {
  const server = createTlsServer(options, (socket) => {
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  return listen(t, server);
}

/**
 * A TLS server that can never agree on a cipher: its key is EC, but it offers only an RSA
 * cipher suite and TLS 1.2 at most. OpenSSL answers the ClientHello with a fatal
 * handshake_failure alert (40).
 */
export function alertServer(t: Teardown, ecKeyPem: string, ecCertPem: string): Promise<LocalServer> {
  return tlsServer(t, { key: ecKeyPem, cert: ecCertPem, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', maxVersion: 'TLSv1.2' });
}

/**
 * The server_name of a TLS ClientHello, '' when it has no SNI extension, or null while the
 * record is still incomplete. Throws on bytes that are not a ClientHello.
 */
export function clientHelloServerName(data: Buffer): string | null {
  if (data.length < 5) return null;
  if (data[0] !== 0x16) throw new Error('not a TLS handshake record');
  const recordEnd = 5 + data.readUInt16BE(3);
  if (data.length < recordEnd) return null;
  let p = 5;
  if (data[p] !== 0x01) throw new Error('not a ClientHello');
  p += 4 + 2 + 32; // handshake header, client_version, random
  p += 1 + data[p]!; // session_id
  p += 2 + data.readUInt16BE(p); // cipher_suites
  p += 1 + data[p]!; // compression_methods
  if (p >= recordEnd) return '';
  const extensionsEnd = p + 2 + data.readUInt16BE(p);
  p += 2;
  while (p + 4 <= extensionsEnd) {
    const type = data.readUInt16BE(p);
    const length = data.readUInt16BE(p + 2);
    if (type === 0x0000) {
      // server_name_list: length(2), then name_type(1) = host_name, length(2), name
      const nameLength = data.readUInt16BE(p + 4 + 3);
      return data.subarray(p + 4 + 5, p + 4 + 5 + nameLength).toString('latin1');
    }
    p += 4 + length;
  }
  return '';
}

/**
 * Like an Apigee ingress without a non-SNI route: a ClientHello without server_name is answered
 * with a TCP reset; with one, the connection is handed (bytes as received) to a real TLS server
 * with `options`, so the handshake goes on as usual.
 */
export async function sniRequiredServer(t: Teardown, options: TlsOptions): Promise<LocalServer> {
  const inner = await tlsServer(t, options);
  const server = createNetServer((socket) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      let name: string | null;
      try {
        name = clientHelloServerName(buffered);
      } catch {
        name = '';
      }
      if (name === null) return; // wait for the rest of the ClientHello
      socket.off('data', onData);
      if (name === '') {
        socket.resetAndDestroy();
        return;
      }
      socket.pause();
      const upstream = netConnect({ host: '127.0.0.1', port: inner.port }, () => {
        upstream.write(buffered);
        socket.pipe(upstream);
        upstream.pipe(socket);
        socket.resume();
      });
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
    };
    socket.on('data', onData);
  });
  return listen(t, server);
}

/** A free TCP port on 127.0.0.1 (for servers that cannot listen on port 0 and report it). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface OpensslServer extends LocalServer {
  process: ResultPromise;
}

export interface OpensslServerFiles {
  /** A directory private to the test, removed by its own teardown. */
  dir: string;
  leafPem: string;
  keyPem: string;
  /** Intermediate certificates sent after the leaf (`-cert_chain`). */
  chainPem?: string;
  /** Mutual TLS: require a client certificate issued by this CA (`-Verify 1 -CAfile`). */
  requireClientCertificateFrom?: string;
  /** More s_server flags, e.g. `-tls1_1` for a server that speaks only TLS 1.1. */
  extraArgs?: readonly string[];
}

/**
 * `openssl s_server -www` with the given leaf, chain and key (written into `dir`, owner-only),
 * on a free port, ready when this resolves; killed at teardown.
 */
export async function opensslServer(t: Teardown, files: OpensslServerFiles): Promise<OpensslServer> {
  const write = (name: string, content: string) => {
    const path = join(files.dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const cert = write('s_server-leaf.pem', files.leafPem);
  const key = write('s_server-key.pem', files.keyPem);
  const chainArgs = files.chainPem ? ['-cert_chain', write('s_server-chain.pem', files.chainPem)] : [];
  const mtlsArgs = files.requireClientCertificateFrom ? ['-Verify', '1', '-CAfile', write('s_server-client-ca.pem', files.requireClientCertificateFrom)] : [];
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort();
    const child = execa(
      'openssl',
      ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert, ...chainArgs, '-key', key, ...mtlsArgs, ...(files.extraArgs ?? []), '-www', '-quiet'],
      {
        stdin: 'ignore',
        reject: false,
        cleanup: true,
      },
    );
    let exited = false;
    void child.then(() => {
      exited = true;
    });
    t.teardown(async () => {
      if (!exited) child.kill('SIGTERM');
      await child;
    });
    // Wait until it accepts connections, or until it has died (the port was taken meanwhile).
    for (let i = 0; i < 200 && !exited; i += 1) {
      if (await accepts(port)) return { port, process: child, connections: () => -1 };
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (!exited) throw new Error(`openssl s_server did not accept connections on 127.0.0.1:${port}`);
  }
  throw new Error('openssl s_server could not listen on a free port');
}
