// ingress-gateways: Envoy's rejection lines from the gateways the env group's selector picks
// (reference/apigee.md §7.3, §12.5). Its lines name no secret: one fails only when it states a
// defect this secret has, else it warns. Also withIngressLines: a secret check's finding gets the
// ingress's line of the same cause. The evidence is built as diagnose builds it (ingressLogsFor).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import test from 'ava';
import { ingressGateways } from '../../src/checks/ingress-gateways.js';
import { withIngressLines } from '../../src/checks/ingress-evidence.js';
import { keyMatch } from '../../src/checks/key-match.js';
import type { LogLine, ScannedSource } from '../../src/evidence/log-line.js';
import type { SourceRead } from '../../src/gather/scan-source.js';
import { envoyRejectedLine, ingressGatewayPod, routeConfig, type EnvoyRejection } from '../../src/sim/scenario.js';
import type { K8sObject } from '../../src/sim/types.js';
import { clusterOf, diagnoseCtx, snapshotOf, sourceRead, ENVGROUP, judge, leafOf, NS, ORG, pem, pki, secretOf } from './helpers.js';
import { ago, stampAgo, withNamespaceLogs, writtenAt } from './helpers.js';

// ---- local builders ---------------------------------------------------------------------------

const GATEWAY = ingressGatewayPod({ org: ORG });
const INTERNAL = ingressGatewayPod({ org: ORG, ingress: 'internal' });
const GW = GATEWAY.metadata.name;
const INTERNAL_GW = INTERNAL.metadata.name;
const APPLY = 'apigeectl apply -f overrides/overrides.yaml --settings virtualhosts';
const COMMAND =
  "kubectl -n apigee logs -l app=apigee-ingressgateway --all-containers --since=1h --tail=10000 --timestamps | grep -E 'Secret rejected|Failed to load '";
const ENVOY_PREFIX =
  'warning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138\tgRPC config for type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret rejected: ';
const P256_ONLY = 'Failed to load certificate chain from <inline>, only P-256 ECDSA certificates are supported';
const MISMATCH = 'Failed to load private key from <inline>, Cause: error:0b000074:X.509 certificate routines:OPENSSL_internal:KEY_VALUES_MISMATCH';

const ecKeyOn = (namedCurve: 'P-256' | 'P-384' | 'P-521'): KeyObject => generateKeyPairSync('ec', { namedCurve }).privateKey;

/** The env group's secret holding `cert` and `key`, last written at WRITTEN. */
const writtenSecret = (cert: string, key: KeyObject): K8sObject => writtenAt(secretOf({ cert, key: pem(key) }));
const goodSecret = () => writtenSecret(pki().leaf, pki().leafKey);

/** Envoy's line on a gateway's istio-proxy, `minutesAgo` before NOW. */
const envoyLine = (reason: EnvoyRejection, minutesAgo: number, pod = GW): LogLine => ({
  pod,
  container: 'istio-proxy',
  time: stampAgo(minutesAgo),
  text: envoyRejectedLine(reason, ago(minutesAgo)),
});
/** How the evidence quotes such a line. */
const quotedEnvoy = (why: string, minutesAgo: number, pod = GW): string =>
  `${pod}/istio-proxy at ${stampAgo(minutesAgo)}: ${ago(minutesAgo).toISOString().replace('Z', '000Z')}\t${ENVOY_PREFIX}${why}\tthread=15`;

const streams = (pods: K8sObject[]) => pods.flatMap((p) => [`${p.metadata.name}/istio-proxy`, `${p.metadata.name}/apigee-gateway-aux`]);
const gatewaysRead = (lines: LogLine[], pods: K8sObject[] = [GATEWAY], over: Partial<ScannedSource> = {}): SourceRead => sourceRead(streams(pods), lines, over);
const snapshot = (pods: K8sObject[]) => snapshotOf({ pods });

interface Setup {
  secret?: K8sObject | null;
  /** The route config's selector; default app=apigee-ingressgateway (every gateway). */
  selector?: Record<string, string>;
  /** The namespace's pods (listed); default the one apigee-ingress gateway. */
  pods?: K8sObject[];
}

/** diagnose's Evidence with the ingress logs kept for the env group from the namespace's gateway log. */
function build(gateways: SourceRead, o: Setup = {}) {
  const cluster = clusterOf({
    secret: o.secret === undefined ? goodSecret() : o.secret,
    ...(o.selector ? { routeConfig: routeConfig({ org: ORG, envgroup: ENVGROUP, namespace: NS, selector: o.selector }) } : {}),
  });
  const e = withNamespaceLogs(cluster, { gateways }, snapshot(o.pods ?? [GATEWAY]));
  return { cluster, e, ingressLogs: e.inputs.ingressLogs! };
}

function run(gateways: SourceRead, o: Setup = {}) {
  const { cluster, e } = build(gateways, o);
  return judge(ingressGateways, e, diagnoseCtx(cluster));
}

