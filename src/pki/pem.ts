// Reads bytes as PEM text: encoding quirks first, then the BEGIN/END block structure.
//
// OpenSSL (and so node:crypto) hides *why* a paste is broken behind one generic message, and it
// silently skips some damage (text before BEGIN, text after END). This scanner names the damage
// itself, in file order, so that callers can say exactly what to fix. It never decides whether a
// block's DER is a valid certificate or key: that is node:crypto's job (certificate.ts, key.ts).
//
// Rules were checked against Node 20 / OpenSSL 3.0 (reference/signatures.md §7): leading blank
// lines, indented or tab-split body lines, one long body line, trailing blanks on BEGIN/END lines
// and a blank line right after BEGIN are accepted; an indented BEGIN or END line, a blank line in
// the body, missing padding and '=' mid-body are rejected.
import type { InputNote } from './types.js';

/** At most this many blocks are scanned; a real chain has a handful, a CA bundle a few hundred. */
export const MAX_BLOCKS = 1000;

/** What the bytes are, before any PEM parsing. */
export type InputShape =
  | 'empty' //         nothing, or only whitespace
  | 'der' //           binary ASN.1 (starts with a SEQUENCE tag)
  | 'utf16' //         text saved as UTF-16 (a Windows editor); PEM must be ASCII
  | 'binary' //        other binary data
  | 'double-base64' // base64 of a PEM file (starts LS0tLS1, base64 of "-----")
  | 'bare-base64' //   base64 without BEGIN/END lines (e.g. a PEM body, or base64 of DER)
  | 'cr-line-ends' //  lines end in a lone CR (classic Mac); OpenSSL finds no BEGIN line in them
  | 'text';

export interface PreparedInput {
  notes: InputNote[];
  /** BOM removed, CRLF turned into LF; decoded byte for byte (latin1), so nothing is lost or invented. */
  text: string;
  shape: InputShape;
}

export interface PemBlock {
  /** 0-based position among the blocks. */
  index: number;
  /** The word(s) between BEGIN and the dashes, e.g. CERTIFICATE. Input text: never put it in a detail. */
  label: string;
  /** RFC 1421 header lines (only legacy encrypted keys have them), e.g. ['Proc-Type', '4,ENCRYPTED']. */
  headers: Array<[string, string]>;
  /** The body without whitespace, checked to be canonical base64. */
  base64: string;
  der: Buffer;
  /** The block as written, BEGIN line to END line, LF line ends: what node:crypto should see. */
  text: string;
}

export type PemProblemKind =
  'bad-begin-line' | 'bad-end-line' | 'missing-end-line' | 'bad-base64' | 'no-newline-between-blocks' | 'trailing-garbage' | 'leading-garbage';

export interface PemProblem {
  kind: PemProblemKind;
  /** One sentence for people; never contains input bytes. */
  detail: string;
  blockIndex?: number;
  /** The text from the damaged block on, to ask node:crypto for its own error code. */
  nodeInput: string;
}

export interface PemScan {
  blocks: PemBlock[];
  /** The first damage, in file order; blocks holds the blocks before it. */
  problem?: PemProblem;
  /** More than MAX_BLOCKS blocks: the rest was not scanned. */
  truncated: boolean;
}

/** "1st", "2nd", "3rd", "11th": block numbers for people are 1-based and spelled as ordinals. */
export function ordinal(index: number): string {
  const n = index + 1;
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

const WHITESPACE_ONLY = /^[ \t\n\r\f\v]*$/;
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;
const CANONICAL_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function looksLikeDer(bytes: Buffer): boolean {
  if (bytes.length < 2 || bytes[0] !== 0x30) return false;
  const len = bytes[1] as number;
  // Long-form lengths (0x81..0x84) never follow '0' in text; short forms are only DER if binary.
  if (len >= 0x81 && len <= 0x84) return true;
  return len < 0x80 && hasControlBytes(bytes.subarray(0, 64));
}

function hasControlBytes(bytes: Buffer): boolean {
  for (const b of bytes) {
    // Tab, LF, VT, FF and CR are text; every other C0 control (NUL included) and DEL is binary.
    if ((b < 0x20 && (b < 0x09 || b > 0x0d)) || b === 0x7f) return true;
  }
  return false;
}

/** Classifies the bytes and normalises the text. BOM and CRLF are noted, never failures. */
export function prepareInput(bytes: Buffer): PreparedInput {
  const notes: InputNote[] = [];
  if (bytes.length === 0) return { notes, text: '', shape: 'empty' };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { notes, text: '', shape: 'utf16' };
  }
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    notes.push('bom');
    body = bytes.subarray(3);
  }
  if (looksLikeDer(body)) return { notes, text: '', shape: 'der' };
  if (hasControlBytes(body)) return { notes, text: '', shape: 'binary' };
  let text = body.toString('latin1');
  if (text.includes('\r\n')) {
    notes.push('crlf');
    text = text.replace(/\r\n/g, '\n');
  }
  if (WHITESPACE_ONLY.test(text)) return { notes, text, shape: 'empty' };
  if (!text.includes('\n') && /\r./.test(text)) return { notes, text, shape: 'cr-line-ends' };
  // Base64 lines have no blanks inside them ("hello world" is text, not base64).
  if (!text.includes('-----') && BASE64_TEXT.test(text) && !/\S[ \t\f\v]+\S/.test(text)) {
    return { notes, text, shape: isDoubleBase64(text) ? 'double-base64' : 'bare-base64' };
  }
  return { notes, text, shape: 'text' };
}

