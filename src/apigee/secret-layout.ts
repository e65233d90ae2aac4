// The certificate, key and CA inside a Secret, in either layout Istio accepts: generic
// (cert, key, cacert) or kubernetes.io/tls (tls.crt, tls.key, ca.crt).
import type { KubeObject } from './resources.js';
import { nameOf } from './resources.js';
import { secretDataCommand, type KubectlScope } from '../cmdline/kubectl.js';
import type { PemSource, TlsMaterial } from '../evidence/material.js';

export const LAYOUTS = [
  { name: 'generic', cert: 'cert', key: 'key', ca: 'cacert' },
  { name: 'kubernetes.io/tls', cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' },
] as const;

export type Layout = (typeof LAYOUTS)[number];

const dataOf = (secret: KubeObject): Record<string, string> =>
  secret.data && typeof secret.data === 'object' ? Object.fromEntries(Object.entries(secret.data).filter(([, v]) => typeof v === 'string')) : {};

export const dataKeys = (secret: KubeObject): string[] => Object.keys(dataOf(secret)).sort();

/** The layout whose cert and key are both present (generic first, as Apigee writes it). */
export function layoutOf(secret: KubeObject): Layout | undefined {
  const data = dataOf(secret);
  return LAYOUTS.find((l) => data[l.cert] !== undefined && data[l.key] !== undefined);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const isBase64 = (value: string): boolean => {
  const compact = value.replace(/\s+/g, '');
  return compact.length % 4 === 0 && BASE64.test(compact);
};

/**
 * Secret data is base64; the API server guarantees it, but a hand-edited object may not. Invalid
 * base64 decodes the way `base64 -d` in the playbook's pipeline would leave it: damaged, so the
 * checks fail it (and the label says why) instead of reading the raw text as if it were fine.
 */
export function decodeSecretValue(value: string): Buffer {
  return Buffer.from(value.replace(/\s+/g, ''), 'base64');
}

function dataSource(secret: KubeObject, scope: KubectlScope, key: string): PemSource {
  const value = dataOf(secret)[key]!;
  const name = nameOf(secret);
  return {
    bytes: decodeSecretValue(value),
    label: `secret "${name}" key "${key}"`,
    origin: { kind: 'pipe', producer: secretDataCommand(scope, name, key) },
    ...(isBase64(value) ? {} : { undecodable: true as const }),
  };
}

/**
 * istiod resolves the CA of credential `<name>` as the secret `<name>-cacert`, key `cacert`
 * (reference/apigee.md §12.3): where an sslSecret env group with mutual TLS keeps it.
 */
export const caSecretName = (credential: string): string => `${credential}-cacert`;
export const CA_SECRET_KEY = 'cacert';

/** Whether the secret holds its own CA (cacert or ca.crt in its layout). */
export const hasOwnCa = (secret: KubeObject, layout: Layout): boolean => dataOf(secret)[layout.ca] !== undefined;

/**
 * `scope` is the secret's own namespace: its data is read with a command built for it. The CA
 * comes from the secret itself, else from `caSecret` (its `<name>-cacert`), as istiod reads it.
 */
export function secretMaterial(
  secret: KubeObject,
  scope: KubectlScope,
  layout: Layout,
  mtls: boolean,
  hostnames: string[],
  caSecret?: KubeObject,
): TlsMaterial & { cert: PemSource } {
  const name = nameOf(secret);
  const ca = hasOwnCa(secret, layout)
    ? dataSource(secret, scope, layout.ca)
    : caSecret && dataOf(caSecret)[CA_SECRET_KEY] !== undefined
      ? dataSource(caSecret, scope, CA_SECRET_KEY)
      : null;
  return {
    cert: dataSource(secret, scope, layout.cert),
    key: dataSource(secret, scope, layout.key),
    ca,
    mtls,
    hostnames,
    caSearched: [`secret "${name}" key "${layout.ca}"`, `secret "${caSecretName(name)}" key "${CA_SECRET_KEY}"`],
  };
}