const REISSUE = `reissue the certificate with a P-256 ECDSA or an RSA key (the gateway's Envoy, before 1.33, loads only P-256 ECDSA), then apply it: ${APPLY}`;

// ---- the curve Envoy refuses ------------------------------------------------------------------

for (const curve of ['P-384', 'P-521'] as const) {
  test(`ingress-rejected-secret: a ${curve} leaf and a current "only P-256 ECDSA" line, with the reissue fix`, (t) => {
    const key = ecKeyOn(curve);
    const f = run(gatewaysRead([envoyLine('p256-only', 5)]), { secret: writtenSecret(leafOf({ key }), key) });
    t.is(f.check, 'ingress-gateways');
    t.is(f.status, 'fail');
    t.is(f.cause, 'ingress-rejected-secret');
    t.is(f.summary, `gateway ${GW} rejects the secret: the leaf's key is ECDSA ${curve}`);
    t.deepEqual(f.evidence, [quotedEnvoy(P256_ONLY, 5), `read ${GW}/istio-proxy`, `read ${GW}/apigee-gateway-aux`]);
    t.deepEqual(f.commands, [COMMAND]);
    t.is(f.remediation, REISSUE);
  });
}

test('warn: a P-256 leaf and the same line, which no defect of this secret explains', (t) => {
  const key = ecKeyOn('P-256');
  const f = run(gatewaysRead([envoyLine('p256-only', 5)]), { secret: writtenSecret(leafOf({ key }), key) });
  t.is(f.status, 'warn');
  t.is(f.cause, 'ingress-rejected-secret');
  t.is(f.summary, `a gateway serving the env group (${GW}) rejected a secret; its line names none, and no defect of this secret explains it`);
  t.deepEqual(f.evidence, [quotedEnvoy(P256_ONLY, 5), `read ${GW}/istio-proxy`, `read ${GW}/apigee-gateway-aux`]);
  t.deepEqual(f.commands, [COMMAND]);
  t.is(f.remediation, 'fix what the line names in the secret, then apply it; the gateway reloads it by itself');
});

test('warn: an RSA leaf and the same line', (t) => {
  const f = run(gatewaysRead([envoyLine('p256-only', 5)]));
  t.is(f.status, 'warn');
  t.is(f.cause, 'ingress-rejected-secret');
});

// ---- KEY_VALUES_MISMATCH ----------------------------------------------------------------------

test("warn: KEY_VALUES_MISMATCH while the secret's key belongs to its leaf", (t) => {
  const f = run(gatewaysRead([envoyLine('key-mismatch', 5)]));
  t.is(f.status, 'warn');
  t.is(f.cause, 'ingress-rejected-secret');
  t.is(f.summary, `a gateway serving the env group (${GW}) rejected a secret; its line names none, and no defect of this secret explains it`);
  t.deepEqual(f.evidence, [quotedEnvoy(MISMATCH, 5), `read ${GW}/istio-proxy`, `read ${GW}/apigee-gateway-aux`]);
});

test('ingress-rejected-secret: KEY_VALUES_MISMATCH with a key that does not belong to the leaf', (t) => {
  const f = run(gatewaysRead([envoyLine('key-mismatch', 5)]), { secret: writtenSecret(pki().leaf, pki().otherKey) });
  t.is(f.status, 'fail');
  t.is(f.cause, 'ingress-rejected-secret');
  t.is(f.summary, `gateway ${GW} rejects the secret: the secret's key does not belong to its leaf certificate`);
  t.deepEqual(f.evidence, [quotedEnvoy(MISMATCH, 5), `read ${GW}/istio-proxy`, `read ${GW}/apigee-gateway-aux`]);
  t.deepEqual(f.commands, [COMMAND]);
  t.is(f.remediation, `fix what the line names in the secret, then apply it (${APPLY}); the gateway reloads it by itself`);
});

test('ingress-rejected-secret: KEY_VALUES_MISMATCH and a chain out of order, whose key belongs to its second certificate (Envoy pairs the first)', (t) => {
  const f = run(gatewaysRead([envoyLine('key-mismatch', 5)]), { secret: writtenSecret(`${pki().ca.certificatePem}${pki().leaf}`, pki().leafKey) });
  t.is(f.status, 'fail');
  t.is(f.cause, 'ingress-rejected-secret');
  t.is(f.summary, `gateway ${GW} rejects the secret: the secret's key belongs to certificate #1, not the first (the chain is out of order)`);
});

test('ingress-rejected-secret: only the lines that state a defect are quoted on the fail', (t) => {
  const f = run(gatewaysRead([envoyLine('p256-only', 8), envoyLine('key-mismatch', 5)]), { secret: writtenSecret(pki().leaf, pki().otherKey) });
  t.is(f.status, 'fail');
  t.deepEqual(f.evidence, [quotedEnvoy(MISMATCH, 5), `read ${GW}/istio-proxy`, `read ${GW}/apigee-gateway-aux`]);
});

