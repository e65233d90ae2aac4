// chain-complete: the chain reaches a trust anchor; judged only after chain-order passed.
import test from 'ava';
import { chainComplete } from '../../src/checks/chain-complete.js';
import { CHECK_CHECKS } from '../../src/checks/registry.js';
import { judgeIn, materialOf, pki } from './helpers.js';

const VERIFY = 'openssl verify -untrusted cert.pem cert.pem';

test('pass: the chain ends at a self-signed root', (t) => {
  const f = judgeIn(CHECK_CHECKS, 'chain-complete', materialOf({ cert: pki().leaf + pki().ca.certificatePem }));
  t.is(f.status, 'pass');
  t.is(f.summary, 'the chain ends at "CN=Test Root CA" (self-signed)');
  t.deepEqual(f.commands, [VERIFY]);
});

test('pass: a lone leaf whose issuer is the CA given (--ca)', (t) => {
  const f = judgeIn(CHECK_CHECKS, 'chain-complete', materialOf({ cert: pki().leaf, ca: pki().ca.certificatePem }));
  t.is(f.status, 'pass');
  t.is(f.summary, 'the chain ends at "CN=api.example.com", issued by the trusted root "CN=Test Root CA"');
});

test('chain-incomplete: a lone leaf of a private root nobody was given', (t) => {
  const f = judgeIn(CHECK_CHECKS, chainComplete.id, materialOf({ cert: pki().leaf }));
  t.is(f.status, 'warn');
  t.is(f.cause, 'chain-incomplete');
  t.is(f.summary, 'the chain stops at "CN=api.example.com", whose issuer "CN=Test Root CA" is not in the chain nor a known root');
  t.deepEqual(f.evidence, ['last certificate: "CN=api.example.com" issued by "CN=Test Root CA"']);
  t.is(f.remediation, 'append the intermediate certificate(s) up to "CN=Test Root CA" after the leaf (use the issuer\'s full chain, e.g. fullchain.pem)');
  t.deepEqual(f.commands, [VERIFY]);
});

test('skip (after chain-order): a chain out of order is not judged for completeness', (t) => {
  const f = judgeIn(CHECK_CHECKS, 'chain-complete', materialOf({ cert: pki().ca.certificatePem + pki().leaf }));
  t.deepEqual(f, {
    check: 'chain-complete',
    status: 'skip',
    cause: null,
    summary: 'not checked: the chain is out of order (see chain-order)',
    evidence: [],
    commands: [],
  });
});

test('skip: the certificate did not parse (the reason of the absent chain, not of chain-order)', (t) => {
  const f = judgeIn(CHECK_CHECKS, 'chain-complete', materialOf({ cert: 'garbage' }));
  t.is(f.status, 'skip');
  t.is(f.summary, 'not checked: the certificate did not parse');
});
