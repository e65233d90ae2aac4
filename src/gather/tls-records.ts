// What the server said during a handshake, read from the raw bytes it sent: whether they are TLS
// at all, the version it chose, and its CertificateRequest (with the CA names it accepts). Node
// exposes none of this. TLS 1.2 sends the CertificateRequest in the clear; TLS 1.3 encrypts it,
// so it is read with the session's own handshake secret (Node's `keylog` line), which never
// leaves memory. Pure, and never throws: damaged or partial input gives what could be read.
import { createDecipheriv, createHmac } from 'node:crypto';
import forge from 'node-forge';
import type { ServerFlight } from '../evidence/handshake.js';

const CONTENT_CHANGE_CIPHER_SPEC = 20;
const CONTENT_HANDSHAKE = 22;
const CONTENT_APPLICATION_DATA = 23;
const HANDSHAKE_SERVER_HELLO = 2;
const HANDSHAKE_CERTIFICATE_REQUEST = 13;
const HANDSHAKE_FINISHED = 20;
const EXTENSION_SUPPORTED_VERSIONS = 43;
const EXTENSION_CERTIFICATE_AUTHORITIES = 47;
/** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest. */
const HELLO_RETRY_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

interface TlsRecord {
  type: number;
  header: Buffer;
  body: Buffer;
}

export function looksLikeTls(bytes: Buffer): boolean {
  const type = bytes[0];
  return type !== undefined && type >= CONTENT_CHANGE_CIPHER_SPEC && type <= CONTENT_APPLICATION_DATA && (bytes.length < 2 || bytes[1] === 3);
}

function records(bytes: Buffer): TlsRecord[] {
  const out: TlsRecord[] = [];
  let p = 0;
  while (p + 5 <= bytes.length) {
    const length = bytes.readUInt16BE(p + 3);
    if (p + 5 + length > bytes.length) break;
    out.push({ type: bytes[p]!, header: bytes.subarray(p, p + 5), body: bytes.subarray(p + 5, p + 5 + length) });
    p += 5 + length;
  }
  return out;
}

interface HandshakeMessage {
  type: number;
  body: Buffer;
}

function handshakeMessages(stream: Buffer): HandshakeMessage[] {
  const out: HandshakeMessage[] = [];
  let p = 0;
  while (p + 4 <= stream.length) {
    const length = stream.readUIntBE(p + 1, 3);
    if (p + 4 + length > stream.length) break;
    out.push({ type: stream[p]!, body: stream.subarray(p + 4, p + 4 + length) });
    p += 4 + length;
  }
  return out;
}

interface DnAttribute {
  shortName?: string;
  name?: string;
  type: string;
  value: unknown;
}

/** A DER DistinguishedName as `CN=…, O=…`, or a hex fingerprint of it when it does not parse. */
function distinguishedName(der: Buffer): string {
  try {
    const rdn = forge.asn1.fromDer(der.toString('binary'));
    const attrs = (forge.pki as unknown as { RDNAttributesAsArray(rdn: forge.asn1.Asn1): DnAttribute[] }).RDNAttributesAsArray(rdn);
    // DER order, as Node's X509Certificate prints a subject.
    return attrs.map((a) => `${a.shortName ?? a.name ?? a.type}=${String(a.value)}`).join(', ');
  } catch {
    return `DER ${der.subarray(0, 32).toString('hex')}`;
  }
}

/** A list of DistinguishedName<1..2^16-1>, itself 2-byte length prefixed. */
function caNameList(list: Buffer): string[] {
  const names: string[] = [];
  let p = 0;
  while (p + 2 <= list.length) {
    const length = list.readUInt16BE(p);
    if (p + 2 + length > list.length) break;
    names.push(distinguishedName(list.subarray(p + 2, p + 2 + length)));
    p += 2 + length;
  }
  return names;
}

/** TLS 1.2: certificate_types<1..255>, supported_signature_algorithms<2..2^16-2>, certificate_authorities. */
function certificateRequest12(body: Buffer): string[] {
  let p = 1 + body[0]!;
  p += 2 + body.readUInt16BE(p);
  return caNameList(body.subarray(p + 2, p + 2 + body.readUInt16BE(p)));
}

/** TLS 1.3: certificate_request_context<0..255>, extensions (certificate_authorities is 47). */
function certificateRequest13(body: Buffer): string[] {
  let p = 1 + body[0]!;
  const end = p + 2 + body.readUInt16BE(p);
  p += 2;
  while (p + 4 <= end) {
    const type = body.readUInt16BE(p);
    const length = body.readUInt16BE(p + 2);
    if (type === EXTENSION_CERTIFICATE_AUTHORITIES) {
      const list = body.subarray(p + 4, p + 4 + length);
      return caNameList(list.subarray(2, 2 + list.readUInt16BE(0)));
    }
    p += 4 + length;
  }
  return [];
}

interface ServerHello {
  version: string;
  cipherSuite: number;
  retry: boolean;
}

const LEGACY_VERSIONS: Record<number, string> = { 0x0300: 'SSLv3', 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };

