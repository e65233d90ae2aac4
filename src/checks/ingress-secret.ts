// Playbook cause 1: the env group's TLS secret must exist in the namespace. apigee-watcher's
// `failed to get secret "<name>"` lines are the playbook's evidence; the secret list confirms.
import { installLine } from '../apigee/install.js';
import { inNamespace, kubectlCommand } from '../cmdline/kubectl.js';
import { shellQuote } from '../cmdline/quote.js';
import type { ClusterEvidence } from '../evidence/cluster.js';
import { accessErrorVerdict } from './access-error.js';
import { defineCheck, type Verdict } from './check.js';

function watcherLines(e: ClusterEvidence): string[] {
  if (e.watcher.state !== 'ok') return [];
  return e.watcher.value.lines.slice(0, 5).map((l) => (l.length > 2000 ? `${l.slice(0, 2000)}…` : l));
}

/**
 * A secret left in istio-system by an upgrade: hybrid 1.8 and later read ingress secrets from the
 * Apigee namespace only (reference/apigee.md §3.1, §12.6). Copy it over without the fields that
 * tie it to its old place.
 */
function moveFix(e: ClusterEvidence, name: string, from: string): string {
  const read = kubectlCommand(inNamespace(e.scope, from), ['get', 'secret', name, '-o', 'yaml']);
  const strip = `sed -e '/^  namespace: /d' -e '/^  uid: /d' -e '/^  resourceVersion: /d' -e '/^  creationTimestamp: /d'`;
  const apply = kubectlCommand(inNamespace(e.scope, e.secretNamespace), ['apply', '-f', '-']);
  return `move it to namespace "${e.secretNamespace}", where hybrid 1.8 and later read ingress secrets: ${read} | ${strip} | ${apply}`;
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
  const install = installLine(e.install);
  if (e.secret.state === 'found') {
    const later = reported.length ? [`apigee-watcher reported it missing earlier (it exists now):`, ...reported] : [];
    return {
      status: 'pass',
      cause: null,
      summary: `Secret "${name}" exists in namespace "${ns}" (type ${e.secret.secret.type ?? 'unknown'})`,
      evidence: [decided, install, ...later],
      commands,
    };
  }
  if (e.secret.state === 'missing' || reported.length > 0) {
    const confirmed = e.secret.state === 'missing' ? [`${grep}  → no output: the secret is not there`] : [];
    const elsewhere = e.foundIn
      ? [`${e.foundIn.command}  → found in namespace "${e.foundIn.namespace}": hybrid 1.8 and later no longer read ingress secrets there`]
      : [];
    return {
      status: 'fail',
      cause: 'missing-ingress-secret',
      summary: `Secret "${name}" does not exist in namespace "${ns}"${e.foundIn ? ` (it is in namespace "${e.foundIn.namespace}")` : ''}`,
      evidence: [...reported, ...confirmed, ...elsewhere, decided, install],
      commands: [...commands, ...(e.foundIn ? [e.foundIn.command] : [])],
      remediation: e.foundIn ? moveFix(e, name, e.foundIn.namespace) : e.recreateFix,
    };
  }
  return accessErrorVerdict(`secrets in namespace "${ns}"`, e.secret.failure, ns);
}
