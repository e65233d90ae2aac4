// The certificate, key and CA that the checks judge, and where each came from, so every finding
// can print the documented command that reads the same bytes by hand.
import type { KubectlFailure } from '../exec/kubectl-errors.js';
import { displayCommand, shellQuote } from '../exec/display.js';

export interface PemSource {
  bytes: Buffer;
  /** For people: `cert.pem`, or `secret "my-org-prod" key "cert"`. */
  label: string;
  /** A file on disk (option 1) or a shell pipeline that prints the bytes (option 2, a secret). */
  origin: { kind: 'file'; path: string } | { kind: 'pipe'; producer: string };
  /** The Secret holds this value in a form that is not base64: nothing can read it, whatever it decodes to. */
  undecodable?: true;
}

export interface TlsMaterial {
  cert: PemSource | null;
  key: PemSource | null;
  /** The CA for mutual TLS (secret's cacert/ca.crt or caCertPath), or a trust anchor from --ca. */
  ca: PemSource | null;
  /** Mutual TLS is configured, so the CA is required. */
  mtls: boolean;
  hostnames: string[];
  /** The env group's hostnames could not be read (the ApigeeRoutes list failed): kubectl's line and command. */
  hostnamesUnavailable?: { failure: KubectlFailure; namespace: string };
}

export interface CheckContext {
  now: Date;
  expiryWarningMs: number;
  /** How the fix is applied on this install (apigeectl or Helm), when known. */
  applyFix?: string;
}

/** `openssl <head> -in FILE <tail>` for a file, `<producer> | openssl <head> <tail>` for a pipe. */
export function opensslOn(source: PemSource, head: readonly string[], tail: readonly string[] = []): string {
  if (source.origin.kind === 'file') return displayCommand('openssl', [...head, '-in', source.origin.path, ...tail]);
  return `${source.origin.producer} | ${displayCommand('openssl', [...head, ...tail])}`;
}

/** The shell text that prints the source's bytes, to feed a pipeline. */
export function producerOf(source: PemSource): string {
  return source.origin.kind === 'file' ? `cat ${shellQuote(source.origin.path)}` : source.origin.producer;
}

/** kubectl's jsonpath needs dots inside a key escaped: {.data.tls\.crt}. */
export function secretDataProducer(namespace: string, secret: string, dataKey: string): string {
  const path = `{.data.${dataKey.replace(/\./g, '\\.')}}`;
  return `${displayCommand('kubectl', ['-n', namespace, 'get', 'secret', secret, '-o', `jsonpath=${path}`])} | base64 -d`;
}
