// Certificates and keys for the pki tests, made at test time (never committed) and once per
// process. Keys come from node:crypto; certificates from the real openssl CLI (`openssl ca`,
// which signs any key type and takes exact -startdate/-enddate, so every date is fixed and the
// tests can assert exact values). Key files live in a private temp dir only while openssl runs.
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyFixture {
  key: KeyObject;
  /** PKCS#8 PEM (-----BEGIN PRIVATE KEY-----). */
  pem: string;
}

export interface PkiFixtures {
  keys: {
    root: KeyFixture;
    int: KeyFixture;
    leaf: KeyFixture;
    other: KeyFixture;
    rsa1024: KeyFixture;
    sha1: KeyFixture;
    p256: KeyFixture;
    p384: KeyFixture;
    ed25519: KeyFixture;
    /** An intermediate nobody was given: its leaf's chain cannot be completed. */
    orphanInt: KeyFixture;
  };
  /** The leaf's RSA key as PKCS#1 (-----BEGIN RSA PRIVATE KEY-----). */
  leafPkcs1: string;
  /** The P-256 key as SEC1 (-----BEGIN EC PRIVATE KEY-----). */
  p256Sec1: string;
  /** The leaf's key, encrypted: PKCS#8 and legacy PEM (Proc-Type: 4,ENCRYPTED). Passphrase "secret". */
  leafEncryptedPkcs8: string;
  leafEncryptedLegacy: string;
  /** The leaf's public key (-----BEGIN PUBLIC KEY-----). */
  leafPublicKey: string;
  /** A plausible OpenSSH private key block (ssh-keygen may be missing; the body is never parsed). */
  openssh: string;
  certs: {
    /** CN=Test Root CA, self-signed, CA, 2024-01-01 .. 2044-01-01. */
    root: string;
    /** CN=Test Intermediate CA, issued by root, CA, 2024-01-01 .. 2034-01-01. */
    int: string;
    /** CN=api.example.com, O=Example; SANs api.example.com, *.apps.example.com, 10.0.0.1, 2001:db8::1; by int, 2024-01-01 .. 2030-01-01. */
    leaf: string;
    /** Leaves issued by int with the P-256, P-384 and Ed25519 keys (SAN DNS:ec.example.com etc.). */
    p256Leaf: string;
    p384Leaf: string;
    ed25519Leaf: string;
    /** RSA-1024 leaf issued by int. */
    rsa1024Leaf: string;
    /** Self-signed, SHA-1, CN=legacy.example.com, not a CA. */
    sha1SelfSigned: string;
    /** Self-signed ECDSA (P-256, ecdsa-with-SHA256) and Ed25519 certificates. */
    p256SelfSigned: string;
    ed25519SelfSigned: string;
    /** The leaf's key, 2020-01-01 .. 2021-01-01. */
    expired: string;
    /** The leaf's key, 2099-01-01 .. 2100-01-01. */
    notYetValid: string;
    /** CN=Orphan Intermediate CA (self-signed, never handed to the tests as a cert) and its leaf. */
    orphanLeaf: string;
    /** A CA that copies the subject of Node's bundled ISRG Root X1 (with our own key), and its leaf. */
    impostorRoot: string;
    impostorLeaf: string;
  };
}

function pkcs8(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

function rsa(bits: number): KeyFixture {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { key: privateKey, pem: pkcs8(privateKey) };
}

function ec(namedCurve: string): KeyFixture {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve });
  return { key: privateKey, pem: pkcs8(privateKey) };
}

function ed25519(): KeyFixture {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { key: privateKey, pem: pkcs8(privateKey) };
}

const CA_CONFIG = `[ca]
default_ca = tca
[tca]
database = index.txt
serial = serial
new_certs_dir = .
default_md = default
policy = any
unique_subject = no
[any]
commonName = supplied
organizationName = optional
countryName = optional
`;

const CA_EXT = `basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

function leafExt(sans: string): string {
  return `basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = ${sans}
