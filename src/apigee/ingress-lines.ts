// Which of the ingress's log lines are about one env group (reference/apigee.md §12.1, §12.5):
// istiod's name the credential `kubernetes://<secret>` (or its CA `<secret>-cacert`); Envoy's name
// no secret, so only the gateways the env group's selector picks count; the watcher joins several
// errors into one `error` field, and each error is about the secret, the ARC or a route it names.
import { extractWatcherMessage } from '../signatures/index.js';
import type { KubeObject } from './resources.js';

const NAME_CHAR = /[A-Za-z0-9.-]/;

/** `text` holds `name` as a whole name (not the prefix of a longer one) right after `at`. */
function wholeNameAt(text: string, at: number, name: string): boolean {
  const after = text.charAt(at + name.length);
  return after === '' || !NAME_CHAR.test(after);
}

/** istiod's line names the credential `kubernetes://<secret>` or its CA `kubernetes://<secret>-cacert`. */
export function namesCredential(text: string, secret: string): boolean {
  for (const name of [secret, `${secret}-cacert`]) {
    const needle = `kubernetes://${name}`;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) if (wholeNameAt(text, at, needle)) return true;
  }
  return false;
}

/** The errors of one watcher line: zap's `error` field (else msg, or the line), split where gRPC codes join them. */
export function watcherErrors(line: string): string[] {
  return extractWatcherMessage(line)
    .split(/, (?=[A-Z][A-Z_]{2,}: )/)
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
}

/** The error names one of these objects as a whole name (quoted or bare). */
export function namesAny(error: string, names: readonly string[]): boolean {
  return names.some((name) => {
    if (!name) return false;
    for (let at = error.indexOf(name); at !== -1; at = error.indexOf(name, at + 1)) {
      const before = at === 0 ? '' : error.charAt(at - 1);
      if ((before === '' || !NAME_CHAR.test(before)) && wholeNameAt(error, at, name)) return true;
    }
    return false;
  });
}

/** When the secret was last written: the newest managedFields[].time, else its creationTimestamp. */
export function lastWriteOf(secret: KubeObject): string | undefined {
  const meta = secret.metadata as { managedFields?: Array<{ time?: unknown }>; creationTimestamp?: unknown } | undefined;
  const times = (Array.isArray(meta?.managedFields) ? meta.managedFields : [])
    .map((f) => f?.time)
    .filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)));
  if (times.length > 0) return times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  return typeof meta?.creationTimestamp === 'string' ? meta.creationTimestamp : undefined;
}

/** A pod's labels satisfy a matchLabels-style selector (every key equal; an empty selector matches none). */
export function selects(selector: Readonly<Record<string, string>>, pod: KubeObject): boolean {
  const entries = Object.entries(selector);
  const labels = pod.metadata?.labels ?? {};
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** The route config's spec.selector (string values only). */
export function routeConfigSelector(arc: KubeObject | undefined): Record<string, string> {
  const selector = (arc?.spec as { selector?: unknown } | undefined)?.selector;
  if (!selector || typeof selector !== 'object') return {};
  return Object.fromEntries(Object.entries(selector as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
