// The cluster `demo` diagnoses: one org with a healthy env group of each key type, one env group
// per playbook cause, and a few of the mistakes the playbook's own method misses. Every key and
// certificate is made fresh in memory on each run.
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { mintCertificate } from './mint-certificate.js';
import {
  apigeeCluster,
  envoyRejectedLine,
  generatedRouteName,
  issuerNotFound,
  istiodLine,
  watcherWebhookX509Line,
  type ApigeeClusterScenario,
  type EnvGroupSpec,
} from './scenario.js';

export const DEMO_ORG = 'demo-org';

const generate = promisify(generateKeyPair);
const rsaKey = async (): Promise<KeyObject> => (await generate('rsa', { modulusLength: 2048 })).privateKey;
const ecKey = async (curve = 'P-256'): Promise<KeyObject> => (await generate('ec', { namedCurve: curve })).privateKey;
const pem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();

const DAY = 86_400_000;

export async function demoCluster(now: Date): Promise<ApigeeClusterScenario> {
  const [rootKey, intKey, rsaLeafKey, ecLeafKey, otherKey, p384Key] = await Promise.all([rsaKey(), rsaKey(), rsaKey(), ecKey(), rsaKey(), ecKey('P-384')]);
  const validFrom = new Date(now.getTime() - 30 * DAY);
  const validTo = new Date(now.getTime() + 335 * DAY);
  const root = mintCertificate({ commonName: 'Demo Root CA', key: rootKey, notBefore: validFrom, notAfter: new Date(now.getTime() + 3650 * DAY), isCA: true });
  const intermediate = mintCertificate({
    commonName: 'Demo Issuing CA',
    key: intKey,
    issuer: { certificatePem: root, commonName: 'Demo Root CA', key: rootKey },
    notBefore: validFrom,
    notAfter: new Date(now.getTime() + 1825 * DAY),
    isCA: true,
  });
  const issuer = { certificatePem: intermediate, commonName: 'Demo Issuing CA', key: intKey };
  const host = (eg: string) => `${eg}.${DEMO_ORG}.example.com`;
  const leaf = (eg: string, key: KeyObject, overrides: { notBefore?: Date; notAfter?: Date; sans?: string[] } = {}) =>
    mintCertificate({
      commonName: host(eg),
      sans: overrides.sans ?? [host(eg)],
      key,
      issuer,
      notBefore: overrides.notBefore ?? validFrom,
      notAfter: overrides.notAfter ?? validTo,
    });
  // Leaf, intermediate, root: a chain that ends at a self-signed root is complete.
  const chain = (leafPem: string) => leafPem + intermediate + root;

  // What the ingress logs about the broken env groups (reference/apigee.md §12.1, §12.5): a minute
  // ago, after their secrets were written a day ago. A gateway's Envoy line names no secret, so the
  // env groups whose gateway rejects their secret get an ingress of their own.
  const written = { creationTimestamp: new Date(now.getTime() - DAY).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  const at = new Date(now.getTime() - 60_000);
  const secretOf = (eg: string) => `${DEMO_ORG}-${eg}`;
  const envgroups: EnvGroupSpec[] = [
    { name: 'healthy-rsa', secret: { cert: chain(leaf('healthy-rsa', rsaLeafKey)), key: pem(rsaLeafKey) } },
    {
      name: 'healthy-ec',
      secretName: 'healthy-ec-tls',
      secret: { layout: 'kubernetes.io/tls', cert: chain(leaf('healthy-ec', ecLeafKey)), key: pem(ecLeafKey) },
    },
    { name: 'missing-secret', secret: null, logs: { manager: [istiodLine('not-found', secretOf('missing-secret'), 'apigee', at)], at } },
    {
      name: 'malformed-cert',
      secret: {
        ...written,
        cert: chain(leaf('malformed-cert', rsaLeafKey)).replace('-----END CERTIFICATE-----', '-----END CERTIFICATE----'),
        key: pem(rsaLeafKey),
      },
      logs: { manager: [istiodLine('pem', secretOf('malformed-cert'), 'apigee', at)], at },
    },
    {
      name: 'key-mismatch',
      ingress: 'mismatch-ingress',
      secret: { ...written, cert: chain(leaf('key-mismatch', rsaLeafKey)), key: pem(otherKey) },
      logs: { gateway: [envoyRejectedLine('key-mismatch', at)], at },
    },
    // A valid certificate the gateway still refuses: Envoy before 1.33 loads only P-256 ECDSA.
    {
      name: 'p384-cert',
      ingress: 'curve-ingress',
      secret: { ...written, cert: chain(leaf('p384-cert', p384Key)), key: pem(p384Key) },
      logs: { gateway: [envoyRejectedLine('p256-only', at)], at },
    },
    // A corrected secret that never reaches the gateway: the watcher cannot update the routes.
    {
      name: 'routes-stuck',
      secret: { ...written, cert: chain(leaf('routes-stuck', rsaLeafKey)), key: pem(rsaLeafKey) },
      logs: { watcher: [watcherWebhookX509Line([generatedRouteName(secretOf('routes-stuck'))], 'apigee', at)], at },
    },
    // cert-manager issues this one, and its Certificate cannot be: the ClusterIssuer it names is missing.
    { name: 'cert-pending', owner: 'cert-manager', secret: null, certificateReady: false },
    { name: 'chain-reversed', secret: { cert: intermediate + leaf('chain-reversed', rsaLeafKey) + root, key: pem(rsaLeafKey) } },
    {
      name: 'expired',
      secret: {
        cert: chain(leaf('expired', rsaLeafKey, { notBefore: new Date(now.getTime() - 400 * DAY), notAfter: new Date(now.getTime() - 5 * DAY) })),
        key: pem(rsaLeafKey),
      },
    },
    {
      name: 'wrong-host',
      hostnames: [host('wrong-host'), 'api.partner.example.com'],
      secret: { cert: chain(leaf('wrong-host', rsaLeafKey)), key: pem(rsaLeafKey) },
    },
    // Real clusters (reference/apigee.md §12): a secret the user made (sslSecret) is missing, so the
    // fix is kubectl, not the install's tool; an mTLS env group whose CA is in <secret>-cacert, as
    // istiod reads it; and an env group served to non-SNI clients by a wildcard route whose secret is gone.
    { name: 'byo-missing', secretName: 'byo-missing-tls', secret: null },
    {
      name: 'mtls-cacert',
      secretName: 'mtls-cacert-tls',
      mode: 'MUTUAL',
      caSecret: root,
      secret: { cert: chain(leaf('mtls-cacert', rsaLeafKey)), key: pem(rsaLeafKey) },
    },
    { name: 'non-sni', additionalGateways: ['non-sni-wildcard'], secret: { cert: chain(leaf('non-sni', rsaLeafKey)), key: pem(rsaLeafKey) } },
  ];
  const scenario = apigeeCluster({
    org: DEMO_ORG,
    // Each virtual host names its ingress (selector ingress_name, reference/apigee.md §2.2), so a
    // gateway's rejection is told apart from the others'.
    envgroups: envgroups.map((eg) => ({ ...eg, ingress: eg.ingress ?? 'apigee-ingress' })),
    now,
    jsonLogs: true,
    nonSniRoutes: [{ name: 'non-sni-wildcard', credentialName: 'non-sni-shared', secret: null }],
    ingresses: ['apigee-ingress', 'mismatch-ingress', 'curve-ingress'],
    issues: [
      {
        name: `ingress-cert-expired-${DEMO_ORG}-expired`,
        reason: 'AIS_INGRESS_CERT_EXPIREY',
        severity: 'ERROR',
        routeConfig: `${DEMO_ORG}-expired`,
        secret: `${DEMO_ORG}-expired`,
      },
    ],
  });
  return { ...scenario, objects: [...scenario.objects, ...issuerNotFound(secretOf('cert-pending'))] };
}
