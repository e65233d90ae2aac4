// The apigee-watcher's tell-tale line for cause 1 (missing ingress secret). The watcher logs zap
// JSON whose `msg` is the constant "error during watch" and whose `error` holds the text, several
// errors joined with ", " (reference/apigee.md §12.1); other loggers put it in msg/message, and a
// line may be plain text. So the check is a substring match on the text and the secret name.

/** How far into a line a JSON record may start (e.g. after a `kubectl logs --timestamps` stamp). */
const MAX_JSON_PREFIX_CHARS = 64;

/** The line's JSON object, if the line is one (optionally after a short prefix). */
function parseJsonRecord(line: string): Record<string, unknown> | undefined {
  const start = line.indexOf('{');
  if (start === -1 || start > MAX_JSON_PREFIX_CHARS) return undefined;
  const body = line.slice(start).trimEnd();
  if (!body.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not JSON after all (or too deeply nested): the line is plain text.
  }
  return undefined;
}

/**
 * The message of a log line: the `error` field of a zap record (where the watcher puts the cause),
 * else its `msg` (zap, logr) or `message` field, else the line itself. Never throws; a non-string gives ''.
 */
export function extractWatcherMessage(line: string): string {
  if (typeof line !== 'string') return '';
  const record = parseJsonRecord(line);
  if (record !== undefined) {
    for (const field of ['error', 'msg', 'message']) {
      const value = record[field];
      if (typeof value === 'string') return value;
    }
  }
  return line;
}

/**
 * True when the line reports `failed to get secret "<secret>"`: in plain text, in the
 * msg/message of a JSON record, or anywhere in a JSON record with its quotes escaped (an
 * `error` field, or a record cut short). The closing quote makes the name match exactly:
 * secret "a" does not match `failed to get secret "a-b"`. Never throws.
 */
export function watcherSecretNotFound(line: string, secret: string): boolean {
  if (typeof line !== 'string' || typeof secret !== 'string' || secret === '') return false;
  const plain = `failed to get secret "${secret}"`;
  if (extractWatcherMessage(line).includes(plain)) return true;
  if (line.includes(plain)) return true;
  return line.includes(`failed to get secret \\"${secret}\\"`);
}
