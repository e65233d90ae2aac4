// The one scrubber for everything shown: every string that reaches stdout, stderr or the bundle
// passes here. Private-key material is removed (the collect redactor's key rules, whatever the
// framing: PEM blocks whole or in pieces, base64 of a PEM, one key line per log record), and for
// people the characters that steer a terminal (C0 and C1 controls, DEL, bidi overrides) become
// visible escapes. The cluster, a served certificate and a pasted flag are all untrusted text.
import { Document, visit, type Scalar } from 'yaml';
import { Redactor } from '../collect/redact.js';

/** C0 controls (but newline), DEL, C1 controls, bidi controls and the Unicode line separators. */
const UNSAFE_WITH_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** A string holding one of these is written double-quoted in YAML; tabs and newlines fit a block scalar. */
const QUOTE_IN_YAML = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** What JSON.stringify leaves raw that a terminal or an editor still obeys. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (code: number, width: number): string => code.toString(16).padStart(width, '0');
const escaped = (ch: string): string => {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
};

/** Controls as `\x1b`, `\u202e`…; `keepNewlines` for text whose lines are its structure (a log, stderr). */
export function escapeControls(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? UNSAFE_WITH_NEWLINE : UNSAFE, escaped);
}

/** Private-key material removed; addresses and tokens are the bundle's business, not this one's. */
export function removeKeyMaterial(text: string): string {
  if (!mayHoldKey(text)) return text;
  return new Redactor({ addresses: false, tokens: false }).text(text);
}

/**
 * Key material is base64: a body line is 64 characters, and base64 of a PEM starts `LS0tLS1`. Text
 * without either holds none, whatever armour it names: "(PKCS#8, -----BEGIN ENCRYPTED PRIVATE
 * KEY-----)" in a finding is a description, and stays as written.
 */
const mayHoldKey = (text: string): boolean => text.includes('LS0tLS1') || /[A-Za-z0-9+/]{40}/.test(text);

/** For a terminal or a log: keys removed, controls escaped, lines kept. */
export const scrubShown = (text: string): string => escapeControls(removeKeyMaterial(text), true);

/** Every string of a JSON-like value (keys too) through `fn`; `path` is the object key it sits under. */
export function mapStrings<T>(value: T, fn: (text: string, key: string | undefined) => string): T {
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string') return fn(v, key);
    if (Array.isArray(v)) return v.map((item) => walk(item, key));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[fn(k, undefined)] = walk(item, k);
      return out;
    }
    return v;
  };
  return walk(value, undefined) as T;
}

/** JSON text whose strings cannot steer a terminal: C1 and bidi characters as \u escapes (valid JSON). */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(mapStrings(value, removeKeyMaterial), null, 2).replace(UNSAFE_IN_JSON, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`)}\n`;
}

/**
 * YAML text likewise: a string holding such a character is written double-quoted (YAML escapes C0
 * and C1 there itself), and inside double quotes `\u202e` is YAML's own escape.
 */
export function yamlText(value: unknown): string {
  const doc = new Document(mapStrings(value, removeKeyMaterial));
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value === 'string' && QUOTE_IN_YAML.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 }).replace(UNSAFE_IN_JSON, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`);
}
