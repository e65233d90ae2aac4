// Playbook cause 1: the env group's TLS secret must exist in the namespace. apigee-watcher's
// `failed to get secret "<name>"` lines are the playbook's evidence; the secret list confirms.
import type { Finding } from '../report/finding.js';
import { displayCommand, shellQuote } from '../exec/display.js';
import { accessErrorFinding } from './access-error.js';
import type { ClusterEvidence } from './cluster-evidence.js';

function watcherLines(e: ClusterEvidence): string[] {
  if (e.watcher.state !== 'ok') return [];
  return e.watcher.value.lines.slice(0, 5).map((l) => (l.length > 2000 ? `${l.slice(0, 2000)}…` : l));
}

function recreateFix(e: ClusterEvidence, name: string): string {
  const r = e.resolution;
  if (r.secretSource.includes('sslSecret')) {
    const create = displayCommand('kubectl', [
      'create',
      '-n',
      e.secretNamespace,
      'secret',
      'generic',
      name,
      '--from-file=cert=CERT_FILE',
      '--from-file=key=KEY_FILE',
    ]);
    return `recreate the secret your overrides name: ${create}`;
  }
  return `recreate it from the cert and key files in overrides.yaml: ${e.applyFix}`;
}

export function ingressSecretFinding(e: ClusterEvidence): Finding {
  const name = e.resolution.secret.name;
  const ns = e.secretNamespace;
  const grep = `${displayCommand('kubectl', ['-n', ns, 'get', 'secrets'])} | grep ${shellQuote(name)}`;
  const commands = [...(e.watcher.state === 'ok' ? [e.watcher.value.command] : []), grep];
  const reported = watcherLines(e);
  const decided = `secret name from ${e.resolution.secretSource}`;
  if (e.secret.state === 'found') {
    const later = reported.length ? [`apigee-watcher reported it missing earlier (it exists now):`, ...reported] : [];
    return {
      check: 'ingress-secret',
      status: 'pass',
      cause: null,
      summary: `Secret "${name}" exists in namespace "${ns}" (type ${e.secret.secret.type ?? 'unknown'})`,
      evidence: [decided, ...later],
      commands,
    };
  }
  if (e.secret.state === 'missing' || reported.length > 0) {
    const confirmed = e.secret.state === 'missing' ? [`${grep}  → no output: the secret is not there`] : [];
    return {
      check: 'ingress-secret',
      status: 'fail',
      cause: 'missing-ingress-secret',
      summary: `Secret "${name}" does not exist in namespace "${ns}"`,
      evidence: [...reported, ...confirmed, decided],
      commands,
      remediation: recreateFix(e, name),
    };
  }
  return accessErrorFinding('ingress-secret', `secrets in namespace "${ns}"`, e.secret.failure, ns);
}
