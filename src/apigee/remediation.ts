// How a fix reaches the cluster, by who owns the secret (reference/apigee.md §4, §12.4): a Helm
// upgrade of the env group's apigee-virtualhost release, apigeectl, kubectl for a secret the user
// made (neither tool can recreate it), or cert-manager, which issues it from its Certificate.
import { cmctlCommand } from '../cmdline/cmctl.js';
import { kubectlCommand, type KubectlScope } from '../cmdline/kubectl.js';
import { shellQuote } from '../cmdline/quote.js';
import type { Install } from './install.js';

export interface FixTarget {
  envgroup: string;
  /** The secret's own namespace (and the run's context and kubeconfig). */
  scope: KubectlScope;
  secretName: string;
  /** The secret's layout, when it exists: kubernetes.io/tls secrets are made with `create secret tls`. */
  tlsLayout?: boolean;
  overridesPath?: string;
}

/** The documented ways to make a secret by hand (hybrid v1.13 ingress-tls; Google's devrel quickstart). */
export function createSecretCommand(scope: KubectlScope, name: string, tls: boolean): string {
  const args = tls
    ? ['create', 'secret', 'tls', name, '--cert=CERT_FILE', '--key=KEY_FILE']
    : ['create', 'secret', 'generic', name, '--from-file=cert=CERT_FILE', '--from-file=key=KEY_FILE'];
  return kubectlCommand(scope, args);
}

const createSecret = (t: FixTarget, tls: boolean): string => createSecretCommand(t.scope, t.secretName, tls);

const cmctl = (verb: string[], certificate: string, t: FixTarget): string => cmctlCommand(t.scope, [...verb, certificate]);

/** The command that puts a corrected certificate or key in place. */
export function applyCommand(install: Install, t: FixTarget): string {
  switch (install.kind) {
    case 'helm':
      return `helm upgrade ${shellQuote(install.release)} apigee-virtualhost/ --install --namespace ${shellQuote(t.scope.namespace)} --atomic --set envgroup=${shellQuote(t.envgroup)} -f ${shellQuote(t.overridesPath ?? 'overrides.yaml')}`;
    case 'apigeectl':
      return `apigeectl apply -f ${t.overridesPath ? shellQuote(t.overridesPath) : 'overrides/overrides.yaml'} --settings virtualhosts`;
    case 'user-managed':
      // The secret exists: replace it in place (create would say AlreadyExists).
      return `${createSecret(t, t.tlsLayout === true)} --dry-run=client -o yaml | ${kubectlCommand(t.scope, ['apply', '-f', '-'])}`;
    case 'cert-manager':
      return cmctl(['renew'], install.certificate, t);
  }
}

/** What brings a missing secret back. */
export function recreateSecretFix(install: Install, t: FixTarget): string {
  switch (install.kind) {
    case 'helm':
    case 'apigeectl':
      return `recreate it from the cert and key files in overrides.yaml: ${applyCommand(install, t)}`;
    case 'user-managed':
      return `recreate it by hand (Helm and apigeectl cannot: they did not make it): ${createSecret(t, false)} (or, for a kubernetes.io/tls secret: ${createSecret(t, true)})`;
    case 'cert-manager':
      return `cert-manager issues it from Certificate ${install.certificate}: see why it has not (${cmctl(['status', 'certificate'], install.certificate, t)}; ${kubectlCommand(t.scope, ['describe', 'certificate', install.certificate])}), fix that, then ${cmctl(['renew'], install.certificate, t)}`;
  }
}
