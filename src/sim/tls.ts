// The simulator's own CA and serving certificate, minted in memory at run time.
// Keys never touch the disk: https.createServer gets the PEM buffers directly.
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export interface ServerTls {
  /** PEM of the self-made CA; goes into kubeconfig as certificate-authority-data. */
  caPem: string;
  /** Serving certificate (SAN IP:127.0.0.1, DNS:localhost) signed by the CA. */
  certPem: Buffer;
  keyPem: Buffer;
}

const generateKeyPairAsync = promisify(generateKeyPair);

// node:crypto makes the RSA keys (native, off the main thread, ~10x faster than forge's JS
// keygen); forge builds and signs the X.509 structures.
async function rsaKey(): Promise<forge.pki.rsa.PrivateKey> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
}

function publicOf(key: forge.pki.rsa.PrivateKey): forge.pki.rsa.PublicKey {
  return forge.pki.setRsaPublicKey(key.n, key.e);
}

function serial(): string {
  // Positive 16-byte serial: clear the top bit so DER does not read it as negative.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

/** Mints a fresh CA and serving certificate (about 0.2–0.4 s). */
export async function mintServerTls(now: Date = new Date()): Promise<ServerTls> {
  const [caKey, serverKey] = await Promise.all([rsaKey(), rsaKey()]);
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000); // tolerate small clock skew
  const caNotAfter = new Date(now.getTime() + 10 * 365 * 24 * 60 * 60 * 1000);
  const leafNotAfter = new Date(now.getTime() + 365 * 24 * 60 * 60 * 1000);

  const caName = [{ name: 'commonName', value: 'apigee-tls-sim-ca' }];
  const ca = forge.pki.createCertificate();
  ca.publicKey = publicOf(caKey);
  ca.serialNumber = serial();
  ca.validity.notBefore = notBefore;
  ca.validity.notAfter = caNotAfter;
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKey, forge.md.sha256.create());

  const leaf = forge.pki.createCertificate();
  leaf.publicKey = publicOf(serverKey);
  leaf.serialNumber = serial();
  leaf.validity.notBefore = notBefore;
  leaf.validity.notAfter = leafNotAfter;
  leaf.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  leaf.setIssuer(caName);
  leaf.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // Go refuses a bare CN: the IP SAN is what kubectl verifies for https://127.0.0.1:PORT.
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  leaf.sign(caKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: Buffer.from(forge.pki.certificateToPem(leaf)),
    keyPem: Buffer.from(forge.pki.privateKeyToPem(serverKey)),
  };
}

let shared: Promise<ServerTls> | undefined;

/**
 * One CA and serving certificate per process, minted on first use. Simulators share it so a
 * test suite pays the key generation once; kubectl's cache is keyed by host:port, not by CA.
 */
export function sharedServerTls(): Promise<ServerTls> {
  shared ??= mintServerTls().catch((error: unknown) => {
    shared = undefined; // let a later call retry instead of caching the failure
    throw error;
  });
  return shared;
}