`;
}

interface IssueOptions {
  name: string;
  key: KeyFixture;
  subject: string;
  ext: string;
  /** Issuer's name (a previous `name`); self-signed when absent. */
  issuer?: string;
  start: string;
  end: string;
  md?: string;
}

/** A little CA workshop in a temp dir; every file is removed by close(). */
class Workshop {
  private readonly dir = mkdtempSync(join(tmpdir(), 'pki-fixtures-'));
  private serial = 0x1000;

  constructor() {
    writeFileSync(join(this.dir, 'ca.cnf'), CA_CONFIG);
    writeFileSync(join(this.dir, 'index.txt'), '');
  }

  private openssl(args: string[]): void {
    // Argument arrays, no shell; stdin closed so nothing can ever wait for a passphrase.
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  issue(o: IssueOptions): string {
    const keyFile = `${o.name}.key`;
    writeFileSync(join(this.dir, keyFile), o.key.pem, { mode: 0o600 });
    writeFileSync(join(this.dir, `${o.name}.ext`), `[ext]\n${o.ext}`);
    writeFileSync(join(this.dir, 'serial'), `${(this.serial++).toString(16)}\n`);
    this.openssl(['req', '-new', '-key', keyFile, '-subj', o.subject, '-out', `${o.name}.csr`]);
    const signer = o.issuer ? ['-cert', `${o.issuer}.crt`, '-keyfile', `${o.issuer}.key`] : ['-selfsign', '-keyfile', keyFile];
    this.openssl([
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-notext',
      '-preserveDN',
      ...signer,
      '-in',
      `${o.name}.csr`,
      '-out',
      `${o.name}.crt`,
      '-startdate',
      o.start,
      '-enddate',
      o.end,
      '-extfile',
      `${o.name}.ext`,
      '-extensions',
      'ext',
      ...(o.md ? ['-md', o.md] : []),
    ]);
    return readFileSync(join(this.dir, `${o.name}.crt`), 'utf8');
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function generate(): PkiFixtures {
  const keys = {
    root: rsa(2048),
    int: rsa(2048),
    leaf: rsa(2048),
    other: rsa(2048),
    rsa1024: rsa(1024),
    sha1: rsa(2048),
    p256: ec('prime256v1'),
    p384: ec('secp384r1'),
    ed25519: ed25519(),
    orphanInt: rsa(2048),
  };
  const w = new Workshop();
  try {
    const y2024 = '20240101000000Z';
    const root = w.issue({ name: 'root', key: keys.root, subject: '/CN=Test Root CA', ext: CA_EXT, start: y2024, end: '20440101000000Z' });
    const int = w.issue({ name: 'int', key: keys.int, subject: '/CN=Test Intermediate CA', ext: CA_EXT, issuer: 'root', start: y2024, end: '20340101000000Z' });
    const byInt = (name: string, key: KeyFixture, cn: string, sans: string, start = y2024, end = '20300101000000Z') =>
      w.issue({ name, key, subject: `/CN=${cn}/O=Example`, ext: leafExt(sans), issuer: 'int', start, end });
    const leafSans = 'DNS:api.example.com,DNS:*.apps.example.com,IP:10.0.0.1,IP:2001:db8::1';
    const certs = {
      root,
      int,
      leaf: byInt('leaf', keys.leaf, 'api.example.com', leafSans),
      p256Leaf: byInt('p256', keys.p256, 'ec.example.com', 'DNS:ec.example.com'),
      p384Leaf: byInt('p384', keys.p384, 'ec384.example.com', 'DNS:ec384.example.com'),
      ed25519Leaf: byInt('ed25519', keys.ed25519, 'ed.example.com', 'DNS:ed.example.com'),
      rsa1024Leaf: byInt('rsa1024', keys.rsa1024, 'weak.example.com', 'DNS:weak.example.com'),
      expired: byInt('expired', keys.leaf, 'api.example.com', leafSans, '20200101000000Z', '20210101000000Z'),
      notYetValid: byInt('future', keys.leaf, 'api.example.com', leafSans, '20990101000000Z', '21000101000000Z'),
      sha1SelfSigned: w.issue({
        name: 'sha1',
        key: keys.sha1,
        subject: '/CN=legacy.example.com',
        ext: leafExt('DNS:legacy.example.com'),
        start: y2024,
        end: '20300101000000Z',
        md: 'sha1',
      }),
      p256SelfSigned: w.issue({
        name: 'p256self',
        key: keys.p256,
        subject: '/CN=ec-self.example.com',
        ext: leafExt('DNS:ec-self.example.com'),
        start: y2024,
        end: '20300101000000Z',
      }),
      ed25519SelfSigned: w.issue({
        name: 'edself',
        key: keys.ed25519,
        subject: '/CN=ed-self.example.com',
        ext: leafExt('DNS:ed-self.example.com'),
        start: y2024,
        end: '20300101000000Z',
      }),
      orphanLeaf: '',
      impostorRoot: '',
      impostorLeaf: '',
    };
    w.issue({ name: 'orphan', key: keys.orphanInt, subject: '/CN=Orphan Intermediate CA', ext: CA_EXT, start: y2024, end: '20340101000000Z' });
    certs.orphanLeaf = w.issue({
      name: 'orphanleaf',
      key: keys.other,
      subject: '/CN=orphan.example.com',
      ext: leafExt('DNS:orphan.example.com'),
      issuer: 'orphan',
      start: y2024,
      end: '20300101000000Z',
    });
    certs.impostorRoot = w.issue({
      name: 'impostor',
      key: keys.orphanInt,
      subject: `/C=US/O=Internet Security Research Group/CN=ISRG Root X1`,
      ext: CA_EXT,
      start: y2024,
      end: '20340101000000Z',
    });
    certs.impostorLeaf = w.issue({
      name: 'impostorleaf',
      key: keys.other,
      subject: '/CN=impostor.example.com',
      ext: leafExt('DNS:impostor.example.com'),
      issuer: 'impostor',
      start: y2024,
      end: '20300101000000Z',
    });

    const leafKey = keys.leaf.key;
    return {
      keys,
      certs,
      leafPkcs1: leafKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      p256Sec1: keys.p256.key.export({ type: 'sec1', format: 'pem' }) as string,
      leafEncryptedPkcs8: leafKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string,
      leafEncryptedLegacy: leafKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string,
      leafPublicKey: createPublicKey(leafKey).export({ type: 'spki', format: 'pem' }) as string,
      openssh: opensshLike(),
    };
  } finally {
    w.close();
  }
}

/** The shape of `ssh-keygen` output: the openssh-key-v1 magic, then random bytes, 70 columns. */
function opensshLike(): string {
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), randomBytes(380)]).toString('base64');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.match(/.{1,70}/g)?.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

let cached: PkiFixtures | undefined;

/** The fixtures, generated on first use and shared by every test in the process. */
export function pkiFixtures(): PkiFixtures {
  cached ??= generate();
  return cached;
}
