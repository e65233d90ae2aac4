// certificate-issued: with cert-manager, the Certificate that issues the env group's secret is Ready
// (reference/apigee.md §12.4). Not Ready is certificate-not-issued: a fail while the secret is missing
// or unusable, a warning while the current certificate still serves. A refused Certificates list is
// an error naming the Role rules; without cert-manager the check is left out.
import test from 'ava';
import { certificateIssued } from '../../src/checks/certificate-issued.js';
import { runChecks } from '../../src/checks/run.js';
import type { CertificateRead, CertManagerEvidence } from '../../src/evidence/cert-manager.js';
import type { KubectlFailure } from '../../src/evidence/kubectl-failure.js';
import { certificate, issuerNotFound } from '../../src/sim/scenario.js';
import type { K8sObject } from '../../src/sim/types.js';
import { clusterOf, DAY, diagnoseCtx, diagnoseEvidence, judge, leafOf, NOW, NS, pem, pki, SECRET, secretOf } from './helpers.js';
import { CERT_MANAGER_RULE_LINES } from '../helpers/reliability.js';

// ---- local builders ---------------------------------------------------------------------------

/** The Certificate the kustomize installer writes for the env group: named as its secret. */
const NAME = SECRET;
const HEAD = `Certificate "${NAME}" (cert-manager) issues secret "${NAME}", issuer ClusterIssuer "apigee-ca-issuer"`;
const COMMANDS = [
  `cmctl status certificate ${NAME} -n apigee`,
  `kubectl -n apigee describe certificate ${NAME}`,
  `kubectl -n apigee get events --field-selector involvedObject.name=${NAME}`,
];
const ISSUER_MISSING = 'Referenced "ClusterIssuer" not found: clusterissuer.cert-manager.io "apigee-ca-issuer" not found';
const RULES = CERT_MANAGER_RULE_LINES;

const issued = (o: { ready?: boolean; reason?: string; message?: string } = {}): K8sObject =>
  certificate({ name: NAME, secretName: SECRET, dnsNames: ['api.example.com'], namespace: NS, ...o });

/** What gather reads for a Certificate: itself, its requests, the events. */
const read = (cert: K8sObject, more: Partial<Omit<CertificateRead, 'state' | 'certificate'>> = {}): CertificateRead => ({
  state: 'ok',
  certificate: cert,
  requests: [],
  events: [],
  ...more,
});
/** cert-manager's leftovers when the issuer is missing: the request not Ready and its IssuerNotFound event. */
function issuerMissing(cert: K8sObject): CertificateRead {
  const [request, event] = issuerNotFound(NAME, NS);
  return read(cert, { requests: [request!], events: [event!] });
}

/** The env group's secret, annotated by cert-manager; `cert` default the valid leaf. */
const annotated = (cert: string = pki().leaf): K8sObject => secretOf({ cert, key: pem(pki().leafKey), certificateName: NAME });

function run(certManager: CertManagerEvidence, secret: K8sObject | null = annotated()) {
  const cluster = clusterOf({ secret });
  const e = diagnoseEvidence(cluster);
  e.inputs.certManager = certManager;
  return judge(certificateIssued, e, diagnoseCtx(cluster));
}

// ---- the verdicts -----------------------------------------------------------------------------

test('pass: the Certificate is Ready', (t) => {
  const f = run(read(issued()));
  t.deepEqual(f, {
    check: 'certificate-issued',
    status: 'pass',
    cause: null,
    summary: `${HEAD}: Ready`,
    evidence: ['Ready=True Ready: Certificate is up to date and has not expired'],
    commands: COMMANDS,
  });
});

test("certificate-not-issued: not Ready and the secret missing, with the request's condition and the events", (t) => {
  const f = run(issuerMissing(issued({ ready: false })), null);
  t.is(f.status, 'fail');
  t.is(f.cause, 'certificate-not-issued');
  t.is(f.summary, `${HEAD}: not Ready: ${ISSUER_MISSING}`);
  t.deepEqual(f.evidence, [
    `Certificate "${NAME}": Ready=False DoesNotExist: Issuing certificate as Secret does not exist`,
    'issuer: ClusterIssuer "apigee-ca-issuer"',
    `latest CertificateRequest "${NAME}-1": Ready=False Pending: ${ISSUER_MISSING}`,
    `event CertificateRequest ${NAME}-1: Warning IssuerNotFound: ${ISSUER_MISSING}`,
  ]);
  t.deepEqual(f.commands, COMMANDS);
  t.is(
    f.remediation,
    `create the ClusterIssuer "apigee-ca-issuer" the Certificate names (or point its issuerRef at one that exists), then: cmctl renew ${NAME} -n apigee`,
  );
});

test('certificate-not-issued (warn): not Ready while a valid secret still serves', (t) => {
  // The issuerRef was changed to an issuer that does not exist (cert-manager's readiness policy): the old certificate serves on.
  const message = 'Issuing certificate as Secret was previously issued by "ClusterIssuer.cert-manager.io/old-issuer"';
  const f = run(issuerMissing(issued({ ready: false, reason: 'IncorrectIssuer', message })));
  t.is(f.status, 'warn');
  t.is(f.cause, 'certificate-not-issued');
  t.is(f.summary, `${HEAD}: not Ready (the current certificate still serves): ${ISSUER_MISSING}`);
  t.is(f.evidence[0], `Certificate "${NAME}": Ready=False IncorrectIssuer: ${message}`);
  t.deepEqual(f.commands, COMMANDS);
});

