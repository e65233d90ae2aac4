// cert-manager's objects as the checks read them (cert-manager.io/v1; reference/apigee.md §12.4):
// which Certificate issues a secret, its Ready condition, its latest CertificateRequest.
import { nameOf, type KubeObject } from './resources.js';

export const CERTIFICATE_ANNOTATION = 'cert-manager.io/certificate-name';

type Condition = { type?: string; status?: string; reason?: string; message?: string };

export function readyCondition(o: KubeObject): Condition | undefined {
  const conditions = (o.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(conditions) ? (conditions as Condition[]).find((c) => c?.type === 'Ready') : undefined;
}

export const conditionText = (c: Condition | undefined): string =>
  c ? `Ready=${c.status ?? '?'}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}` : 'no Ready condition';

/** The requests owned by the Certificate (ownerReferences, or cert-manager's certificate-name annotation), oldest first. */
export function requestsOf(certificate: KubeObject, requests: readonly KubeObject[]): KubeObject[] {
  const name = nameOf(certificate);
  const owns = (r: KubeObject) =>
    ((r.metadata as { ownerReferences?: Array<{ kind?: string; name?: string }> } | undefined)?.ownerReferences ?? []).some(
      (o) => o.kind === 'Certificate' && o.name === name,
    ) || r.metadata?.annotations?.[CERTIFICATE_ANNOTATION] === name;
  const created = (r: KubeObject) => Date.parse(String((r.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp ?? '')) || 0;
  return requests.filter(owns).sort((a, b) => created(a) - created(b));
}

export const issuerOf = (certificate: KubeObject): string => {
  const ref = (certificate.spec as { issuerRef?: { name?: string; kind?: string } } | undefined)?.issuerRef;
  return ref?.name ? `${ref.kind ?? 'Issuer'} "${ref.name}"` : 'no issuer';
};
