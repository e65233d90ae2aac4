// The one runner: checks in registry order, each skipped (with the reason) when the evidence it
// needs is absent or an earlier check it builds on did not pass. No check decides another's skip.
import { causeEntry, statusAllowed } from '../causes/catalog.js';
import type { Finding } from '../report/finding.js';
import { isSection, type Check, type CheckContext, type RegistryEntry, type Verdict } from './check.js';
import type { Evidence, InputName } from './inputs.js';

export const skipFinding = (check: string, summary: string): Finding => ({ check, status: 'skip', cause: null, summary, evidence: [], commands: [] });

function absence(needs: readonly InputName[], e: Evidence): string | null {
  const missing = needs.find((n) => e.inputs[n] === undefined);
  return missing === undefined ? null : (e.absent[missing] ?? `not checked: no ${missing}`);
}

/** A check that reports a cause it did not declare, or with a status its catalog entry forbids, is a bug. */
function checked(check: Check, verdict: Verdict): Finding {
  const id = verdict.check ?? check.id;
  if (verdict.check !== undefined && !check.reportsAs?.includes(verdict.check)) throw new Error(`check ${check.id} reported as ${verdict.check}`);
  if (verdict.cause !== null) {
    if (!check.causes.includes(verdict.cause)) throw new Error(`check ${check.id} reported the undeclared cause ${verdict.cause}`);
    if (!statusAllowed(verdict.cause, verdict.status))
      throw new Error(`check ${check.id}: ${verdict.cause} is ${causeEntry(verdict.cause).status}, not ${verdict.status}`);
  } else if (verdict.status === 'fail' || verdict.status === 'warn') {
    throw new Error(`check ${check.id} reported ${verdict.status} without a cause`);
  }
  const { check: _as, ...rest } = verdict;
  return { check: id, ...rest };
}

function runOne(check: Check, e: Evidence, ctx: CheckContext, earlier: readonly Finding[]): Finding[] {
  const missing = absence(check.needs, e);
  if (missing !== null) return check.optional ? [] : [skipFinding(check.id, missing)];
  if (check.after && earlier.find((f) => f.check === check.after!.check)?.status !== 'pass') return [skipFinding(check.id, check.after.reason)];
  const verdicts = check.run(e.inputs as Parameters<Check['run']>[0], ctx);
  return (Array.isArray(verdicts) ? verdicts : [verdicts as Verdict]).map((v) => checked(check, v));
}

export function runChecks(registry: readonly RegistryEntry[], e: Evidence, ctx: CheckContext, earlier: Finding[] = []): Finding[] {
  const findings = earlier;
  for (const entry of registry) {
    if (!isSection(entry)) {
      findings.push(...runOne(entry, e, ctx, findings));
      continue;
    }
    const missing = absence([entry.needs], e);
    if (missing === null) runChecks(entry.checks, e, ctx, findings);
    else if (entry.whenAbsent === 'skip-first') findings.push(skipFinding(firstCheckOf(entry.checks), missing));
  }
  return findings;
}

function firstCheckOf(entries: readonly RegistryEntry[]): string {
  const first = entries[0]!;
  return isSection(first) ? firstCheckOf(first.checks) : first.id;
}

/** Every check of a registry, sections opened, in order. */
export function checksOf(registry: readonly RegistryEntry[]): Check[] {
  return registry.flatMap((entry) => (isSection(entry) ? checksOf(entry.checks) : [entry]));
}
