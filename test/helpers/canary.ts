// The leak canary: private keys made at test time, planted wherever a key could sit, and looked
// for in everything the product prints or writes. A key leaks when a line of its PEM body shows
// (leakedKeyLines, the project's canary), and also when a shorter run of it shows in another
// spelling: a 24-character run of the base64 body (an echo cut at 80 characters, or the body
// joined into one line), a run of the base64 of the whole PEM (a Secret's data value), or the
// private values in hex (what `openssl pkey -text` prints).
//
// Only runs that carry private bytes count. A key's DER also holds structure (version, algorithm
// identifier, lengths) that is the same for every key, and its public half (the RSA modulus, the
// EC point), which the certificate carries too and a report may legitimately show; a run whose
// bytes are all public or structural is not a leak. So each run is mapped back to the DER bytes
// it encodes, and it is a needle only when at least 8 of them belong to a private value
// (d, p, q, dp, dq, qi for RSA; d for EC).
import type { KeyObject } from 'node:crypto';
import { leakedKeyLines } from './cluster.js';

export interface Canary {
  /** 'rsa' or 'ec': used in failure messages only. */
  name: string;
  key: KeyObject;
  /** PKCS#8 PEM (-----BEGIN PRIVATE KEY-----). */
  pkcs8: string;
  /** The traditional form: PKCS#1 for RSA (-----BEGIN RSA PRIVATE KEY-----), SEC1 for EC. */
  traditional: string;
  /** Strings whose presence anywhere is a leak, with what they are. */
  needles: readonly Needle[];
}

export interface Needle {
  what: string;
  text: string;
}

/** At least this many private bytes make a run key material. */
const MIN_PRIVATE_BYTES = 8;
/** Length of a base64 run looked for, and how far apart runs start (any leak of 31+ chars holds one). */
const RUN = 24;
const STEP = 8;

const PRIVATE_FIELDS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

interface PemLayout {
  /** The PEM type, e.g. PRIVATE KEY. */
  form: string;
  pem: string;
  /** Body lines, in order. */
  lines: string[];
  /** The body without whitespace. */
  body: string;
  der: Buffer;
  /** For each character of the PEM text, the DER byte it encodes (-1 for armour and newlines). */
  derByteOfChar: Int32Array;
  /** 1 where the DER byte belongs to a private value. */
  privateMask: Uint8Array;
}

function privateValues(key: KeyObject): Buffer[] {
  const jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
  return PRIVATE_FIELDS.map((f) => jwk[f])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => Buffer.from(v, 'base64url'));
}

function layout(pem: string, key: KeyObject): PemLayout {
  const form = pem.split('\n')[0]!.replace(/^-----BEGIN |-----$/g, '');
  const derByteOfChar = new Int32Array(pem.length).fill(-1);
  const lines: string[] = [];
  let k = 0;
  let pos = 0;
  for (const line of pem.split('\n')) {
    if (line !== '' && !line.startsWith('-----')) {
      lines.push(line);
      for (let i = 0; i < line.length; i += 1) derByteOfChar[pos + i] = Math.floor(((k + i) * 3) / 4);
      k += line.length;
    }
    pos += line.length + 1;
  }
  const body = lines.join('');
  const der = Buffer.from(body, 'base64');
  const privateMask = new Uint8Array(der.length);
  for (const v of privateValues(key)) {
    // Values are big-endian and minimal; DER may add a leading zero, SEC1 pads d to the curve size.
    const at = der.indexOf(v);
    if (at >= 0) privateMask.fill(1, at, at + v.length);
  }
  return { form, pem, lines, body, der, derByteOfChar, privateMask };
}

const privateBytesIn = (l: PemLayout, from: number, to: number): number => {
  let n = 0;
  for (let i = Math.max(0, from); i < Math.min(to, l.der.length); i += 1) n += l.privateMask[i]!;
  return n;
};

/** DER byte range encoded by body characters [from, to). */
const derRangeOfBody = (from: number, to: number): [number, number] => [Math.floor((from * 3) / 4), Math.ceil((to * 3) / 4)];

