// Apigee's own signal: ApigeeIssues that name this env group's route config or secret.
import { displayCommand } from '../exec/display.js';
import type { IssueView } from '../apigee/resources.js';
import type { Finding } from '../report/finding.js';
import { accessErrorFinding } from './access-error.js';
import type { ClusterEvidence } from './cluster-evidence.js';

const line = (i: IssueView): string => `${i.name}  ${i.severity}  ${i.reason}${i.details ? `: ${i.details}` : ''}`;

export function apigeeIssuesFinding(e: ClusterEvidence): Finding {
  const commands = [displayCommand('kubectl', ['-n', e.namespace, 'get', 'apigeeissues'])];
  if (e.issues.state === 'absent') return { check: 'apigee-issues', status: 'skip', cause: null, summary: e.issues.why, evidence: [], commands: [] };
  if (e.issues.state === 'error') return accessErrorFinding('apigee-issues', 'ApigeeIssues', e.issues.failure, e.namespace);
  const issues = e.issues.value;
  if (issues.length === 0)
    return { check: 'apigee-issues', status: 'pass', cause: null, summary: 'no ApigeeIssue names this env group', evidence: [], commands };
  const severe = issues.some((i) => i.severity === 'ERROR');
  return {
    check: 'apigee-issues',
    status: severe ? 'fail' : 'warn',
    cause: 'apigee-issue-reported',
    summary: `Apigee reports ${issues.length === 1 ? `${issues[0]!.reason} (${issues[0]!.severity})` : `${issues.length} issues`} for this env group`,
    evidence: issues.map(line),
    commands: [...commands, ...issues.map((i) => displayCommand('kubectl', ['-n', e.namespace, 'describe', 'apigeeissue', i.name]))],
    remediation: `follow Apigee's playbook for ${[...new Set(issues.map((i) => `${i.reason} (https://cloud.google.com/apigee/docs/hybrid/troubleshooting/${i.reason})`))].join(', ')}; after the fix: ${e.applyFix}`,
  };
}
