// kubeconfig text that points kubectl at a simulator: CA pinned, bearer token, namespace apigee.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const SIM_CONTEXT = 'apigee-sim';

export interface KubeconfigOptions {
  server: string;
  caPem: string;
  token: string;
  /** Context namespace; default `apigee`. */
  namespace?: string;
  /** Context, cluster and user name; default `apigee-sim`. */
  context?: string;
}

export function kubeconfigYaml(o: KubeconfigOptions): string {
  const name = o.context ?? SIM_CONTEXT;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: o.server, 'certificate-authority-data': Buffer.from(o.caPem).toString('base64') } }],
    users: [{ name, user: { token: o.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: o.namespace ?? 'apigee' } }],
    'current-context': name,
    preferences: {},
  });
}

/** Writes `<dir>/kubeconfig` (mode 0600: it holds the token) and returns its path. */
export function writeKubeconfig(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}
