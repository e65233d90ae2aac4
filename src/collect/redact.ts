// Redaction for `collect`: everything that goes into the archive passes through one Redactor
// first. Pure: no I/O, no clock. The only state is the address → placeholder map, so that the
// same address reads the same in every file of one archive.
//
// What it does:
// - private keys (any `-----BEGIN … PRIVATE KEY-----` block: PKCS#8, RSA, EC, ENCRYPTED, OPENSSH,
//   PGP), every body line that belongs to one, base64-encoded PEM keys, and long base64 runs are
//   replaced by a marker. Always, even with --no-redact;
// - IPv4 and IPv6 addresses (full, compressed, IPv4-mapped) become stable placeholders such as
//   `<private-ipv4-1>` (unless addresses are kept);
// - Authorization / Cookie headers, bearer tokens, JWTs, Google (`ya29.`, `1//`) and AWS (`AKIA…`)
//   tokens, `token:` / `password:` / `client_secret` / `private_key` fields and passwords in URLs
//   are removed (unless tokens are kept).
import { isIP } from 'node:net';

export interface RedactOptions {
  /** Replace IP addresses with placeholders. */
  addresses: boolean;
  /** Remove bearer tokens, Authorization headers and token fields. */
  tokens: boolean;
}

export const KEY_MARKER = '<private key removed>';
export const BASE64_MARKER = '<base64 removed>';
export const REDACTED = '<redacted>';

export interface RedactionCounts {
  /** Address occurrences replaced. */
  addresses: number;
  /** Tokens, headers and credential fields removed. */
  tokens: number;
  /** Private key blocks and base64 runs removed. */
  keys: number;
}

// ---------------------------------------------------------------------------------------------
// Private keys

const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/;
const KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/;
/** base64 of "-----BEGIN": a PEM that was base64-encoded once more (a Secret's data value). */
const ENCODED_PEM = /LS0tLS1CRUdJT[A-Za-z0-9+/]*={0,2}/g;
/** A random-looking run this long is key material wherever it sits (a PEM line is 64 characters). */
const LONG_BASE64 = /[A-Za-z0-9+/]{60,}={0,2}/g;
/** Inside a key block, a line holding a run this long anywhere is one of its lines, in any log framing. */
const KEY_RUN = /[A-Za-z0-9+/]{40,}/;
const BASE64_LINE = /^[A-Za-z0-9+/]{40,}={0,2}$/;
const HEX = /^[0-9A-Fa-f]+$/;
/** PEM headers of an encrypted legacy key (RFC 1421) and of RFC 4716 keys. */
const PEM_HEADER = /^(Proc-Type|DEK-Info|Comment|Subject|Content-Domain|Originator-[A-Za-z-]+|Key-Info|MIC-Info|Recipient-ID-[A-Za-z]+):/i;
/** The longest key the body-line rule will swallow without its END line (an 8192-bit RSA key is ~100 lines). */
const MAX_KEY_LINES = 200;

/** Random base64 of this length has all three classes; hex digests, words and paths rarely do. */
const looksRandom = (run: string): boolean => !HEX.test(run) && /[0-9]/.test(run) && /[A-Z]/.test(run) && /[a-z]/.test(run);

const isBodyRun = (run: string): boolean => /^[A-Za-z0-9+/]{16,}={0,2}$/.test(run) && (looksRandom(run) || run.length >= 60);

/** Inside a key block: surely a line of the block (base64 body, possibly after a log prefix; a PEM header; blank). */
function isKeyBodyLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed === '' || PEM_HEADER.test(trimmed)) return true;
  // `ts=… msg="MIIEv…" caller=…`, `{"msg":"MIIEv…"}`, `[MIIEv…]`: one key line per log record.
  return KEY_RUN.test(trimmed) || isBodyRun(trimmed) || isBodyRun(trimmed.split(/\s+/).pop() ?? '');
}

// ---------------------------------------------------------------------------------------------
// Tokens and credentials