const hexColons = (hex: string): string => hex.match(/../g)?.join(':') ?? '';

function chunks(text: string, size: number, step: number): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (let i = 0; i + size <= text.length; i += step) out.push([i, text.slice(i, i + size)]);
  return out;
}

function canaryNeedles(key: KeyObject, layouts: readonly PemLayout[]): Needle[] {
  const needles: Needle[] = [];
  for (const l of layouts) {
    for (const [at, text] of chunks(l.body, RUN, STEP)) {
      if (privateBytesIn(l, ...derRangeOfBody(at, at + RUN)) >= MIN_PRIVATE_BYTES) needles.push({ what: `${l.form}: a base64 body run`, text });
    }
    // base64 of the PEM text: each run covers some PEM characters, and so some DER bytes.
    const dataValue = Buffer.from(l.pem, 'latin1').toString('base64');
    for (const [at, text] of chunks(dataValue, RUN, STEP)) {
      const firstChar = Math.floor((at * 3) / 4);
      const lastChar = Math.ceil(((at + RUN) * 3) / 4);
      const bytes = new Set<number>();
      for (let c = firstChar; c < lastChar && c < l.derByteOfChar.length; c += 1) if (l.derByteOfChar[c]! >= 0) bytes.add(l.derByteOfChar[c]!);
      const priv = [...bytes].filter((b) => l.privateMask[b] === 1).length;
      if (priv >= MIN_PRIVATE_BYTES) needles.push({ what: `${l.form}: base64 of the PEM (a Secret data value)`, text });
    }
  }
  for (const v of privateValues(key)) {
    const hex = v.toString('hex');
    for (const [, c] of chunks(hex, 2 * MIN_PRIVATE_BYTES * 2, 2 * MIN_PRIVATE_BYTES)) {
      needles.push({ what: 'a private value in hex', text: c }, { what: 'a private value in HEX', text: c.toUpperCase() });
    }
    for (const [, c] of chunks(hexColons(hex), 3 * MIN_PRIVATE_BYTES - 1, 3)) needles.push({ what: 'a private value as openssl -text prints it', text: c });
  }
  return needles;
}

const layoutsOf = new WeakMap<Canary, PemLayout[]>();

export function makeCanary(name: string, key: KeyObject): Canary {
  const pkcs8 = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  const traditional = key.export({ type: key.asymmetricKeyType === 'rsa' ? 'pkcs1' : 'sec1', format: 'pem' }).toString();
  const layouts = [layout(pkcs8, key), layout(traditional, key)];
  const canary: Canary = { name, key, pkcs8, traditional, needles: canaryNeedles(key, layouts) };
  layoutsOf.set(canary, layouts);
  return canary;
}

/**
 * What of the canaries shows in `text`, described without quoting the key: each PEM body line
 * holding private bytes (found with leakedKeyLines), and each other spelling.
 */
export function canaryLeaks(text: string, canaries: readonly Canary[]): string[] {
  const found: string[] = [];
  for (const c of canaries) {
    for (const l of layoutsOf.get(c)!) {
      for (const line of leakedKeyLines(text, `${l.lines.join('\n')}\n`)) {
        const index = l.lines.indexOf(line);
        const start = l.lines.slice(0, index).join('').length;
        if (privateBytesIn(l, ...derRangeOfBody(start, start + line.length)) >= MIN_PRIVATE_BYTES)
          found.push(`${c.name} ${l.form}: PEM body line ${index + 1}`);
      }
    }
    const kinds = new Set<string>();
    for (const n of c.needles) if (!kinds.has(n.what) && text.includes(n.text)) kinds.add(n.what);
    for (const what of kinds) found.push(`${c.name} ${what}`);
  }
  return found;
}

/** What the canary finds in its own PEMs: proof that it has something to look for. */
export function canarySelfTest(c: Canary): string[] {
  return canaryLeaks(`${c.pkcs8}\n${c.traditional}`, [c]);
}
