// The certificate, key and CA that the checks judge, and where each came from, so every finding
// can print the documented command that reads the same bytes by hand.
import type { KubectlFailure } from './kubectl-failure.js';

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
  /** Where the CA was looked for, in order (a secret's own key, then its `<name>-cacert`), for the report. */
  caSearched?: string[];
  hostnames: string[];
  /** The env group's hostnames could not be read (the ApigeeRoutes list failed): kubectl's line and command. */
  hostnamesUnavailable?: { failure: KubectlFailure; namespace: string };
}
