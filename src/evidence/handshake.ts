// What one live TLS handshake showed (gather/handshake.ts observes it; the probe checks judge it).

export interface HandshakeRequest {
  /** Where to connect: the host itself, or --connect-to's address. */
  address: string;
  port: number;
  /** SNI to send; null sends none (--no-sni). */
  servername: string | null;
  /** --handshake-timeout: for the TCP connection, then again for the handshake. */
  handshakeTimeoutMs: number;
  /** --cert/--key: a client certificate to present when the server asks (PEM, in memory only). */
  clientCertificate?: { cert: Buffer; key: Buffer };
  signal: AbortSignal;
}

export type HandshakeEnd =
  | { kind: 'connected'; protocol: string; cipher: string; chainDer: Buffer[]; authorizationError?: string }
  /** No TCP connection: refused, unreachable, timed out, name not resolved. */
  | { kind: 'connect-failed'; message: string; code?: string }
  /** TCP connected, the handshake did not finish in time. */
  | { kind: 'timeout'; message: string }
  /** The first bytes back are not a TLS record. */
  | { kind: 'not-tls'; message: string; firstBytes: Buffer }
  | { kind: 'reset'; message: string }
  | { kind: 'alert'; message: string; code?: string; alertNumber?: number }
  | { kind: 'closed'; message: string }
  | { kind: 'failed'; message: string; code?: string };

/** What the server's first flight said, read from its raw bytes. */
export interface ServerFlight {
  /** The first bytes are a TLS record header (content type 20 to 23, major version 3). */
  isTls: boolean;
  /** The version the ServerHello chose, e.g. `TLSv1.3`, when one came. */
  version?: string;
  /** The server sent a CertificateRequest; `caNames` is its certificate_authorities list (may be empty). */
  certificateRequest?: { caNames: string[] };
}

export interface HandshakeObservation {
  request: { address: string; port: number; servername: string | null; handshakeTimeoutMs: number; clientCertificate: boolean };
  end: HandshakeEnd;
  /** The versions this client offered (Node's defaults, as curl's). */
  offered: { min: string; max: string };
  flight: ServerFlight;
  ms: number;
}
