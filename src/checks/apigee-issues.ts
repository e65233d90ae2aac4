// Apigee's own signal: ApigeeIssues that name this env group's route config or secret.
import type { IssueView } from '../apigee/resources.js';
import { kubectlCommand } from '../cmdline/kubectl.js';
import type { ClusterEvidence } from '../evidence/cluster.js';
import { accessErrorVerdict } from './access-error.js';
import { defineCheck, type Verdict } from './check.js';

const line = (i: IssueView): string => `${i.name}  ${i.severity}  ${i.reason}${i.details ? `: ${i.details}` : ''}`;

export const apigeeIssues = defineCheck({
  id: 'apigee-issues',
  description: "Apigee's own signal: no ApigeeIssue names the env group's route config or secret",
  causes: ['apigee-issue-reported'],
  needs: ['cluster'],
  run: ({ cluster }) => apigeeIssuesVerdict(cluster),
});

function apigeeIssuesVerdict(e: ClusterEvidence): Verdict {
  const commands = [kubectlCommand(e.scope, ['get', 'apigeeissues'])];
  if (e.issues.state === 'absent') return { status: 'skip', cause: null, summary: e.issues.why, evidence: [], commands: [] };
  if (e.issues.state === 'error') return accessErrorVerdict('ApigeeIssues', e.issues.failure, e.namespace);
  const issues = e.issues.value;
  if (issues.length === 0) return { status: 'pass', cause: null, summary: 'no ApigeeIssue names this env group', evidence: [], commands };
  const severe = issues.some((i) => i.severity === 'ERROR');
  return {
    status: severe ? 'fail' : 'warn',
    cause: 'apigee-issue-reported',
    summary: `Apigee reports ${issues.length === 1 ? `${issues[0]!.reason} (${issues[0]!.severity})` : `${issues.length} issues`} for this env group`,
    evidence: issues.map(line),
    commands: [...commands, ...issues.map((i) => kubectlCommand(e.scope, ['describe', 'apigeeissue', i.name]))],
    remediation: `follow Apigee's playbook for ${[...new Set(issues.map((i) => `${i.reason} (https://cloud.google.com/apigee/docs/hybrid/troubleshooting/${i.reason})`))].join(', ')}; after the fix: ${e.applyFix}`,
  };
}
