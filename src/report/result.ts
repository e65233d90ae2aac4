// How findings add up to a result and an exit code (CONTRACT.md, "Exit codes").
import type { Diagnosis, DiagnosisList, Finding, Report, Result, SupportBundle, Target } from './finding.js';

export function resultOf(findings: readonly Finding[]): Result {
  if (findings.some((f) => f.status === 'fail')) return 'problems-found';
  if (findings.some((f) => f.status === 'error')) return 'incomplete';
  return 'healthy';
}

export function diagnosis(target: Target, findings: Finding[]): Diagnosis {
  return { apiVersion: 'apigee-tls/v1', kind: 'Diagnosis', target, result: resultOf(findings), findings };
}

export function diagnosisList(items: Diagnosis[]): DiagnosisList {
  return { apiVersion: 'apigee-tls/v1', kind: 'DiagnosisList', items };
}

export function supportBundle(target: Target, d: Diagnosis, archive: string | null, files: string[]): SupportBundle {
  return { apiVersion: 'apigee-tls/v1', kind: 'SupportBundle', target, result: d.result, archive, files, findings: d.findings };
}

export const EXIT = { ok: 0, problems: 1, usage: 2, incomplete: 3, interrupted: 130 } as const;

export function exitCodeOf(report: Report): number {
  const results = report.kind === 'Diagnosis' ? [report.result] : report.items.map((d) => d.result);
  if (results.includes('problems-found')) return EXIT.problems;
  if (results.includes('incomplete')) return EXIT.incomplete;
  return EXIT.ok;
}
