// RBAC decisions and the apiserver's exact Forbidden wording, so that tests see what a real
// cluster prints for a service account without permissions.
import { qualifiedResource, rbacResource, type ResourceAttributes } from './request.js';
import type { RbacPolicy, RbacRule } from './types.js';

/** Default identity of the simulator's token: the service account the playbook tool would run as. */
export const DEFAULT_USER = 'system:serviceaccount:apigee:tls-diagnose';

const any = (list: string[] | undefined, value: string): boolean => list === undefined || list.includes('*') || list.includes(value);

function ruleAllows(rule: RbacRule, verb: string, attrs: ResourceAttributes): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(verb)) return false;
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(attrs.group)) return false;
  const resource = rbacResource(attrs);
  // Like Kubernetes: `*` covers subresources too, `*/log` covers every log subresource.
  const resourceOk = rule.resources.some((r) => r === '*' || r === resource || (attrs.subresource !== undefined && r === `*/${attrs.subresource}`));
  if (!resourceOk) return false;
  if (rule.namespaces !== undefined) {
    // A namespace-limited rule (a RoleBinding) never grants cluster-scope access.
    if (attrs.namespace === undefined || !any(rule.namespaces, attrs.namespace)) return false;
  }
  if (rule.resourceNames !== undefined && rule.resourceNames.length > 0) {
    if (attrs.name === undefined || !rule.resourceNames.includes(attrs.name)) return false;
  }
  return true;
}

export function rbacAllows(policy: RbacPolicy, verb: string, attrs: ResourceAttributes): boolean {
  return policy.rules.some((rule) => ruleAllows(rule, verb, attrs));
}

/**
 * The apiserver's Forbidden message, verbatim in shape:
 * `secrets is forbidden: User "u" cannot list resource "secrets" in API group "" in the namespace "apigee"`,
 * `pods "p" is forbidden: User "u" cannot get resource "pods/log" in API group "" in the namespace "apigee"`,
 * `… at the cluster scope` without a namespace, `forbidden: User "u" cannot get path "/x"` off the API.
 */
export function forbiddenMessage(user: string, verb: string, attrs: ResourceAttributes | undefined, path: string): string {
  if (!attrs) return `forbidden: User "${user}" cannot ${verb} path "${path}"`;
  const subject = attrs.name !== undefined ? `${qualifiedResource(attrs)} "${attrs.name}"` : qualifiedResource(attrs);
  const scope = attrs.namespace !== undefined ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${user}" cannot ${verb} resource "${rbacResource(attrs)}" in API group "${attrs.group}" ${scope}`;
}
