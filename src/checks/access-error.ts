// A check that could not run because kubectl failed: status `error`, kubectl's own line, and the
// way out (for Forbidden, the Role that grants exactly what the plugin reads).
import { minimalRoleYaml } from '../apigee/rbac.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import type { Verdict } from './check.js';

/** `namespace` is where the read was denied: the Role must live there. */
export function accessErrorVerdict(what: string, failure: KubectlFailure, namespace: string): Verdict {
  const remediation =
    failure.kind === 'forbidden'
      ? `ask a cluster admin for read access in namespace "${namespace}"; the plugin needs no more than this Role (bind it to your user):\n${minimalRoleYaml(namespace)}`
      : undefined;
  const finding: Verdict = {
    status: 'error',
    cause: null,
    summary: `could not read ${what}: ${failure.message}`,
    evidence: [],
    commands: [failure.command],
  };
  if (remediation) finding.remediation = remediation;
  return finding;
}
