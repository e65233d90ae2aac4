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
