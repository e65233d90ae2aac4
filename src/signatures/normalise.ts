// Line normalisation: make the same error print the same text on every run and every platform.

/**
 * Only this many leading characters of a line are examined. Every documented signature sits
 * well inside it (the longest real error lines are a few hundred characters), and the cap
 * bounds the work per line whatever the input: a pasted 5 MB base64 blob costs no more than a
 * 4 KB line.
 */
export const MAX_LINE_CHARS = 4096;

/**
 * OpenSSL prefixes each error line with a per-process thread id: hexadecimal in OpenSSL 3
 * (`4027D3D1197F0000:error:`, 8 digits on Windows), decimal in 1.x and LibreSSL
 * (`136613728412992:error:`, `8360934016:error:`); reference/signatures.md, "Thread-id
 * normalisation". Decimal digits are a subset of the hex class, so one pattern covers both.
 * Bounded to 24 digits so a hostile run of hex digits costs nothing. Leading blanks are kept
 * (text pasted from indented Markdown still normalises).
 */
const THREAD_ID_PREFIX = /^([ \t]*)[0-9A-F]{1,24}:error:/;

const BYTE_ORDER_MARK = 0xfeff;

/**
 * Normalises one line for matching and for stable evidence:
 * - the OpenSSL thread id becomes `<tid>`, so `136613728412992:error:…` reads `<tid>:error:…`;
 * - a trailing `\r` (CRLF text) and a leading UTF-8 byte-order mark are removed.
 *
 * curl's `* ` verbose markers are kept: no pattern is anchored at the start of a line except
 * diff's `Files … differ`, which curl never prints, so stripping them would change nothing
 * but the evidence, and the marker tells a reader the line came from `curl -v`.
 */
export function normaliseLine(line: string): string {
  if (typeof line !== 'string') return '';
  let text = line;
  if (text.charCodeAt(0) === BYTE_ORDER_MARK) text = text.slice(1);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  return text.replace(THREAD_ID_PREFIX, '$1<tid>:error:');
}

/** The part of a line that signatures are tested against: capped, then normalised. */
export function lineHead(line: string): string {
  return normaliseLine(line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line);
}
