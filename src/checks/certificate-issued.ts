// When cert-manager issues the secret (a Certificate whose spec.secretName it is), the real root
// cause of a missing or stale secret is the Certificate that is not Ready: its condition, its
// latest CertificateRequest and the events say why (reference/apigee.md §12.4). Left out of the
// report when cert-manager does not manage the secret.
import { conditionText, issuerOf, readyCondition } from '../apigee/cert-manager.js';
import { nameOf, type KubeObject } from '../apigee/resources.js';
import { certManagerRulesYaml } from '../apigee/rbac.js';
import { cmctlCommand } from '../cmdline/cmctl.js';
import { inNamespace, kubectlCommand, type KubectlScope } from '../cmdline/kubectl.js';
import type { CertificateUnread } from '../evidence/cert-manager.js';
import { accessErrorVerdict } from './access-error.js';
import { defineCheck, type CheckContext, type Given, type Verdict } from './check.js';

export const certificateIssued = defineCheck({
  id: 'certificate-issued',
  description: "with cert-manager: the Certificate that issues the env group's secret is Ready",
  causes: ['certificate-not-issued'],
  needs: ['cluster', 'certManager'],
  optional: true,
  run: (inputs, ctx) => issuedVerdict(inputs, ctx),
});

const eventText = (e: KubeObject): string => {
  const ev = e as KubeObject & { type?: string; reason?: string; message?: string; involvedObject?: { kind?: string; name?: string } };
  return `event ${ev.involvedObject?.kind ?? ''} ${ev.involvedObject?.name ?? ''}: ${ev.type ?? ''} ${ev.reason ?? ''}: ${ev.message ?? ''}`.replace(
    /\s+/g,
    ' ',
  );
};

/** The secret cannot serve: missing, without a certificate, unparsable, outside its validity, or with a key the gateway cannot pair with its first certificate. */
function unusable(inputs: Given<'cluster' | 'certManager'>, ctx: CheckContext): boolean {
  if (inputs.cluster.secret.state !== 'found' || !inputs.certSource) return true;
  if (inputs.certAnalysis && !inputs.certAnalysis.ok) return true;
  const leafIndex = inputs.leafIndex ?? 0;
  if (inputs.keyBelongsTo !== undefined && inputs.keyBelongsTo !== 0) return true;
  const leaf = inputs.certificates?.[leafIndex];
  const now = ctx.now.getTime();
  return leaf !== undefined && (leaf.notAfter.getTime() < now || leaf.notBefore.getTime() > now);
}

function issuedVerdict(inputs: Given<'cluster' | 'certManager'>, ctx: CheckContext): Verdict {
  const read = inputs.certManager;
  const e = inputs.cluster;
  if (read.state === 'error') return unreadVerdict(read, e.namespace);
  const { certificate, requests, requestsFailure, events, eventsFailure } = read;
  const name = nameOf(certificate);
  const ns = (certificate.metadata?.namespace as string | undefined) ?? e.namespace;
  const scope = inNamespace(e.scope, ns);
  const commands = certificateCommands(scope, name);
  const ready = readyCondition(certificate);
  const head = `Certificate "${name}" (cert-manager) issues secret "${e.resolution.secret.name}", issuer ${issuerOf(certificate)}`;
  if (ready?.status === 'True') return { status: 'pass', cause: null, summary: `${head}: Ready`, evidence: [conditionText(ready)], commands };
  const latest = requests[requests.length - 1];
  const latestReady = latest ? readyCondition(latest) : undefined;
  const evidence = [
    `Certificate "${name}": ${conditionText(ready)}`,
    `issuer: ${issuerOf(certificate)}`,
    ...(latest ? [`latest CertificateRequest "${nameOf(latest)}": ${conditionText(latestReady)}`] : []),
    ...(requestsFailure ? [`the CertificateRequests could not be listed: ${requestsFailure.message}`] : latest ? [] : ['no CertificateRequest found']),
    ...events.slice(-5).map(eventText),
    ...(eventsFailure ? [`the events could not be read: ${eventsFailure.message} (grant get/list on events to see them)`] : []),
  ];
  const why = latestReady?.message ?? ready?.message ?? 'not Ready';
  const serving = !unusable(inputs, ctx);
  return {
    status: serving ? 'warn' : 'fail',
    cause: 'certificate-not-issued',
    summary: `${head}: not Ready${serving ? ' (the current certificate still serves)' : ''}: ${why}`,
    evidence,
    commands,
    remediation: fixFor(certificate, why, scope),
  };
}

/** What a person runs to see the Certificate: cert-manager's CLI and kubectl, against the same cluster. */
const certificateCommands = (scope: KubectlScope, name: string): string[] => [
  cmctlCommand(scope, ['status', 'certificate', name]),
  kubectlCommand(scope, ['describe', 'certificate', name]),
  kubectlCommand(scope, ['get', 'events', '--field-selector', `involvedObject.name=${name}`]),
];

/** The fix names the issuer only when the issuer is what cert-manager says is missing. */
function fixFor(certificate: KubeObject, why: string, scope: KubectlScope): string {
  const renew = `then: ${cmctlCommand(scope, ['renew', nameOf(certificate)])}`;
  const issuer = issuerOf(certificate);
  if (/IssuerNotFound|[Ii]ssuer"? not found|not found: (cluster)?issuer/.test(why))
    return `create the ${issuer} the Certificate names (or point its issuerRef at one that exists), ${renew}`;
  return `fix what the Certificate reports (${why}), ${renew}`;
}

/** The secret is cert-manager's, but its Certificates could not be listed: say which rule to add. */
function unreadVerdict(read: CertificateUnread, namespace: string): Verdict {
  const verdict = accessErrorVerdict(
    `cert-manager's Certificates in namespace "${namespace}" (the secret is issued by Certificate "${read.name}")`,
    read.failure,
    namespace,
  );
  if (read.failure.kind !== 'forbidden') return verdict;
  return {
    ...verdict,
    remediation: `grant read access to cert-manager's objects: add these rules to the Role (in namespace "${namespace}"):\n${certManagerRulesYaml()}`,
  };
}
