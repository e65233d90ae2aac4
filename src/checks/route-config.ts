// The env group's ApigeeRouteConfig reports what the controller could not apply in status.errors.
import { displayCommand } from '../exec/display.js';
import { nameOf, routeConfigErrors } from '../apigee/resources.js';
import type { Finding } from '../report/finding.js';
import { accessErrorFinding } from './access-error.js';
import type { ClusterEvidence } from './cluster-evidence.js';

export function routeConfigFinding(e: ClusterEvidence): Finding {
  if (e.routeConfig.state === 'absent') return { check: 'route-config', status: 'skip', cause: null, summary: e.routeConfig.why, evidence: [], commands: [] };
  if (e.routeConfig.state === 'error') return accessErrorFinding('route-config', 'ApigeeRouteConfigs', e.routeConfig.failure, e.namespace);
  const arc = e.routeConfig.value;
  if (!arc) {
    return {
      check: 'route-config',
      status: 'skip',
      cause: null,
      summary: `no ApigeeRouteConfig ${e.resolution.org}-${e.resolution.envgroup} in namespace "${e.namespace}" (the secret name and hostnames come from ${e.resolution.secretSource})`,
      evidence: [],
      commands: [displayCommand('kubectl', ['-n', e.namespace, 'get', 'apigeerouteconfigs'])],
    };
  }
  const commands = [displayCommand('kubectl', ['-n', e.namespace, 'get', 'apigeerouteconfig', nameOf(arc), '-o', 'jsonpath={.status}'])];
  const errors = routeConfigErrors(arc);
  if (errors.length === 0)
    return { check: 'route-config', status: 'pass', cause: null, summary: `ApigeeRouteConfig ${nameOf(arc)} reports no errors`, evidence: [], commands };
  return {
    check: 'route-config',
    status: 'fail',
    cause: 'route-config-error',
    summary: `ApigeeRouteConfig ${nameOf(arc)} reports ${errors.length} error${errors.length === 1 ? '' : 's'}`,
    evidence: errors,
    commands,
    remediation: `fix what the errors name, then: ${e.applyFix}`,
  };
}
