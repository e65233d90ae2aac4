// CONTRACT "Added later", for CI and monitoring: --ignore CAUSE reports that cause's findings as
// `skip` (saying so) so that they no longer count, and --fail-on warn makes a warning exit 1.
import type { Diagnosis, Finding, Report } from './finding.js';
import { diagnosis, diagnosisList, exitCodeOf, EXIT } from './result.js';

export type FailOn = 'fail' | 'warn';

function ignored(f: Finding, ignore: ReadonlySet<string>): Finding {
  if (!f.cause || !ignore.has(f.cause) || (f.status !== 'fail' && f.status !== 'warn')) return f;
  return { ...f, status: 'skip', cause: null, summary: `ignored (--ignore ${f.cause}; it was ${f.status}): ${f.summary}` };
}

const withIgnoredOne = (d: Diagnosis, ignore: ReadonlySet<string>): Diagnosis =>
  diagnosis(
    d.target,
    d.findings.map((f) => ignored(f, ignore)),
  );

/** The report with every fail or warn of an ignored cause turned into a skip, and its result recomputed. */
export function withIgnored(report: Report, ignore: readonly string[]): Report {
  if (ignore.length === 0) return report;
  const set = new Set(ignore);
  return report.kind === 'Diagnosis' ? withIgnoredOne(report, set) : diagnosisList(report.items.map((d) => withIgnoredOne(d, set)));
}

/** The contract's exit code, where --fail-on warn also counts a warning as a cause found. */
export function exitCodeUnder(report: Report, failOn: FailOn): number {
  const code = exitCodeOf(report);
  if (failOn !== 'warn' || code === EXIT.problems) return code;
  const items = report.kind === 'Diagnosis' ? [report] : report.items;
  return items.some((d) => d.findings.some((f) => f.status === 'warn')) ? EXIT.problems : code;
}