test('certificate-not-issued: not Ready and the leaf in the secret has expired', (t) => {
  const expired = leafOf({ notBefore: new Date(NOW.getTime() - 100 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
  const f = run(issuerMissing(issued({ ready: false })), annotated(expired));
  t.is(f.status, 'fail');
  t.is(f.cause, 'certificate-not-issued');
  t.is(f.summary, `${HEAD}: not Ready: ${ISSUER_MISSING}`);
});

test('certificate-not-issued: not Ready, and the leaf is not valid yet or the key is not its own (the gateway cannot serve either)', (t) => {
  const early = leafOf({ notBefore: new Date(NOW.getTime() + DAY), notAfter: new Date(NOW.getTime() + 100 * DAY) });
  const notYet = run(issuerMissing(issued({ ready: false })), annotated(early));
  t.is(notYet.status, 'fail');
  t.is(notYet.summary, `${HEAD}: not Ready: ${ISSUER_MISSING}`);
  const otherKey = secretOf({ cert: pki().leaf, key: pem(pki().otherKey), certificateName: NAME });
  const mismatched = run(issuerMissing(issued({ ready: false })), otherKey);
  t.is(mismatched.status, 'fail');
  t.is(mismatched.cause, 'certificate-not-issued');
});

test('certificate-not-issued: not Ready and the certificate in the secret does not parse', (t) => {
  const f = run(issuerMissing(issued({ ready: false })), annotated('-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n'));
  t.is(f.status, 'fail');
  t.is(f.cause, 'certificate-not-issued');
});

test('another reason: the fix repeats what the Certificate reports, without naming the issuer', (t) => {
  const f = run(read(issued({ ready: false })), null);
  t.is(f.status, 'fail');
  t.is(f.summary, `${HEAD}: not Ready: Issuing certificate as Secret does not exist`);
  t.deepEqual(f.evidence, [
    `Certificate "${NAME}": Ready=False DoesNotExist: Issuing certificate as Secret does not exist`,
    'issuer: ClusterIssuer "apigee-ca-issuer"',
    'no CertificateRequest found',
  ]);
  t.is(f.remediation, `fix what the Certificate reports (Issuing certificate as Secret does not exist), then: cmctl renew ${NAME} -n apigee`);
  t.false((f.remediation ?? '').includes('apigee-ca-issuer'));
});

test('the requests or events that could not be read are said, with the grant that shows them', (t) => {
  const requestsFailure: KubectlFailure = {
    kind: 'forbidden',
    message:
      'Error from server (Forbidden): certificaterequests.cert-manager.io is forbidden: User "dev" cannot list resource "certificaterequests" in API group "cert-manager.io" in the namespace "apigee"',
    command: 'kubectl -n apigee get certificaterequests.cert-manager.io -o json',
  };
  const eventsFailure: KubectlFailure = {
    kind: 'forbidden',
    message: 'Error from server (Forbidden): events is forbidden: User "dev" cannot list resource "events" in API group "" in the namespace "apigee"',
    command: `kubectl -n apigee get events --field-selector involvedObject.name=${NAME} -o json`,
  };
  const f = run(read(issued({ ready: false }), { requestsFailure, eventsFailure }), null);
  t.deepEqual(f.evidence.slice(2), [
    `the CertificateRequests could not be listed: ${requestsFailure.message}`,
    `the events could not be read: ${eventsFailure.message} (grant get/list on events to see them)`,
  ]);
});

test("error: the Certificates list was refused, with cert-manager's Role rules", (t) => {
  const failure: KubectlFailure = {
    kind: 'forbidden',
    message:
      'Error from server (Forbidden): certificates.cert-manager.io is forbidden: User "dev" cannot list resource "certificates" in API group "cert-manager.io" in the namespace "apigee"',
    command: 'kubectl -n apigee get certificates.cert-manager.io -o json',
  };
  const f = run({ state: 'error', name: NAME, failure });
  t.deepEqual(f, {
    check: 'certificate-issued',
    status: 'error',
    cause: null,
    summary: `could not read cert-manager's Certificates in namespace "apigee" (the secret is issued by Certificate "${NAME}"): ${failure.message}`,
    evidence: [],
    commands: ['kubectl -n apigee get certificates.cert-manager.io -o json'],
    remediation: `grant read access to cert-manager's objects: add these rules to the Role (in namespace "apigee"):\n${RULES}`,
  });
});

test('error: a list that failed otherwise (not Forbidden) names no Role rules', (t) => {
  const failure: KubectlFailure = {
    kind: 'not-found',
    message: 'Error from server (NotFound): the server could not find the requested resource',
    command: 'kubectl -n apigee get certificates.cert-manager.io -o json',
  };
  const f = run({ state: 'error', name: NAME, failure });
  t.is(f.status, 'error');
  t.is(f.cause, null);
  t.is(f.summary, `could not read cert-manager's Certificates in namespace "apigee" (the secret is issued by Certificate "${NAME}"): ${failure.message}`);
  t.is(f.remediation, undefined);
});

test('left out of the run when cert-manager does not issue the secret', (t) => {
  const cluster = clusterOf();
  const e = diagnoseEvidence(cluster);
  e.absent.certManager = 'cert-manager does not manage the secret';
  t.deepEqual(runChecks([certificateIssued], e, diagnoseCtx(cluster)), []);
});
