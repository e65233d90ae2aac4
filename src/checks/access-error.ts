// A check that could not run because kubectl failed: status `error`, kubectl's own line, and the
// way out (for Forbidden, the Role that grants exactly what the plugin reads).
import type { KubectlFailure } from '../exec/kubectl-errors.js';
import type { Finding } from '../report/finding.js';

export function accessErrorFinding(check: string, what: string, failure: KubectlFailure, roleYaml: string): Finding {
  const remediation =
    failure.kind === 'forbidden'
      ? `ask a cluster admin for read access in this namespace; the plugin needs no more than this Role (bind it to your user):\n${roleYaml}`
      : undefined;
  const finding: Finding = {
    check,
    status: 'error',
    cause: null,
    summary: `could not read ${what}: ${failure.message}`,
    evidence: [],
    commands: [failure.command],
  };
  if (remediation) finding.remediation = remediation;
  return finding;
}
