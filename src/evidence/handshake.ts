// What one live TLS handshake showed (gather/handshake.ts observes it; the probe checks judge it).

export interface HandshakeRequest {
  /** Where to connect: the host itself, or --connect-to's address. */
  address: string;
  port: number;
  /** SNI to send; null sends none (--no-sni). */
  servername: string | null;
  timeoutMs: number;
  signal: AbortSignal;
}

export type HandshakeEnd =
  | { kind: 'connected'; protocol: string; cipher: string; chainDer: Buffer[]; authorizationError?: string }
  | { kind: 'reset'; message: string }
  | { kind: 'alert'; message: string; code?: string; alertNumber?: number }
  | { kind: 'closed'; message: string }
  | { kind: 'failed'; message: string; code?: string };

export interface HandshakeObservation {
  request: Omit<HandshakeRequest, 'signal'>;
  end: HandshakeEnd;
  ms: number;
}
