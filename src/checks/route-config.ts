// The env group's ApigeeRouteConfig reports what the controller could not apply in status.errors.
import { nameOf, routeConfigErrors } from '../apigee/resources.js';
import { kubectlCommand } from '../cmdline/kubectl.js';
import type { ClusterEvidence } from '../evidence/cluster.js';
import { accessErrorVerdict } from './access-error.js';
import { defineCheck, type Verdict } from './check.js';

export const routeConfig = defineCheck({
  id: 'route-config',
  description: "the env group's ApigeeRouteConfig reports no errors in its status",
  causes: ['route-config-error'],
  needs: ['cluster'],
  run: ({ cluster }) => routeConfigVerdict(cluster),
});

function routeConfigVerdict(e: ClusterEvidence): Verdict {
  if (e.routeConfig.state === 'absent') return { status: 'skip', cause: null, summary: e.routeConfig.why, evidence: [], commands: [] };
  if (e.routeConfig.state === 'error') return accessErrorVerdict('ApigeeRouteConfigs', e.routeConfig.failure, e.namespace);
  const arc = e.routeConfig.value;
  if (!arc) {
    return {
      status: 'skip',
      cause: null,
      summary: `no ApigeeRouteConfig ${e.resolution.org}-${e.resolution.envgroup} in namespace "${e.namespace}" (the secret name and hostnames come from ${e.resolution.secretSource})`,
      evidence: [],
      commands: [kubectlCommand(e.scope, ['get', 'apigeerouteconfigs'])],
    };
  }
  const commands = [kubectlCommand(e.scope, ['get', 'apigeerouteconfig', nameOf(arc), '-o', 'jsonpath={.status}'])];
  const errors = routeConfigErrors(arc);
  if (errors.length === 0) return { status: 'pass', cause: null, summary: `ApigeeRouteConfig ${nameOf(arc)} reports no errors`, evidence: [], commands };
  return {
    status: 'fail',
    cause: 'route-config-error',
    summary: `ApigeeRouteConfig ${nameOf(arc)} reports ${errors.length} error${errors.length === 1 ? '' : 's'}`,
    evidence: errors,
    commands,
    remediation: `fix what the errors name, then: ${e.applyFix}`,
  };
}