// ---- whose lines count, and when ----------------------------------------------------------------

test('pass: a rejection from a gateway the selector does not pick is ignored, and its streams are not listed', (t) => {
  const key = ecKeyOn('P-384');
  const f = run(gatewaysRead([envoyLine('p256-only', 5, GW)], [GATEWAY, INTERNAL]), {
    secret: writtenSecret(leafOf({ key }), key),
    selector: { app: 'apigee-ingressgateway', ingress_name: 'internal' },
    pods: [GATEWAY, INTERNAL],
  });
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, 'read the logs of 1 gateway pod serving the env group (last 1h): no rejection');
  t.deepEqual(f.evidence, [`read ${INTERNAL_GW}/istio-proxy`, `read ${INTERNAL_GW}/apigee-gateway-aux`]);
  t.deepEqual(f.commands, [
    "kubectl -n apigee logs -l app=apigee-ingressgateway,ingress_name=internal --all-containers --since=1h --tail=10000 --timestamps | grep -E 'Secret rejected|Failed to load '",
  ]);
});

test('pass: a P-384 rejection older than the last write is history', (t) => {
  const key = ecKeyOn('P-384');
  const f = run(gatewaysRead([envoyLine('p256-only', 40)]), { secret: writtenSecret(leafOf({ key }), key) });
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, 'read the logs of 1 gateway pod serving the env group (last 1h): no rejection since the secret was last written');
  t.deepEqual(f.evidence, [
    'rejected before the secret was last written at 2026-11-30T23:30:00Z:',
    `  ${quotedEnvoy(P256_ONLY, 40)}`,
    `read ${GW}/istio-proxy`,
    `read ${GW}/apigee-gateway-aux`,
  ]);
  t.is(f.remediation, undefined);
});

test('skip: no gateway pod matches the selector, so no gateway serves the env group', (t) => {
  const f = run(gatewaysRead([envoyLine('p256-only', 5)]), { selector: { app: 'apigee-ingressgateway', ingress_name: 'renamed' } });
  t.deepEqual(f, {
    check: 'ingress-gateways',
    status: 'skip',
    cause: null,
    summary: "no ingress gateway pod matches the env group's selector: no gateway log to read",
    evidence: [],
    commands: [
      "kubectl -n apigee logs -l app=apigee-ingressgateway,ingress_name=renamed --all-containers --since=1h --tail=10000 --timestamps | grep -E 'Secret rejected|Failed to load '",
    ],
  });
});

test('skip: no gateway pod in the namespace at all', (t) => {
  const f = run({ state: 'ok', value: { sources: [], lines: [], failures: [], noPods: true } }, { pods: [] });
  t.is(f.status, 'skip');
  t.is(f.summary, 'no ingress gateway pod in namespace "apigee" (label app=apigee-ingressgateway, or a name starting apigee-ingressgateway-)');
});

// ---- withIngressLines -------------------------------------------------------------------------

test("withIngressLines: key-mismatch gets the gateway's current KEY_VALUES_MISMATCH line, not an older one", (t) => {
  const secret = writtenSecret(pki().leaf, pki().otherKey);
  const current = build(gatewaysRead([envoyLine('key-mismatch', 5)]), { secret });
  const finding = judge(keyMatch, current.e, diagnoseCtx(current.cluster));
  t.is(finding.cause, 'key-mismatch');
  const [withLine] = withIngressLines([finding], current.ingressLogs);
  t.is(withLine!.evidence.length, finding.evidence.length + 1);
  t.is(withLine!.evidence[withLine!.evidence.length - 1], `the ingress logged: ${quotedEnvoy(MISMATCH, 5)}`);
  t.deepEqual(withLine!.evidence.slice(0, -1), finding.evidence);

  const older = build(gatewaysRead([envoyLine('key-mismatch', 40)]), { secret });
  const [without] = withIngressLines([judge(keyMatch, older.e, diagnoseCtx(older.cluster))], older.ingressLogs);
  t.false(without!.evidence.some((e) => e.startsWith('the ingress logged:')));
});

test('withIngressLines: a passing key-match, or a line of another cause, adds nothing', (t) => {
  const current = build(gatewaysRead([envoyLine('key-mismatch', 5)]));
  const finding = judge(keyMatch, current.e, diagnoseCtx(current.cluster));
  t.is(finding.status, 'pass');
  const [same] = withIngressLines([finding], current.ingressLogs);
  t.deepEqual(same!.evidence, finding.evidence);

  const other = build(gatewaysRead([envoyLine('p256-only', 5)]), { secret: writtenSecret(pki().leaf, pki().otherKey) });
  const mismatch = judge(keyMatch, other.e, diagnoseCtx(other.cluster));
  t.is(mismatch.cause, 'key-mismatch');
  const [unchanged] = withIngressLines([mismatch], other.ingressLogs);
  t.deepEqual(unchanged!.evidence, mismatch.evidence);
});
