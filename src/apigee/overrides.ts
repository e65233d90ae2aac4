// overrides.yaml as Apigee hybrid reads it: top-level org and namespace, and virtualhosts[] (one
// per env group) with either a cert/key file pair (option 1) or a secret (sslSecret, option 2).
import { isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { hostnameProblem, nameProblem } from './names.js';

export interface VirtualHost {
  name: string;
  sslCertPath?: string;
  sslKeyPath?: string;
  sslSecret?: string;
  caCertPath?: string;
  tlsMode?: string;
  /** 1.2's virtualhosts[].hostAliases[] (reference/apigee.md §2): hostnames the certificate must cover. */
  hostAliases?: string[];
}

export interface Overrides {
  org?: string;
  namespace?: string;
  virtualhosts: VirtualHost[];
}

const MAX_OVERRIDES_BYTES = 4 * 1024 * 1024;

const stringField = (o: Record<string, unknown>, key: string): string | undefined =>
  typeof o[key] === 'string' && (o[key] as string).length > 0 ? (o[key] as string) : undefined;

function virtualHostOf(entry: unknown): VirtualHost | null {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return null;
  const o = entry as Record<string, unknown>;
  const name = stringField(o, 'name');
  if (!name) return null;
  const vh: VirtualHost = { name };
  for (const key of ['sslCertPath', 'sslKeyPath', 'sslSecret', 'caCertPath', 'tlsMode'] as const) {
    const value = stringField(o, key);
    if (value !== undefined) vh[key] = value;
  }
  const aliases = Array.isArray(o.hostAliases) ? o.hostAliases.filter((a): a is string => typeof a === 'string' && a.length > 0) : [];
  if (aliases.length) vh.hostAliases = aliases;
  return vh;
}

// The yaml library recurses per level and a few thousand levels overflow the stack; real
// overrides files nest a handful of levels.
const MAX_NESTING = 64;

/** The deepest block indentation, sequence-dash run or flow bracket nesting, in levels. */
export function nestingDepth(text: string): number {
  let deepest = 0;
  let flow = 0;
  for (const line of text.split('\n')) {
    const lead = /^([ \t]*)((?:- +)*)/.exec(line)!;
    deepest = Math.max(deepest, Math.floor(lead[1]!.length / 2) + (lead[2]!.match(/-/g)?.length ?? 0));
    for (const ch of line) {
      if (ch === '[' || ch === '{') deepest = Math.max(deepest, ++flow);
      else if ((ch === ']' || ch === '}') && flow > 0) flow -= 1;
    }
  }
  return deepest;
}

/** Names read from the file reach kubectl and the report like typed ones: the first bad one, or null. */
export function overridesNameProblem(overrides: Overrides): string | null {
  if (overrides.org) {
    const p = nameProblem('org', overrides.org);
    if (p) return p;
  }
  for (const vh of overrides.virtualhosts) {
    const p = nameProblem('env group', vh.name) ?? (vh.sslSecret ? nameProblem('secret', vh.sslSecret) : null);
    if (p) return p;
    for (const alias of vh.hostAliases ?? []) {
      const h = hostnameProblem(alias);
      if (h) return h;
    }
  }
  return null;
}

/**
 * Parses overrides.yaml. Errors name only the line and column: the YAML library's own messages
 * quote the offending text, and an overrides file may hold inline secrets.
 */
export function parseOverrides(text: string): { ok: true; overrides: Overrides } | { ok: false; error: string } {
  if (text.length > MAX_OVERRIDES_BYTES) return { ok: false, error: 'is larger than 4 MiB; not an overrides file' };
  if (nestingDepth(text) > MAX_NESTING) return { ok: false, error: `nests deeper than ${MAX_NESTING} levels; not an overrides file` };
  let doc: ReturnType<typeof parseDocument>;
  try {
    // logLevel error: the library's warnings go to stderr and quote the input.
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  } catch {
    return { ok: false, error: 'is not valid YAML' };
  }
  if (doc.errors.length > 0) {
    const pos = doc.errors[0]!.linePos?.[0];
    return { ok: false, error: `is not valid YAML${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}` };
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return { ok: false, error: 'is not valid YAML (an alias that is unknown or expands too far)' };
  }
  if (!root || typeof root !== 'object' || Array.isArray(root)) return { ok: false, error: 'is not a YAML mapping (expected org:, virtualhosts: …)' };
  const o = root as Record<string, unknown>;
  const list = Array.isArray(o.virtualhosts) ? o.virtualhosts : [];
  const overrides: Overrides = { virtualhosts: list.map(virtualHostOf).filter((v): v is VirtualHost => v !== null) };
  const org = stringField(o, 'org');
  if (org) overrides.org = org;
  const namespace = stringField(o, 'namespace');
  if (namespace) overrides.namespace = namespace;
  return { ok: true, overrides };
}

/** A place a relative path from overrides.yaml may resolve to, and the install rule that puts it there. */
export interface CandidatePath {
  path: string;
  rule: string;
}

/**
 * Where a relative sslCertPath may live, in order: the current directory (apigeectl resolves paths
 * against the directory it runs in, normally hybrid-files/), beside overrides.yaml, then inside the
 * apigee-virtualhost/ chart folder beside it (Helm reads cert files only from inside the chart).
 */
export function candidatePaths(cwd: string, overridesDir: string, path: string): CandidatePath[] {
  if (isAbsolute(path)) return [{ path, rule: 'an absolute path' }];
  const dir = resolve(cwd, overridesDir);
  const all = [
    { path: join(cwd, path), rule: "relative to the current directory (apigeectl's rule)" },
    { path: join(dir, path), rule: 'relative to the overrides file' },
    { path: join(dir, 'apigee-virtualhost', path), rule: "in apigee-virtualhost/ beside the overrides file (Helm's rule)" },
  ];
  return all.filter((c, i) => all.findIndex((o) => o.path === c.path) === i);
}
