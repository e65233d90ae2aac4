// Errors that end a run with one clear line and the contract's exit code, never a stack trace.

/** Bad flags, arguments, names or files: nothing was run (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The diagnosis could not be completed: kubectl missing, cluster unreachable, forbidden (exit 3). */
export class IncompleteError extends Error {
  override name = 'IncompleteError';
  constructor(
    message: string,
    readonly hint?: string,
    /** The `check` of the error finding a -o json|yaml document carries (default `run`). */
    readonly check?: string,
  ) {
    super(message);
  }
}
