// Flag values every command shares, checked and typed once.
import { shownValue } from '../apigee/names.js';
import { UsageError } from '../errors.js';
import type { Args } from './commands.js';
import { parseDuration } from './duration.js';
import { closestFirst } from '../apigee/closest-names.js';
import { CAUSES } from '../report/finding.js';
import type { FailOn } from '../report/policy.js';

export type OutputFormat = 'text' | 'json' | 'yaml';

export interface OutputRequest {
  format: OutputFormat;
  color: boolean;
  verbose: boolean;
  openssl: string;
  timeoutMs: number;
  /** Wrap text to this width (stdout is a terminal); absent: lines stay whole. */
  width?: number;
  /** --fail-on: with `warn`, a warning also exits 1. */
  failOn: FailOn;
  /** --ignore: causes reported as skip. */
  ignore: string[];
}

export function durationFlag(args: Args, flag: string): number {
  const text = String(args[flag]);
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError(`invalid --${flag} ${shownValue(text)}: use a duration like 30s, 5m, 1h or 14d`);
  return ms;
}

export function stringFlag(args: Args, flag: string): string | undefined {
  const value = args[flag];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) throw new UsageError(`--${flag} was given more than once`);
  const text = String(value);
  if (text === '') throw new UsageError(`--${flag} needs a value`);
  return text;
}

export function stringsFlag(args: Args, flag: string): string[] {
  const value = args[flag];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function outputRequest(args: Args, env: NodeJS.ProcessEnv, isTTY: boolean, columns?: number): OutputRequest {
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const timeoutMs = durationFlag(args, 'timeout');
  if (timeoutMs <= 0) throw new UsageError('--timeout must be more than zero');
  const request: OutputRequest = {
    format: String(args.output) as OutputFormat,
    color: isTTY && args.color !== false && !noColorEnv,
    verbose: args.verbose === true,
    openssl: stringFlag(args, 'openssl') ?? 'openssl',
    timeoutMs,
    failOn: args['fail-on'] === 'warn' ? 'warn' : 'fail',
    ignore: ignoredCauses(args),
  };
  // A terminal too narrow to be one (or none at all) gets whole lines.
  if (isTTY && columns !== undefined && columns >= 40) request.width = columns;
  return request;
}

/** --ignore CAUSE (repeatable, or comma-separated): cause ids of the catalog only. */
function ignoredCauses(args: Args): string[] {
  const causes = stringsFlag(args, 'ignore').flatMap((v) => v.split(',').map((c) => c.trim()));
  for (const cause of causes) {
    if ((CAUSES as readonly string[]).includes(cause)) continue;
    const [best] = closestFirst(cause, CAUSES);
    const shown = /^[a-z0-9-]{1,64}$/.test(cause) ? JSON.stringify(cause) : 'value';
    throw new UsageError(`unknown cause ${shown} for --ignore${best ? ` (did you mean ${best}?)` : ''}; kubectl apigee-tls explain lists them`);
  }
  return causes;
}