const SEP = String.raw`((?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)`;
/** `Authorization: Bearer …`, `"authorization":"Basic …"`, `Cookie: …`: the value to the end of the line or string. */
const HEADER = new RegExp(String.raw`\b((?:proxy-)?authorization|cookie|set-cookie)${SEP}([^"'\\\r\n]*)`, 'gi');
const BEARER = /\b(bearer)(\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
/** Google OAuth access tokens (`ya29.`, also `ya29.c.…`) and refresh tokens (`1//0…`), bare in a line. */
const GOOGLE_TOKEN = /\bya29\.[A-Za-z0-9._-]{20,}|(?<![\w/])1\/\/0[A-Za-z0-9_-]{20,}/g;
/** AWS access key ids (long-term AKIA…, temporary ASIA…). */
const AWS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
/** `token: …`, `access_token=…`, `"X-Auth-Token":"…"`, `password: …`, `api-key: …`. */
const FIELD = new RegExp(String.raw`\b([\w.-]*(?:token|password|passwd|api[_-]?key|client[_-]?secret|private_key(?:_id)?))${SEP}([^"'\\\s,;&)}\]]+)`, 'gi');
/** Credentials in a URL: scheme://user:password@host. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+:[^/\s@"']+@/gi;
/** Object keys whose string values are credentials. */
const CREDENTIAL_KEY = /(token|password|passwd|api[_-]?key|client[_-]?secret|private_key(?:_id)?|authorization|cookie)$/i;

// ---------------------------------------------------------------------------------------------
// Addresses

const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\d|\.\d)/g;
/** A run of hex digits, colons and dots with at least two colons; validated by isIP. */
const IPV6_CANDIDATE = /(?<![\w:.])(?=[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:)[0-9A-Fa-f:.]+(?![\w:])/g;

type AddressClass = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'public';

function ipv4Class(octets: readonly number[]): AddressClass {
  const [a = 0, b = 0] = octets;
  if (octets.every((o) => o === 0)) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  return 'public';
}

/** RFC 5952 form (what the WHATWG URL parser prints), lowercase and compressed. */
function canonicalIpv6(ip: string): string {
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

function ipv6Class(canonical: string): AddressClass {
  if (canonical === '::') return 'unspecified';
  if (canonical === '::1') return 'loopback';
  const first = parseInt(canonical.split(':')[0] || '0', 16);
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xfe00) === 0xfc00) return 'private';
  return 'public';
}

// ---------------------------------------------------------------------------------------------

export class Redactor {
  readonly counts: RedactionCounts = { addresses: 0, tokens: 0, keys: 0 };
  private readonly placeholders = new Map<string, string>();
  private ipv4Seen = 0;
  private ipv6Seen = 0;

  constructor(readonly options: RedactOptions) {}

  /** Distinct addresses replaced so far. */
  get distinctAddresses(): number {
    return this.placeholders.size;
  }

  /** A line-by-line redactor for one stream (a log): it remembers when it is inside a key block. */
  lines(): LineRedactor {
    return new LineRedactor(this);
  }

  /** A whole document, any number of lines. */
  text(text: string): string {
    const stream = this.lines();
    const out: string[] = [];
    for (const line of text.split('\n')) out.push(...stream.push(line));
    out.push(...stream.end());
    return out.join('\n');
  }

  /** Every string in a JSON-like value (keys too), and credential fields by name. */
  value<T>(input: T): T {
    return this.walk(input) as T;
  }

