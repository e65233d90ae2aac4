// hostnames: the leaf's SANs cover every hostname of the env group and each --host.
import test from 'ava';
import { DIAGNOSE_CHECKS, CHECK_CHECKS } from '../../src/checks/registry.js';
import { hostnames } from '../../src/checks/hostnames.js';
import { clusterOf, ctx, diagnoseCtx, diagnoseEvidence, forbidden, judge, judgeIn, leafOf, materialOf, pki } from './helpers.js';

const SAN_COMMAND = 'openssl x509 -noout -ext subjectAltName -in cert.pem';

test('pass: a name and a wildcard one label deep', (t) => {
  const f = judge(hostnames, materialOf({ cert: pki().leaf, hostnames: ['api.example.com', 'shop.apps.example.com'] }));
  t.is(f.status, 'pass');
  t.is(f.summary, 'the leaf covers api.example.com, shop.apps.example.com');
  t.deepEqual(f.commands, [SAN_COMMAND]);
});

test('pass: in a chain out of order, the real leaf is the one judged', (t) => {
  const f = judge(hostnames, materialOf({ cert: pki().ca.certificatePem + pki().leaf, hostnames: ['api.example.com'] }));
  t.is(f.status, 'pass');
});

test('hostname-not-covered: another name, and a name two labels under the wildcard', (t) => {
  const f = judge(
    hostnames,
    materialOf({ cert: pki().leaf, hostnames: ['api.example.com', 'other.example.com', 'a.b.apps.example.com'] }),
    ctx({ applyFix: 'apigeectl apply' }),
  );
  t.is(f.status, 'fail');
  t.is(f.cause, 'hostname-not-covered');
  t.is(f.summary, 'the leaf "CN=api.example.com" does not cover other.example.com, a.b.apps.example.com');
  t.deepEqual(f.evidence, ['SANs: DNS:api.example.com, DNS:*.apps.example.com', 'not covered: other.example.com', 'not covered: a.b.apps.example.com']);
  t.is(f.remediation, 'reissue the certificate with subjectAltName entries for other.example.com, a.b.apps.example.com; then apply it: apigeectl apply');
});

test('hostname-not-covered: a leaf with no subjectAltName (its CN does not count)', (t) => {
  const f = judge(hostnames, materialOf({ cert: leafOf({ cn: 'api.example.com', sans: [] }), hostnames: ['api.example.com'] }));
  t.is(f.cause, 'hostname-not-covered');
  t.deepEqual(f.evidence, ['the leaf has no subjectAltName (the CN is ignored by clients)', 'not covered: api.example.com']);
});

test("hostname-not-covered: diagnose judges the secret's leaf against the env group's ApigeeRoutes", (t) => {
  const cluster = clusterOf({ hostnames: ['api.example.com', 'legacy.example.org'] });
  const f = judgeIn(DIAGNOSE_CHECKS, 'hostnames', diagnoseEvidence(cluster), diagnoseCtx(cluster));
  t.is(f.cause, 'hostname-not-covered');
  t.is(f.summary, 'the leaf "CN=api.example.com" does not cover legacy.example.org');
  t.is(f.commands[0], "kubectl -n apigee get secret my-org-prod -o jsonpath='{.data.cert}' | base64 -d | openssl x509 -noout -ext subjectAltName");
});

test('skip (its own): no hostname to check, the SANs still shown', (t) => {
  const f = judge(hostnames, materialOf({ cert: pki().leaf }));
  t.deepEqual(f, {
    check: 'hostnames',
    status: 'skip',
    cause: null,
    summary: 'no hostnames to check (pass --host NAME)',
    evidence: ['SANs: DNS:api.example.com, DNS:*.apps.example.com'],
    commands: [],
  });
});

test("error: the env group's ApigeeRoutes could not be listed, so no name is judged", (t) => {
  const failure = forbidden('apigeeroutes', 'kubectl -n apigee get apigeeroutes -o json');
  const cluster = clusterOf({ hostnamesUnavailable: { failure, namespace: 'apigee' } });
  const f = judgeIn(DIAGNOSE_CHECKS, 'hostnames', diagnoseEvidence(cluster), diagnoseCtx(cluster));
  t.is(f.status, 'error');
  t.is(f.cause, null);
  t.is(f.summary, `could not read the env group's hostnames (ApigeeRoutes): ${failure.message}`);
  t.deepEqual(f.commands, [failure.command]);
  t.regex(f.remediation!, /^ask a cluster admin for read access in namespace "apigee"; the plugin needs no more than this Role/);
});

test('skip: the certificate did not parse', (t) => {
  const f = judgeIn(CHECK_CHECKS, 'hostnames', materialOf({ cert: 'x', hostnames: ['api.example.com'] }));
  t.is(f.status, 'skip');
  t.is(f.summary, 'not checked: the certificate did not parse');
});
