// The trust anchors a client on this machine uses when none is given: the system's CA bundle
// (where OpenSSL-based clients such as curl read it: $SSL_CERT_FILE, else the usual Linux paths)
// and Node's bundled Mozilla roots. With --ca, only that file counts (as curl --cacert).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

export interface TrustAnchors {
  certificates: X509Certificate[];
  /** For people: where the anchors came from. */
  label: string;
}

function parseAll(pems: Iterable<string>): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const pem of pems) {
    try {
      out.push(new X509Certificate(pem));
    } catch {
      // A certificate this OpenSSL cannot read anchors nothing.
    }
  }
  return out;
}

function systemBundle(env: NodeJS.ProcessEnv): { path: string; text: string } | undefined {
  for (const path of [env.SSL_CERT_FILE, ...SYSTEM_BUNDLES]) {
    if (!path) continue;
    try {
      return { path, text: readFileSync(path, 'utf8') };
    } catch {
      // not this one
    }
  }
  return undefined;
}

export function systemTrustAnchors(env: NodeJS.ProcessEnv): TrustAnchors {
  const bundle = systemBundle(env);
  const fromBundle = bundle ? parseAll([...bundle.text.matchAll(PEM_CERTIFICATE)].map((m) => m[0])) : [];
  return {
    certificates: [...fromBundle, ...parseAll(rootCertificates)],
    label: bundle ? `the system's trust store (${bundle.path}) and Node's bundled roots` : "Node's bundled roots",
  };
}
