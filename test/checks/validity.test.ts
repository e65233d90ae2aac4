// validity: every certificate valid now, and the leaf not expiring within --expiry-warning. The
// clock is the context's, never the machine's.
import test from 'ava';
import { CHECK_CHECKS } from '../../src/checks/registry.js';
import { validity } from '../../src/checks/validity.js';
import { mintCertificate } from '../../src/sim/mint-certificate.js';
import { rootCa } from '../helpers/scenarios.js';
import { ctx, DAY, judge, judgeIn, leafOf, materialOf, NOW, pki } from './helpers.js';

const at = (days: number): Date => new Date(NOW.getTime() + days * DAY);
const DATES = 'openssl x509 -noout -dates -checkend 0 -in cert.pem';

test('pass: valid now, with the days the leaf has left', (t) => {
  const f = judge(validity, materialOf({ cert: pki().leaf + pki().ca.certificatePem }));
  t.is(f.status, 'pass');
  t.is(f.summary, 'valid now; the leaf expires 2027-12-01T00:00:00Z (in 365 days)');
  t.deepEqual(f.commands, [DATES]);
});

test('pass: in a chain out of order, the real leaf is the one judged', (t) => {
  const f = judge(validity, materialOf({ cert: pki().ca.certificatePem + pki().leaf }));
  t.is(f.summary, 'valid now; the leaf expires 2027-12-01T00:00:00Z (in 365 days)');
});

test('certificate-expired: the leaf, with how long ago', (t) => {
  const f = judge(validity, materialOf({ cert: leafOf({ notBefore: at(-400), notAfter: at(-35) }) }), ctx({ applyFix: 'apigeectl apply' }));
  t.is(f.status, 'fail');
  t.is(f.cause, 'certificate-expired');
  t.is(f.summary, 'the leaf certificate "CN=api.example.com" has expired');
  t.deepEqual(f.evidence, ['#0 "CN=api.example.com" expired 2026-10-27T00:00:00Z (35 days ago)']);
  t.is(f.remediation, 'renew the certificate and replace it; then apply it: apigeectl apply');
});

test('certificate-expired: a chain certificate, worse than a leaf that expires soon', (t) => {
  const oldRoot = rootCa('Old Root CA', at(-3700));
  const leaf = mintCertificate({
    commonName: 'api.example.com',
    sans: ['api.example.com'],
    key: pki().leafKey,
    issuer: { certificatePem: oldRoot.certificatePem, commonName: oldRoot.commonName, key: oldRoot.key },
    notBefore: at(-100),
    notAfter: at(3),
  });
  const f = judge(validity, materialOf({ cert: leaf + oldRoot.certificatePem }));
  t.is(f.cause, 'certificate-expired');
  t.is(f.summary, 'chain certificate #1 "CN=Old Root CA" has expired');
  t.deepEqual(f.evidence, [
    '#0 "CN=api.example.com" expires 2026-12-04T00:00:00Z (in 3 days)',
    '#1 "CN=Old Root CA" expired 2026-10-12T00:00:00Z (50 days ago)',
  ]);
});

test('certificate-not-yet-valid: its notBefore is in the future', (t) => {
  const f = judge(validity, materialOf({ cert: leafOf({ notBefore: at(2), notAfter: at(400) }) }));
  t.is(f.status, 'fail');
  t.is(f.cause, 'certificate-not-yet-valid');
  t.is(f.summary, 'the leaf certificate "CN=api.example.com" is not valid yet');
  t.deepEqual(f.evidence, ['#0 "CN=api.example.com" not valid before 2026-12-03T00:00:00Z']);
  t.is(f.remediation, 'check the clock of the machine that issued it, or wait until it is valid; serve the previous certificate meanwhile');
});

test('certificate-expiring-soon: a warning within --expiry-warning, a pass outside it', (t) => {
  const e = materialOf({ cert: leafOf({ notBefore: at(-80), notAfter: at(5) }) });
  const f = judge(validity, e, ctx({ expiryWarningMs: 14 * DAY }));
  t.is(f.status, 'warn');
  t.is(f.cause, 'certificate-expiring-soon');
  t.is(f.summary, 'the leaf certificate "CN=api.example.com" expires soon');
  t.deepEqual(f.evidence, ['#0 "CN=api.example.com" expires 2026-12-06T00:00:00Z (in 5 days)']);
  const later = judge(validity, e, ctx({ expiryWarningMs: 4 * DAY }));
  t.is(later.status, 'pass');
  t.is(later.summary, 'valid now; the leaf expires 2026-12-06T00:00:00Z (in 5 days)');
});

test('skip: the certificate did not parse', (t) => {
  const f = judgeIn(CHECK_CHECKS, 'validity', materialOf({ cert: '' }));
  t.deepEqual(f, { check: 'validity', status: 'skip', cause: null, summary: 'not checked: the certificate did not parse', evidence: [], commands: [] });
});
