// cert-manager's Certificates and CertificateRequests, listed once per namespace and only when an
// env group's secret may be cert-manager's (annotated by it, or missing); absent CRDs read nothing.
// The events are read only for a Certificate that is not Ready.
import { readyCondition, requestsOf } from '../apigee/cert-manager.js';
import { nameOf, type KubeObject } from '../apigee/resources.js';
import type { CertManagerEvidence, CertificateRead } from '../evidence/cert-manager.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import type { ExecContext } from '../exec/context.js';
import { kubectlFailure } from '../exec/kubectl-errors.js';
import { kubectlJson, type KubectlTarget } from '../exec/kubectl.js';
import { itemsOf } from '../apigee/resources.js';
import { listResource, type Listing } from './listing.js';

/** By their full names: a bare `certificates` may be another group's. */
export const CERTIFICATES = 'certificates.cert-manager.io';
export const CERTIFICATE_REQUESTS = 'certificaterequests.cert-manager.io';

/** One process: on a cluster without cert-manager it only says the type does not exist. */
export const listCertificates = (exec: ExecContext, target: KubectlTarget): Promise<Listing> => listResource(exec, target, CERTIFICATES);

async function eventsOf(exec: ExecContext, target: KubectlTarget, name: string): Promise<{ failure: KubectlFailure } | { items: KubeObject[] }> {
  const { record, json } = await kubectlJson(exec, target, ['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json']);
  const failure = kubectlFailure(record);
  return failure ? { failure } : { items: json === undefined ? [] : itemsOf(json) };
}

/** For a Certificate that is not Ready: its requests, its events and its latest request's. */
async function certificateRead(exec: ExecContext, target: KubectlTarget, certificate: KubeObject): Promise<CertificateRead> {
  if (readyCondition(certificate)?.status === 'True') return { state: 'ok', certificate, requests: [], events: [] };
  const listed = await listResource(exec, target, CERTIFICATE_REQUESTS);
  const own = listed.state === 'ok' ? requestsOf(certificate, listed.items) : [];
  const names = [nameOf(certificate), ...(own.length ? [nameOf(own[own.length - 1]!)] : [])];
  const read = await Promise.all(names.map((n) => eventsOf(exec, target, n)));
  const eventsFailure = read.flatMap((r) => ('failure' in r ? [r.failure] : []))[0];
  const events = read.flatMap((r) => ('items' in r ? r.items : []));
  return {
    state: 'ok',
    certificate,
    requests: own,
    events,
    ...(listed.state !== 'ok' ? { requestsFailure: listed.failure } : {}),
    ...(eventsFailure ? { eventsFailure } : {}),
  };
}

/**
 * The Certificate that issues the secret (named by the install model), from the namespace's
 * listing. A listing that failed is said as such, since the secret is known to be cert-manager's;
 * a Certificate that is not there leaves the check out (nothing to judge).
 */
export async function certManagerEvidence(
  exec: ExecContext,
  target: KubectlTarget,
  name: string,
  certificates: Listing | undefined,
): Promise<CertManagerEvidence | undefined> {
  if (certificates?.state === 'error') return { state: 'error', name, failure: certificates.failure };
  const certificate = certificates?.state === 'ok' ? certificates.items.find((c) => nameOf(c) === name) : undefined;
  return certificate ? certificateRead(exec, target, certificate) : undefined;
}