function isDoubleBase64(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  if (compact.startsWith('LS0tLS1')) return true;
  // base64 of a PEM that began with a BOM or blank lines does not start LS0tLS1; decode a little.
  const head = Buffer.from(compact.slice(0, 128), 'base64').toString('latin1');
  return /^(\u00ef\u00bb\u00bf)?\s*-----BEGIN /.test(head);
}

/** Decodes base64 text that prepareInput called bare or double base64. */
export function decodeBase64Text(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'base64');
}

/** Lines of text, LF-separated, without building an array (inputs may be 10 MB of newlines). */
function* lines(text: string): Generator<{ line: string; start: number; end: number }> {
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    yield { line: text.slice(pos, nl), start: pos, end: nl };
    pos = nl + 1;
  }
}

interface OpenBlock {
  index: number;
  label: string;
  start: number;
  headers: Array<[string, string]>;
  body: string[];
  /** A blank line came after the first body line. */
  blankAfterContent: boolean;
  /** A blank line ended the (possibly empty) header section; later "Name: value" lines are body. */
  headerSectionClosed: boolean;
}

const BEGIN_LINE = /^-----BEGIN ([^\n]*?)-----[ \t]*$/;

/**
 * A damaged BEGIN or END line ("----BEGIN CERTIFICATE-----", "  -----END X-----"): the word
 * after dashes. Looks only at a small window around the word, so a 10 MB line of dashes stays
 * linear (a regex like /-{2,}\s*BEGIN/ backtracks quadratically on it).
 */
function looksLikeArmour(line: string, word: 'BEGIN' | 'END'): boolean {
  const at = line.indexOf(word);
  if (at === -1) return false;
  const after = line.charAt(at + word.length);
  if (after !== ' ' && after !== '-' && after !== '\t' && after !== '') return false;
  const before = line.slice(Math.max(0, at - 12), at);
  return /-\s*$/.test(before) || (word === 'END' && before.trim() === '' && /^\s*$/.test(line.slice(0, at)));
}
const HEADER_LINE = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/;

