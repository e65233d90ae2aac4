// The shape of a check, after istio's analyzers: it declares its id, a one-line description, the
// causes it may report and the evidence it needs, and judges with a pure `run`. It never fetches
// anything: gather/ collected the evidence, and the runner (run.ts) decides what is skipped.
import type { CauseId } from '../causes/catalog.js';
import type { KubectlScope } from '../cmdline/kubectl.js';
import type { Finding } from '../report/finding.js';
import type { CheckInputs, InputName } from './inputs.js';

export interface CheckContext {
  now: Date;
  expiryWarningMs: number;
  /** How the fix is applied on this install (apigeectl or Helm), when known. */
  applyFix?: string;
  /** The cluster the run reads: every kubectl command a finding shows is built for it. */
  scope?: KubectlScope;
}

/** What a check says; the runner adds the check's id. */
export type Verdict = Omit<Finding, 'check'> & {
  /** Only for checks that report under other checks' ids (a curl transcript): one of `reportsAs`. */
  check?: string;
};

/** The inputs a check's `run` receives: everything gathered, its needs guaranteed present. */
export type Given<N extends InputName> = CheckInputs & Required<Pick<CheckInputs, N>>;

export interface Check<N extends InputName = InputName> {
  id: string;
  /** One line: what it checks (shown by `explain`). */
  description: string;
  /** Every cause id it may report (the meta-tests hold them to the catalog). */
  causes: readonly CauseId[];
  /** The evidence it needs; when one is absent the check is skipped with the reason gather gave. */
  needs: readonly N[];
  /** Judge only when this earlier check passed; else skip, saying `reason`. */
  after?: { check: string; reason: string };
  /** Leave it out of the report, instead of a skip, when what it needs is absent. */
  optional?: boolean;
  /** Checks that report under other ids (a transcript's causes, by the check they belong to). */
  reportsAs?: readonly string[];
  run(inputs: Given<N>, ctx: CheckContext): Verdict | readonly Verdict[];
}

/** Declares a check; the type parameter ties `run`'s inputs to `needs`. */
export function defineCheck<N extends InputName>(check: Check<N>): Check {
  return check as unknown as Check;
}

/**
 * Checks that only mean something together (the certificate checks on a secret's data, the served
 * chain of a probe): when the evidence they share is absent, the whole section is left out, or said
 * once as a skip of its first check.
 */
export interface Section {
  section: string;
  needs: InputName;
  whenAbsent: 'omit' | 'skip-first';
  checks: readonly RegistryEntry[];
}

export type RegistryEntry = Check | Section;

export const isSection = (entry: RegistryEntry): entry is Section => 'section' in entry;
