// Who owns the env group's secret, which decides how it is fixed (reference/apigee.md §12.4): the
// apigee-virtualhost Helm chart, apigeectl, the user (sslSecret), or cert-manager. Decided from the
// cluster's own marks first (the secret's annotations, a Certificate naming it), then the names.
import type { VirtualHost } from './overrides.js';
import { certificateNameOf, certificateSecretOf, helmReleaseOf, nameOf, type KubeObject } from './resources.js';

export type Install =
  | { kind: 'helm'; release: string; why: string }
  | { kind: 'apigeectl'; why: string }
  | { kind: 'user-managed'; why: string }
  | { kind: 'cert-manager'; certificate: string; why: string };

export interface InstallFacts {
  org: string;
  envgroup: string;
  routeConfig?: KubeObject;
  secretName: string;
  /** The namespace of a `namespace/name` secretNameRef, when it names one. */
  secretNamespace?: string;
  /** The secret, when it exists. */
  secret?: KubeObject;
  /** cert-manager Certificates of the namespace, when they were listed (only when a secret is missing or cert-manager annotated it). */
  certificates?: readonly KubeObject[];
  /** The env group's virtualhosts[] entry of --overrides. */
  virtualHost?: VirtualHost;
}

export function detectInstall(f: InstallFacts): Install {
  const secret = `secret "${f.secretName}"`;
  const issuedBy = certificateNameOf(f.secret);
  if (issuedBy) return { kind: 'cert-manager', certificate: issuedBy, why: `${secret} is annotated cert-manager.io/certificate-name: ${issuedBy}` };
  const certificate = f.certificates?.find((c) => certificateSecretOf(c) === f.secretName);
  if (certificate) {
    return {
      kind: 'cert-manager',
      certificate: nameOf(certificate),
      why: `cert-manager Certificate ${nameOf(certificate)} has spec.secretName ${f.secretName}`,
    };
  }
  const secretRelease = helmReleaseOf(f.secret);
  if (secretRelease) return { kind: 'helm', release: secretRelease, why: `${secret} is annotated meta.helm.sh/release-name: ${secretRelease}` };
  if (f.virtualHost?.sslSecret) return { kind: 'user-managed', why: `virtualhosts[].sslSecret of --overrides names ${secret}, which no Helm release owns` };
  if (f.secretNamespace) {
    return { kind: 'user-managed', why: `the route config names ${secret} in namespace "${f.secretNamespace}", where no chart makes secrets` };
  }
  const chartName = `${f.org}-${f.envgroup}`;
  // The chart makes only <org>-<envgroup>: any other name is a secret the user made (a 1.15
  // release apigee-virtualhost-<envgroup> held no Secret: relationship-builder).
  if (f.secretName !== chartName) {
    return { kind: 'user-managed', why: `the route config names ${secret}, not the chart's ${chartName}, and no Helm release owns it` };
  }
  const arcRelease = helmReleaseOf(f.routeConfig);
  if (arcRelease)
    return { kind: 'helm', release: arcRelease, why: `ApigeeRouteConfig ${nameOf(f.routeConfig!)} is annotated meta.helm.sh/release-name: ${arcRelease}` };
  const marks = [f.routeConfig ? `ApigeeRouteConfig ${nameOf(f.routeConfig)}` : '', f.secret ? secret : ''].filter(Boolean);
  return { kind: 'apigeectl', why: marks.length ? `no Helm annotations on ${marks.join(' or ')}` : 'no ApigeeRouteConfig or secret carries Helm annotations' };
}

/** One line for the report: which install and why. */
export function installLine(install: Install): string {
  const what =
    install.kind === 'helm'
      ? `Helm release ${install.release} (apigee-virtualhost chart)`
      : install.kind === 'cert-manager'
        ? `cert-manager Certificate ${install.certificate}`
        : install.kind === 'user-managed'
          ? 'a user-managed secret (sslSecret)'
          : 'apigeectl';
  return `install: ${what}, because ${install.why}`;
}
