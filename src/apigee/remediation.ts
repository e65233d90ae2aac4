// How a fix reaches the cluster on this install: apigeectl (before Helm) or a Helm upgrade of the
// env group's apigee-virtualhost release (hybrid 1.10 and later).
import { shellQuote } from '../cmdline/quote.js';

export type Install = { flavour: 'helm'; release: string } | { flavour: 'apigeectl' };

export function installOf(helmRelease: string | undefined): Install {
  return helmRelease ? { flavour: 'helm', release: helmRelease } : { flavour: 'apigeectl' };
}

export function applyCommand(install: Install, envgroup: string, namespace: string, overridesPath?: string): string {
  if (install.flavour === 'helm') {
    const overrides = overridesPath ?? 'overrides.yaml';
    return `helm upgrade ${shellQuote(install.release)} apigee-virtualhost/ --install --namespace ${shellQuote(namespace)} --atomic --set envgroup=${shellQuote(envgroup)} -f ${shellQuote(overrides)}`;
  }
  return `apigeectl apply -f ${overridesPath ? shellQuote(overridesPath) : 'overrides/overrides.yaml'} --settings virtualhosts`;
}