  private walk(v: unknown, key?: string): unknown {
    if (typeof v === 'string') {
      if (this.options.tokens && key !== undefined && CREDENTIAL_KEY.test(key) && v !== '') {
        this.counts.tokens += 1;
        return REDACTED;
      }
      return this.text(v);
    }
    if (Array.isArray(v)) return v.map((item) => this.walk(item, key));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[this.text(k)] = this.walk(item, k);
      return out;
    }
    return v;
  }

  /** The placeholder for one address; the same address (in any spelling) always gets the same one. */
  placeholder(address: string): string {
    let octets: number[] | null = isIP(address) === 4 ? address.split('.').map(Number) : null;
    const canonical = octets ? octets.join('.') : canonicalIpv6(address);
    if (!octets) {
      // An IPv4-mapped IPv6 address is the IPv4 address: one placeholder for both spellings.
      const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
      if (mapped) octets = mapped.slice(1).flatMap((h) => [parseInt(h, 16) >> 8, parseInt(h, 16) & 0xff]);
    }
    const key = octets ? octets.join('.') : canonical;
    let ph = this.placeholders.get(key);
    if (!ph) {
      ph = octets ? `<${ipv4Class(octets)}-ipv4-${++this.ipv4Seen}>` : `<${ipv6Class(canonical)}-ipv6-${++this.ipv6Seen}>`;
      this.placeholders.set(key, ph);
    }
    return ph;
  }

  /** One line's text outside any key block: keys, then tokens, then addresses. */
  scrub(text: string): string {
    let out = text.replace(ENCODED_PEM, (run) => {
      if (!Buffer.from(run, 'base64').toString('latin1').includes('PRIVATE KEY')) return run;
      this.counts.keys += 1;
      return KEY_MARKER;
    });
    out = out.replace(LONG_BASE64, (run) => {
      if (!looksRandom(run)) return run;
      this.counts.keys += 1;
      return BASE64_MARKER;
    });
    if (BASE64_LINE.test(out.trim()) && looksRandom(out.trim())) {
      // A lone PEM body line (its BEGIN line cut off by --tail, say).
      this.counts.keys += 1;
      return out.replace(out.trim(), BASE64_MARKER);
    }
    if (this.options.tokens) out = this.scrubTokens(out);
    if (this.options.addresses) out = this.scrubAddresses(out);
    return out;
  }

  private scrubTokens(text: string): string {
    const count = () => (this.counts.tokens += 1);
    return text
      .replace(URL_CREDENTIALS, (_m, scheme: string) => (count(), `${scheme}${REDACTED}@`))
      .replace(HEADER, (m, name: string, sep: string, value: string) =>
        value.trim() === '' || value.startsWith(REDACTED) ? m : (count(), `${name}${sep}${REDACTED}`),
      )
      .replace(BEARER, (_m, word: string, space: string) => (count(), `${word}${space}${REDACTED}`))
      .replace(JWT, () => (count(), REDACTED))
      .replace(GOOGLE_TOKEN, () => (count(), REDACTED))
      .replace(AWS_KEY_ID, () => (count(), REDACTED))
      .replace(FIELD, (m, name: string, sep: string, value: string) => (value.startsWith(REDACTED) ? m : (count(), `${name}${sep}${REDACTED}`)));
  }

  private scrubAddresses(text: string): string {
    const v6 = text.replace(IPV6_CANDIDATE, (run) => {
      const trimmed = run.replace(/[.:]+$/, '');
      const address = isIP(run) === 6 ? run : isIP(trimmed) === 6 ? trimmed : null;
      if (!address || !/[0-9A-Fa-f]/.test(address)) return run;
      this.counts.addresses += 1;
      return this.placeholder(address) + run.slice(address.length);
    });
    return v6.replace(IPV4, (m, ...octets: string[]) => {
      if (octets.slice(0, 4).some((o) => Number(o) > 255)) return m;
      this.counts.addresses += 1;
      return this.placeholder(octets.slice(0, 4).map(Number).join('.'));
    });
  }
}

/**
 * Redacts one stream line by line; a private key block that spans lines is dropped whole. A line
 * inside a block that is not surely part of it (the short last line of the body, say) is held
 * back until the next line tells: an END line means it was the key's, anything else that the
 * block was cut short and it is ordinary text.
 */
export class LineRedactor {
  private inKey = false;
  private keyLines = 0;
  private pending: string | null = null;

  constructor(private readonly redactor: Redactor) {}

  /** The lines that may be written now: none while inside a key block, two when a held line is released. */
  push(line: string): string[] {
    if (!this.inKey) return [this.outside(line)];
    const end = KEY_END.exec(line);
    if (end) {
      this.inKey = false;
      this.pending = null;
      const rest = line.slice(end.index + end[0].length);
      return rest.trim() === '' ? [] : [this.outside(rest)];
    }
    if (this.keyLines < MAX_KEY_LINES && isKeyBodyLine(line)) {
      // A held line between body lines was odd, but inside the block: it goes with the key.
      this.pending = null;
      this.keyLines += 1;
      return [];
    }
    if (this.pending === null && this.keyLines < MAX_KEY_LINES) {
      this.pending = line;
      return [];
    }
    // Two lines in a row that are not the key's: the block was cut short.
    const held = this.pending;
    this.inKey = false;
    this.pending = null;
    const released = held === null ? [] : [this.outside(held)];
    // The released line may itself have opened a new block: push decides again.
    return [...released, ...this.push(line)];
  }

  /** At the end of the stream: a held line was not followed by an END line, so it is text. */
  end(): string[] {
    const held = this.pending;
    this.pending = null;
    this.inKey = false;
    return held === null ? [] : [this.outside(held)];
  }

  private outside(line: string): string {
    let out = '';
    let rest = line;
    for (;;) {
      const begin = KEY_BEGIN.exec(rest);
      if (!begin) return out + this.redactor.scrub(rest);
      this.redactor.counts.keys += 1;
      out += this.redactor.scrub(rest.slice(0, begin.index)) + KEY_MARKER;
      const after = rest.slice(begin.index + begin[0].length);
      const end = KEY_END.exec(after);
      if (!end) {
        this.inKey = true;
        this.keyLines = 0;
        // Prose after the armour ("(PKCS#8, -----BEGIN … KEY-----); decrypt it") is not the key's:
        // keep it, so a JSON string or a sentence stays whole. Body on the same line goes.
        return KEY_RUN.test(after) ? out : out + this.redactor.scrub(after);
      }
      rest = after.slice(end.index + end[0].length);
    }
  }
}
