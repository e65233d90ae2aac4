// The cluster `demo` diagnoses: one org with a healthy env group of each key type, one env group
// per playbook cause, and a few of the mistakes the playbook's own method misses. Every key and
// certificate is made fresh in memory on each run.
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { mintCertificate } from './mint-certificate.js';
import { apigeeCluster, type ApigeeClusterScenario, type EnvGroupSpec } from './scenario.js';

export const DEMO_ORG = 'demo-org';

const generate = promisify(generateKeyPair);
const rsaKey = async (): Promise<KeyObject> => (await generate('rsa', { modulusLength: 2048 })).privateKey;
const ecKey = async (): Promise<KeyObject> => (await generate('ec', { namedCurve: 'P-256' })).privateKey;
const pem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();

const DAY = 86_400_000;

export async function demoCluster(now: Date): Promise<ApigeeClusterScenario> {
  const [rootKey, intKey, rsaLeafKey, ecLeafKey, otherKey] = await Promise.all([rsaKey(), rsaKey(), rsaKey(), ecKey(), rsaKey()]);
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

  const envgroups: EnvGroupSpec[] = [
    { name: 'healthy-rsa', secret: { cert: chain(leaf('healthy-rsa', rsaLeafKey)), key: pem(rsaLeafKey) } },
    {
      name: 'healthy-ec',
      secretName: 'healthy-ec-tls',
      secret: { layout: 'kubernetes.io/tls', cert: chain(leaf('healthy-ec', ecLeafKey)), key: pem(ecLeafKey) },
    },
    { name: 'missing-secret', secret: null },
    {
      name: 'malformed-cert',
      secret: { cert: chain(leaf('malformed-cert', rsaLeafKey)).replace('-----END CERTIFICATE-----', '-----END CERTIFICATE----'), key: pem(rsaLeafKey) },
    },
    { name: 'key-mismatch', secret: { cert: chain(leaf('key-mismatch', rsaLeafKey)), key: pem(otherKey) } },
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
  return apigeeCluster({
    org: DEMO_ORG,
    envgroups,
    now,
    jsonLogs: true,
    nonSniRoutes: [{ name: 'non-sni-wildcard', credentialName: 'non-sni-shared', secret: null }],
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
}