function serverHello(body: Buffer): ServerHello {
  let version = body.readUInt16BE(0);
  const retry = body.subarray(2, 34).toString('hex') === HELLO_RETRY_RANDOM;
  let p = 34;
  p += 1 + body[p]!;
  const cipherSuite = body.readUInt16BE(p);
  p += 3;
  if (p + 2 <= body.length) {
    const end = p + 2 + body.readUInt16BE(p);
    p += 2;
    while (p + 4 <= end) {
      const type = body.readUInt16BE(p);
      const length = body.readUInt16BE(p + 2);
      if (type === EXTENSION_SUPPORTED_VERSIONS && length === 2) version = body.readUInt16BE(p + 4);
      p += 4 + length;
    }
  }
  return { version: LEGACY_VERSIONS[version] ?? `0x${version.toString(16)}`, cipherSuite, retry };
}

/** RFC 8446 §7.3 parameters of the three suites every TLS 1.3 stack offers. */
const TLS13_SUITES: Record<number, { cipher: string; hash: 'sha256' | 'sha384'; keyLength: number }> = {
  0x1301: { cipher: 'aes-128-gcm', hash: 'sha256', keyLength: 16 },
  0x1302: { cipher: 'aes-256-gcm', hash: 'sha384', keyLength: 32 },
  0x1303: { cipher: 'chacha20-poly1305', hash: 'sha256', keyLength: 32 },
};

/** HKDF-Expand-Label (RFC 8446 §7.1) with an empty context. */
function expandLabel(hash: string, secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`);
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i += 1) {
    previous = createHmac(hash, secret)
      .update(Buffer.concat([previous, info, Buffer.from([i])]))
      .digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** The server's encrypted handshake records opened with its handshake traffic secret, as one stream. */
function decryptHandshake(encrypted: readonly TlsRecord[], suite: number, secret: Buffer): Buffer {
  const params = TLS13_SUITES[suite];
  if (!params) return Buffer.alloc(0);
  const key = expandLabel(params.hash, secret, 'key', params.keyLength);
  const iv = expandLabel(params.hash, secret, 'iv', 12);
  const plain: Buffer[] = [];
  for (const [seq, record] of encrypted.entries()) {
    if (record.body.length < 17) break;
    const nonce = Buffer.from(iv);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    try {
      const decipher = createDecipheriv(params.cipher as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
      decipher.setAAD(record.header);
      decipher.setAuthTag(record.body.subarray(record.body.length - 16));
      const inner = Buffer.concat([decipher.update(record.body.subarray(0, record.body.length - 16)), decipher.final()]);
      let end = inner.length;
      while (end > 0 && inner[end - 1] === 0) end -= 1;
      if (inner[end - 1] !== CONTENT_HANDSHAKE) break;
      plain.push(inner.subarray(0, end - 1));
      if (handshakeMessages(Buffer.concat(plain)).some((m) => m.type === HANDSHAKE_FINISHED)) break;
    } catch {
      break; // not a handshake record of this secret (the application keys took over)
    }
  }
  return Buffer.concat(plain);
}

/** `SERVER_HANDSHAKE_TRAFFIC_SECRET <client random> <secret>` from Node's keylog lines. */
export function serverHandshakeSecret(keylog: readonly string[]): Buffer | undefined {
  for (const line of keylog) {
    const m = /^SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]+ ([0-9a-f]+)\s*$/i.exec(line);
    if (m) return Buffer.from(m[1]!, 'hex');
  }
  return undefined;
}

/** Reads the server's first flight from the raw bytes it sent; `secret` opens a TLS 1.3 flight. */
export function readServerFlight(bytes: Buffer, secret?: Buffer): ServerFlight {
  const flight: ServerFlight = { isTls: looksLikeTls(bytes) };
  if (!flight.isTls) return flight;
  try {
    const all = records(bytes);
    const plainHandshake: Buffer[] = [];
    let i = 0;
    for (; i < all.length && all[i]!.type !== CONTENT_APPLICATION_DATA; i += 1) {
      if (all[i]!.type === CONTENT_HANDSHAKE) plainHandshake.push(all[i]!.body);
      if (all[i]!.type === CONTENT_CHANGE_CIPHER_SPEC && flight.version !== 'TLSv1.3') break;
      const hello = handshakeMessages(Buffer.concat(plainHandshake)).filter((m) => m.type === HANDSHAKE_SERVER_HELLO);
      if (hello.length > 0) flight.version = serverHello(hello[hello.length - 1]!.body).version;
    }
    const messages = handshakeMessages(Buffer.concat(plainHandshake));
    const hellos = messages.filter((m) => m.type === HANDSHAKE_SERVER_HELLO).map((m) => serverHello(m.body));
    const hello = hellos.filter((h) => !h.retry).pop();
    if (hello?.version === 'TLSv1.3') {
      if (!secret) return flight;
      const encrypted = all.slice(i).filter((r) => r.type === CONTENT_APPLICATION_DATA);
      const request = handshakeMessages(decryptHandshake(encrypted, hello.cipherSuite, secret)).find((m) => m.type === HANDSHAKE_CERTIFICATE_REQUEST);
      if (request) flight.certificateRequest = { caNames: certificateRequest13(request.body) };
      return flight;
    }
    const request = messages.find((m) => m.type === HANDSHAKE_CERTIFICATE_REQUEST);
    if (request) flight.certificateRequest = { caNames: certificateRequest12(request.body) };
  } catch {
    // A truncated or odd flight: what was read so far stands.
  }
  return flight;
}
