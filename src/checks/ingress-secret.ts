// Playbook cause 1: the env group's TLS secret must exist in the namespace. apigee-watcher's
// `failed to get secret "<name>"` lines are the playbook's evidence; the secret list confirms.
import { inNamespace, kubectlCommand } from '../cmdline/kubectl.js';
import { shellQuote } from '../cmdline/quote.js';
import type { ClusterEvidence } from '../evidence/cluster.js';
import { accessErrorVerdict } from './access-error.js';
import { defineCheck, type Verdict } from './check.js';

function watcherLines(e: ClusterEvidence): string[] {
  if (e.watcher.state !== 'ok') return [];
  return e.watcher.value.lines.slice(0, 5).map((l) => (l.length > 2000 ? `${l.slice(0, 2000)}…` : l));
}

function recreateFix(e: ClusterEvidence, name: string): string {
  const r = e.resolution;
  if (r.secretSource.includes('sslSecret')) {
    const create = kubectlCommand(inNamespace(e.scope, e.secretNamespace), [
      'create',
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

export const ingressSecret = defineCheck({
  id: 'ingress-secret',
  description: "the env group's TLS secret exists in the namespace (the playbook's cause 1)",
  causes: ['missing-ingress-secret'],
  needs: ['cluster'],
  run: ({ cluster }) => ingressSecretVerdict(cluster),
});

function ingressSecretVerdict(e: ClusterEvidence): Verdict {
  const name = e.resolution.secret.name;
  const ns = e.secretNamespace;
  const grep = `${kubectlCommand(inNamespace(e.scope, ns), ['get', 'secrets'])} | grep ${shellQuote(name)}`;
  const commands = [...(e.watcher.state === 'ok' ? [e.watcher.value.command] : []), grep];
  const reported = watcherLines(e);
  const decided = `secret name from ${e.resolution.secretSource}`;
  if (e.secret.state === 'found') {
    const later = reported.length ? [`apigee-watcher reported it missing earlier (it exists now):`, ...reported] : [];
    return {
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
      status: 'fail',
      cause: 'missing-ingress-secret',
      summary: `Secret "${name}" does not exist in namespace "${ns}"`,
      evidence: [...reported, ...confirmed, decided],
      commands,
      remediation: recreateFix(e, name),
    };
  }
  return accessErrorVerdict(`secrets in namespace "${ns}"`, e.secret.failure, ns);
}
