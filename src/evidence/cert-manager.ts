// What cert-manager says about the Certificate that issues an env group's secret (reference/apigee.md §12.4).
import type { KubeObject } from '../apigee/resources.js';
import type { KubectlFailure } from './kubectl-failure.js';

export interface CertificateRead {
  state: 'ok';
  certificate: KubeObject;
  /** Its CertificateRequests, newest last. */
  requests: KubeObject[];
  /** The requests could not be listed (the Role lacks `certificaterequests`). */
  requestsFailure?: KubectlFailure;
  /** The events of the Certificate and of its latest request, oldest first. */
  events: KubeObject[];
  /** The events could not be read (the Role lacks `events`). */
  eventsFailure?: KubectlFailure;
}

/** cert-manager owns the secret (its annotation says so), but its Certificates could not be listed. */
export interface CertificateUnread {
  state: 'error';
  /** The Certificate the secret's annotation names. */
  name: string;
  failure: KubectlFailure;
}

export type CertManagerEvidence = CertificateRead | CertificateUnread;
