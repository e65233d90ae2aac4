// Matching text against the catalog. Pure, linear in the input, and never throws.

import type { CauseId } from '../report/finding.js';
import { SIGNATURES } from './catalog.js';
import { causesFromNamedObject } from './named-object.js';
import { lineHead } from './normalise.js';
import type { Signature, SignatureKind, SignatureMatch } from './types.js';

/**
 * Lines shorter than this cannot hold any signature (the shortest text any entry matches is
 * `ECONRESET`, 9 characters), so they are skipped without running a single pattern: text made
 * of millions of empty or tiny lines stays cheap.
 */
const SHORTEST_SIGNATURE_CHARS = 9;

/**
 * One regex that matches wherever any catalog pattern matches: the alternation of them all.
 * Most lines of a log or transcript match nothing, and V8 rejects them with this one test
 * about fifty times faster than with ~100 separate ones. Sound because no catalog pattern has
 * flags (a test checks it), so each alternative means exactly what its pattern means.
 */
const ANY_SIGNATURE = new RegExp(SIGNATURES.map((s) => `(?:${s.pattern.source})`).join('|'));

function causesOf(signature: Signature, head: string): CauseId[] {
  if (signature.causes.length > 0 || !signature.causesFromNamedObject) return [...signature.causes];
  return causesFromNamedObject(head);
}

/**
 * The catalog entries found in one line. A line gets at most one match per kind: the first
 * catalog entry of that kind wins, so a documented, specific code is reported rather than the
 * family fallback that also matches it. Different kinds on one line are all reported (Envoy's
 * `Failed to load private key from <inline>, Cause: …NO_START_LINE` is a load failure and a
 * missing start line).
 *
 * Only the first MAX_LINE_CHARS characters are examined, after normaliseLine. `line` in each
 * match is the line as given. Never throws; a non-string gives [].
 */
export function matchLine(line: string, lineNumber = 1): SignatureMatch[] {
  if (typeof line !== 'string') return [];
  const head = lineHead(line);
  if (head.length < SHORTEST_SIGNATURE_CHARS || !ANY_SIGNATURE.test(head)) return [];
  const kindsSeen = new Set<SignatureKind>();
  const matches: SignatureMatch[] = [];
  for (const signature of SIGNATURES) {
    if (kindsSeen.has(signature.kind) || !signature.pattern.test(head)) continue;
    kindsSeen.add(signature.kind);
    matches.push({
      id: signature.id,
      kind: signature.kind,
      tool: signature.tool,
      causes: causesOf(signature, head),
      meaning: signature.meaning,
      source: signature.source,
      line,
      lineNumber,
    });
  }
  return matches;
}

/**
 * The catalog entries found in a text, line by line (LF or CRLF endings; the terminator is not
 * part of `line`), in order. Linear time: lines are found with indexOf, not a regex, and each
 * line costs at most MAX_LINE_CHARS of matching. Never throws; a non-string gives [].
 */
export function matchText(text: string): SignatureMatch[] {
  if (typeof text !== 'string') return [];
  const matches: SignatureMatch[] = [];
  let start = 0;
  let lineNumber = 1;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    // Skip short lines before slicing them: text of millions of tiny lines stays cheap.
    if (end - start >= SHORTEST_SIGNATURE_CHARS) {
      let line = text.slice(start, end);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      for (const match of matchLine(line, lineNumber)) matches.push(match);
    }
    if (newline === -1) break;
    start = newline + 1;
    lineNumber += 1;
  }
  return matches;
}
