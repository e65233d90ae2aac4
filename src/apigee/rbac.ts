// The least the plugin needs: read access, in the Apigee namespace, to what it lists.
import { stringify } from 'yaml';

export const READ_RULES = [
  { apiGroups: [''], resources: ['secrets', 'pods', 'pods/log'], verbs: ['get', 'list'] },
  {
    apiGroups: ['apigee.cloud.google.com'],
    resources: ['apigeeorganizations', 'apigeerouteconfigs', 'apigeeroutes', 'apigeeissues'],
    verbs: ['get', 'list'],
  },
];

export function minimalRoleYaml(namespace: string): string {
  return stringify({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'apigee-tls-reader', namespace },
    rules: READ_RULES,
  });
}

/**
 * Optional: only where cert-manager issues the env group's secret (the certificate-issued check).
 * Added to the same Role; without them that check says which rule to add.
 */
export const CERT_MANAGER_RULES = [
  { apiGroups: ['cert-manager.io'], resources: ['certificates', 'certificaterequests'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['events'], verbs: ['get', 'list'] },
];

/** The optional rules as the lines to add under the Role's `rules:`. */
export const certManagerRulesYaml = (): string => stringify(CERT_MANAGER_RULES).replace(/^/gm, '  ').trimEnd();
