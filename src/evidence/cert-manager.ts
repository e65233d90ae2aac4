// What cert-manager says about the Certificate that issues an env group's secret (reference/apigee.md §12.4).
import type { KubeObject } from '../apigee/resources.js';
import type { KubectlFailure } from './kubectl-failure.js';

export interface CertManagerEvidence {
  certificate: KubeObject;
  /** Its CertificateRequests, newest last. */
  requests: KubeObject[];
  /** The events of the Certificate and of its latest request, oldest first. */
  events: KubeObject[];
  /** The events could not be read (the Role lacks `events`). */
  eventsFailure?: KubectlFailure;
}
