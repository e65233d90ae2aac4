// certificate: the playbook's cause 2, judged on the bytes of a file or a secret's data.
import test from 'ava';
import { CERT_ADVICE } from '../../src/checks/advice.js';
import { analyseMaterial, materialEvidence } from '../../src/checks/analyse-material.js';
import { certificate } from '../../src/checks/certificate-format.js';
import { DIAGNOSE_CHECKS } from '../../src/checks/registry.js';
import { mirrorKey } from '../../src/evidence/mirrors.js';
import { clusterOf, ctx, diagnoseCtx, diagnoseEvidence, fileMaterial, judge, judgeIn, materialOf, pem, pki, secretOf } from './helpers.js';

test('pass: a leaf and its root, each described', (t) => {
  const { leaf, ca } = pki();
  const f = judge(certificate, materialOf({ cert: leaf + ca.certificatePem }));
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, 'cert.pem is a well-formed PEM chain of 2 certificates');
  t.deepEqual(f.evidence, [
    '#0 subject "CN=api.example.com", issuer "CN=Test Root CA", SANs api.example.com *.apps.example.com, valid 2026-11-21T00:00:00Z to 2027-12-01T00:00:00Z',
    '#1 subject "CN=Test Root CA", issuer "CN=Test Root CA", no SANs, valid 2026-11-01T00:00:00Z to 2036-11-28T00:00:00Z',
  ]);
  t.deepEqual(f.commands, ['openssl x509 -in cert.pem -text -noout']);
  t.is(f.remediation, undefined);
});

test('pass: CRLF line endings are a note, not a failure', (t) => {
  const f = judge(certificate, materialOf({ cert: pki().leaf.replace(/\n/g, '\r\n') }));
  t.is(f.status, 'pass');
  t.true(f.evidence.includes('note: CRLF line endings (accepted by openssl and the ingress)'), f.evidence.join('\n'));
});

test('malformed-certificate: text after the last END line, with the fix and how it is applied', (t) => {
  const f = judge(
    certificate,
    materialOf({ cert: `${pki().leaf}trailing words\n` }),
    ctx({ applyFix: 'apigeectl apply -f overrides.yaml --settings virtualhosts' }),
  );
  t.is(f.status, 'fail');
  t.is(f.cause, 'malformed-certificate');
  t.regex(f.summary, /^cert\.pem is not a well-formed PEM certificate: /);
  t.is(f.remediation, `${CERT_ADVICE['trailing-garbage']}; then apply it: apigeectl apply -f overrides.yaml --settings virtualhosts`);
  t.deepEqual(f.commands, ['openssl x509 -in cert.pem -text -noout', 'openssl crl2pkcs7 -nocrl -certfile cert.pem']);
});

test('malformed-certificate: a private key where the certificate belongs', (t) => {
  const f = judge(certificate, materialOf({ cert: pem(pki().leafKey) }));
  t.is(f.cause, 'malformed-certificate');
  t.is(f.remediation, CERT_ADVICE['private-key-not-certificate']);
});

test("malformed-certificate: openssl's output is quoted, and where the playbook's own check would have passed", (t) => {
  const material = fileMaterial({ cert: `Subject: pasted from a mail\n${pki().leaf}` });
  const mirrors = new Map([
    [
      mirrorKey('cert', 'x509-text'),
      {
        display: 'openssl x509 -in cert.pem -text -noout',
        exitCode: 0,
        stdout: 'Certificate:\n        Subject: CN=api.example.com\n',
        stderr: '',
        opensslMissing: false,
      },
    ],
  ]);
  const f = judge(certificate, materialEvidence(material, analyseMaterial(material), mirrors));
  t.is(f.cause, 'malformed-certificate');
  t.is(f.remediation, CERT_ADVICE['leading-garbage']);
  t.deepEqual(f.evidence, [
    '$ openssl x509 -in cert.pem -text -noout  → exit 0: Certificate:',
    "openssl x509 still printed a certificate (Subject: CN=api.example.com): the playbook's check would pass here",
  ]);
});

test('malformed-certificate: secret data that is not base64, with the commands that read the secret', (t) => {
  const cluster = clusterOf({ secret: secretOf({ key: pem(pki().leafKey), rawData: { cert: 'not*base64!' } }) });
  const f = judgeIn(DIAGNOSE_CHECKS, 'certificate', diagnoseEvidence(cluster), diagnoseCtx(cluster));
  t.is(f.status, 'fail');
  t.is(f.cause, 'malformed-certificate');
  t.is(
    f.summary,
    'secret "my-org-prod" key "cert" is not a well-formed PEM certificate: the Secret holds this value in a form that is not valid base64, so the ingress cannot decode it',
  );
  t.is(f.commands[0], "kubectl -n apigee get secret my-org-prod -o jsonpath='{.data.cert}' | base64 -d | openssl x509 -text -noout");
  t.regex(f.remediation!, /^the body holds characters that are not base64: export the certificate again; then apply it: apigeectl apply/);
});

test('skip: diagnose without a secret says so once, under certificate', (t) => {
  const cluster = clusterOf({ secret: null });
  const f = judgeIn(DIAGNOSE_CHECKS, 'certificate', diagnoseEvidence(cluster), diagnoseCtx(cluster));
  t.deepEqual(f, { check: 'certificate', status: 'skip', cause: null, summary: 'no secret to read', evidence: [], commands: [] });
});

test('skip: a secret without a certificate and key to read', (t) => {
  const cluster = clusterOf({ secret: secretOf({ cert: pki().leaf }) });
  const f = judgeIn(DIAGNOSE_CHECKS, 'certificate', diagnoseEvidence(cluster), diagnoseCtx(cluster));
  t.is(f.status, 'skip');
  t.is(f.summary, 'the secret holds no certificate and key to check');
});
