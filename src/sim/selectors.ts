// Label and field selectors as the apiserver reads them from `labelSelector` / `fieldSelector`.
// Equality (`=`, `==`, `!=`), existence (`k`, `!k`) and set forms (`k in (a,b)`, `k notin (a)`).
import type { K8sObject } from './types.js';

type Requirement =
  { op: 'eq' | 'ne'; key: string; value: string } | { op: 'in' | 'notin'; key: string; values: string[] } | { op: 'exists' | 'absent'; key: string };

/** Splits on commas outside parentheses: `a=b,c in (x,y)` → [`a=b`, `c in (x,y)`]. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** Parses a selector; throws Error with the apiserver-like reason when it is malformed. */
export function parseSelector(selector: string): Requirement[] {
  return splitTerms(selector).map((term): Requirement => {
    let m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(term);
    if (m) return { op: m[2] === '!=' ? 'ne' : 'eq', key: m[1] ?? '', value: m[3] ?? '' };
    m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
    if (m) {
      const values = (m[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      return { op: m[2] === 'in' ? 'in' : 'notin', key: m[1] ?? '', values };
    }
    m = /^(!?)([A-Za-z0-9][-A-Za-z0-9_./]*)$/.exec(term);
    if (m) return { op: m[1] ? 'absent' : 'exists', key: m[2] ?? '' };
    throw new Error(`unable to parse requirement: ${term}`);
  });
}

function test(req: Requirement, lookup: (key: string) => string | undefined): boolean {
  const actual = lookup(req.key);
  switch (req.op) {
    case 'eq':
      return actual === req.value;
    case 'ne':
      return actual !== req.value;
    case 'in':
      return actual !== undefined && req.values.includes(actual);
    case 'notin':
      return actual === undefined || !req.values.includes(actual);
    case 'exists':
      return actual !== undefined;
    case 'absent':
      return actual === undefined;
  }
}

export function matchesLabels(obj: K8sObject, requirements: Requirement[]): boolean {
  const labels = obj.metadata.labels ?? {};
  return requirements.every((r) => test(r, (k) => (Object.prototype.hasOwnProperty.call(labels, k) ? labels[k] : undefined)));
}

/** Field selectors by dotted path (`metadata.name`, `status.phase`, `type`). */
export function matchesFields(obj: K8sObject, requirements: Requirement[]): boolean {
  return requirements.every((r) =>
    test(r, (path) => {
      let value: unknown = obj;
      for (const part of path.split('.')) {
        if (value === null || typeof value !== 'object') return undefined;
        value = (value as Record<string, unknown>)[part];
      }
      // Fields compare as strings; a missing field equals "" like in the apiserver.
      return value === undefined || value === null ? '' : String(value);
    }),
  );
}

export type { Requirement };
