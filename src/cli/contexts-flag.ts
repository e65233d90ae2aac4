// --context on diagnose and serve: repeated, or a comma-separated list (CONTRACT "Added later").
import { UsageError } from '../errors.js';
import type { Args } from './commands.js';
import { stringsFlag } from './common.js';

/** The contexts named, in order, once each; [] when none was given (kubectl's current one). */
export function contextsFlag(args: Args): string[] {
  const names = stringsFlag(args, 'context').flatMap((v) => v.split(',').map((n) => n.trim()));
  if (names.some((n) => n === '')) throw new UsageError('--context needs a value (a context name, or a comma-separated list)');
  // Passed as --context=value, so a leading dash cannot become a flag; control characters never belong.
  for (const n of names) if (/[\u0000-\u001f\u007f]/.test(n) || n.length > 4096) throw new UsageError('invalid --context: control characters or too long');
  return [...new Set(names)];
}

/** The args with --context taken out, for the one-context request builders. */
export function withoutContext(args: Args): Args {
  const rest: Args = { ...args };
  delete rest.context;
  return rest;
}