/** Splits normalised text into PEM blocks, stopping at the first damage. */
export function scanPem(text: string): PemScan {
  const blocks: PemBlock[] = [];
  let open: OpenBlock | null = null;
  /** Non-blank text seen outside any block since the last END line (or the start). */
  let strayText = false;
  const fail = (kind: PemProblemKind, detail: string, from: number, blockIndex?: number): PemScan => {
    const problem: PemProblem = { kind, detail, nodeInput: text.slice(from) };
    if (blockIndex !== undefined) problem.blockIndex = blockIndex;
    return { blocks, problem, truncated: false };
  };

  for (const { line, start, end } of lines(text)) {
    if (open === null) {
      const at = line.indexOf('-----BEGIN ');
      if (at === -1) {
        if (looksLikeArmour(line, 'BEGIN')) {
          return fail(
            'bad-begin-line',
            `The BEGIN line of the ${ordinal(blocks.length)} PEM block is malformed: it must read exactly -----BEGIN <TYPE>----- from the first column.`,
            start,
            blocks.length,
          );
        }
        if (!WHITESPACE_ONLY.test(line)) strayText = true;
        continue;
      }
      if (blocks.length >= MAX_BLOCKS) return { blocks, truncated: true };
      const index = blocks.length;
      if (at > 0) {
        const indented = WHITESPACE_ONLY.test(line.slice(0, at));
        if (index === 0 || indented) {
          return fail(
            'leading-garbage',
            indented
              ? `The BEGIN line of the ${ordinal(index)} PEM block is indented; PEM lines must start in the first column (was it pasted from YAML?).`
              : 'There is text before the first BEGIN line on the same line.',
            start,
            index,
          );
        }
        return fail('trailing-garbage', `There is text after the ${ordinal(index - 1)} PEM block, before the next BEGIN line.`, start, index - 1);
      }
      if (strayText) {
        if (index === 0) return fail('leading-garbage', 'There is text before the first BEGIN line.', 0, 0);
        return fail('trailing-garbage', `There is text between the ${ordinal(index - 1)} and the ${ordinal(index)} PEM blocks.`, start, index - 1);
      }
      const m = BEGIN_LINE.exec(line);
      if (!m || (m[1] as string).includes('-') || (m[1] as string).trim() === '') {
        return fail(
          'bad-begin-line',
          `The BEGIN line of the ${ordinal(index)} PEM block is malformed: it must read exactly -----BEGIN <TYPE>-----.`,
          start,
          index,
        );
      }
      open = { index, label: m[1] as string, start, headers: [], body: [], blankAfterContent: false, headerSectionClosed: false };
      continue;
    }

    // Inside a block.
    const block: OpenBlock = open;
    const trimmed = line.trim();
    if (line.startsWith('-----END ') || (looksLikeArmour(trimmed, 'END') && trimmed.includes('--'))) {
      const expected = `-----END ${block.label}-----`;
      if (line.startsWith(expected)) {
        const rest = line.slice(expected.length);
        if (rest.startsWith('-----BEGIN') || /^\s*-----BEGIN/.test(rest)) {
          return fail(
            'no-newline-between-blocks',
            `The END line of the ${ordinal(block.index)} PEM block runs straight into the next BEGIN line; put a newline between them.`,
            block.start,
            block.index,
          );
        }
        if (!WHITESPACE_ONLY.test(rest)) {
          return fail('bad-end-line', `The END line of the ${ordinal(block.index)} PEM block has text after it on the same line.`, block.start, block.index);
        }
      } else if (line.includes('-----BEGIN')) {
        return fail(
          'no-newline-between-blocks',
          `The END line of the ${ordinal(block.index)} PEM block runs straight into the next BEGIN line, and it is damaged.`,
          block.start,
          block.index,
        );
      } else {
        return fail(
          'bad-end-line',
          `The END line of the ${ordinal(block.index)} PEM block is damaged: it must read exactly -----END <TYPE>----- with the same type as its BEGIN line, from the first column.`,
          block.start,
          block.index,
        );
      }
      if (block.blankAfterContent) {
        return fail('bad-base64', `The ${ordinal(block.index)} PEM block has a blank line inside its base64 body.`, block.start, block.index);
      }
      const base64 = block.body.join('');
      if (!CANONICAL_BASE64.test(base64) || base64.length % 4 !== 0) {
        const detail = CANONICAL_BASE64.test(base64)
          ? `The base64 body of the ${ordinal(block.index)} PEM block is cut short (its length is not a multiple of 4).`
          : `The ${ordinal(block.index)} PEM block contains characters that are not base64 (or '=' padding before the end).`;
        return fail('bad-base64', detail, block.start, block.index);
      }
      blocks.push({
        index: block.index,
        label: block.label,
        headers: block.headers,
        base64,
        der: Buffer.from(base64, 'base64'),
        text: `${text.slice(block.start, end)}\n`,
      });
      open = null;
      strayText = false;
      continue;
    }
    if (line.includes('-----BEGIN ')) {
      return fail(
        'missing-end-line',
        `The ${ordinal(block.index)} PEM block has no END line before the next BEGIN line (a truncated paste?).`,
        block.start,
        block.index,
      );
    }
    if (trimmed === '') {
      // OpenSSL reads a blank line before the body (right after BEGIN or after header lines) as
      // the end of the headers; inside the body it breaks decoding (signatures: WRONG_TAG or
      // NOT_PROC_TYPE), so it is reported when the next body or END line comes.
      if (block.body.length === 0) block.headerSectionClosed = true;
      else block.blankAfterContent = true;
      continue;
    }
    if (block.blankAfterContent) {
      return fail('bad-base64', `The ${ordinal(block.index)} PEM block has a blank line inside its base64 body.`, block.start, block.index);
    }
    const header = block.body.length === 0 && !block.headerSectionClosed ? HEADER_LINE.exec(trimmed) : null;
    if (header) {
      block.headers.push([header[1] as string, (header[2] as string).trim()]);
      continue;
    }
    block.body.push(trimmed.replace(/[ \t\f\v\r]+/g, ''));
  }

  if (open !== null) {
    return fail('missing-end-line', `The ${ordinal(open.index)} PEM block has no END line (a truncated paste?).`, open.start, open.index);
  }
  if (strayText && blocks.length > 0) {
    return {
      blocks,
      truncated: false,
      problem: { kind: 'trailing-garbage', detail: `There is text after the END line of the last (${ordinal(blocks.length - 1)}) PEM block.`, nodeInput: text },
    };
  }
  return { blocks, truncated: false };
}

/** The block rewritten in canonical form (64-column body, LF), so node:crypto judges only the DER. */
export function canonicalPem(label: string, base64: string): string {
  const body = base64.match(/.{1,64}/g)?.join('\n') ?? '';
  return `-----BEGIN ${label}-----\n${body}${body ? '\n' : ''}-----END ${label}-----\n`;
}
