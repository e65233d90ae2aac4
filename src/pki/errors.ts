// node:crypto errors carry a stable `code` (ERR_OSSL_PEM_BAD_END_LINE, …) and a message that
// depends on the bundled OpenSSL and may quote the input. Only the code is ever kept.

/** The error's code when it looks like one (capitals, digits, underscores); otherwise undefined. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,79}$/.test(code) ? code : undefined;
}

/** Runs f and returns the code it throws with, or undefined when it does not throw (or has none). */
export function codeThrownBy(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    return errorCode(err);
  }
}

/** " (ERR_X)" to end a detail sentence with, or nothing. */
export function codeSuffix(code: string | undefined): string {
  return code ? ` (${code})` : '';
}
