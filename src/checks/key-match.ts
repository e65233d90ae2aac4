// Playbook cause 3: the private key must belong to the leaf certificate. Public keys are compared
// (any key type); the playbook's modulus diff is shown beside it because support knows it, but it
// only works for RSA and reads only the first certificate.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { ParsedCertificate } from '../pki/types.js';
import { withApply } from './advice.js';
import { opensslEvidence } from './evidence.js';
import { opensslOn } from '../cmdline/pem-source.js';
import type { PemSource } from '../evidence/material.js';
import { mirrorKey, type MirrorOutcome, type MirrorResults } from '../evidence/mirrors.js';
import { defineCheck, type Verdict } from './check.js';
import type { ParsedKey } from './inputs.js';
import { describeKey } from './private-key-format.js';

/** SHA-256 of the public key's SPKI: a public fact that identifies the key pair. */
const spkiSha256 = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');

function playbookCommands(cert: PemSource, key: PemSource): string[] {
  const modulus = `diff -q <(${opensslOn(key, ['rsa', '-noout', '-modulus'])}) <(${opensslOn(cert, ['x509', '-noout', '-modulus'])})`;
  const pubkeys = `diff <(${opensslOn(cert, ['x509', '-noout', '-pubkey'])}) <(${opensslOn(key, ['pkey', '-pubout', '-passin', 'pass:'])})`;
  return [modulus, pubkeys];
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** What a pair of mirrored commands said, the way `diff -q` and `| openssl md5` would put it. */
function comparison(label: string, certSide: MirrorOutcome | undefined, keySide: MirrorOutcome | undefined): string[] {
  if (!certSide || !keySide) return [];
  const missing = certSide.opensslMissing ? certSide : keySide.opensslMissing ? keySide : undefined;
  if (missing) return opensslEvidence(missing);
  // Hashes for real output, the text itself when openssl "succeeded" without a modulus (EC keys).
  const sideText = (o: MirrorOutcome) =>
    o.exitCode !== 0
      ? `exit ${o.exitCode ?? 'none'}: ${o.stderr.split('\n')[0] ?? ''}`
      : /^(Modulus=[0-9A-F]+|-----BEGIN PUBLIC KEY-----)/.test(o.stdout)
        ? `md5 ${md5(o.stdout)}`
        : `"${o.stdout.split('\n')[0] ?? ''}"`;
  const verdict = certSide.exitCode !== 0 || keySide.exitCode !== 0 ? 'cannot compare' : certSide.stdout === keySide.stdout ? 'same' : 'differ';
  return [`openssl ${label}: ${verdict} (certificate ${sideText(certSide)}; key ${sideText(keySide)})`];
}

function mismatchEvidence(leaf: ParsedCertificate, key: ParsedKey, mirrors: MirrorResults): string[] {
  return [
    `certificate #0 "${leaf.subject}": ${leaf.publicKeyType.toUpperCase()} public key, SPKI sha256 ${spkiSha256(leaf.x509.publicKey)}`,
    `private key: ${describeKey(key)}, SPKI sha256 ${spkiSha256(createPublicKey(key.key))}`,
    ...comparison('public keys (x509 -pubkey vs pkey -pubout)', mirrors.get(mirrorKey('cert', 'x509-pubkey')), mirrors.get(mirrorKey('key', 'pkey-pubout'))),
    ...comparison(
      "moduli, the playbook's method (x509 -modulus vs rsa -modulus)",
      mirrors.get(mirrorKey('cert', 'x509-modulus')),
      mirrors.get(mirrorKey('key', 'rsa-modulus')),
    ),
  ];
}

export const keyMatch = defineCheck({
  id: 'key-match',
  description: "the private key belongs to the leaf certificate (the playbook's cause 3), for any key type",
  causes: ['key-mismatch'],
  needs: ['certSource', 'certificates', 'keySource', 'parsedKey', 'keyBelongsTo'],
  run: (i, ctx) => keyMatchVerdict(i.certSource, i.keySource, i.certificates, i.parsedKey, i.keyBelongsTo, i.mirrors ?? new Map(), ctx.applyFix),
});

function keyMatchVerdict(
  cert: PemSource,
  key: PemSource,
  certificates: readonly ParsedCertificate[],
  parsedKey: ParsedKey,
  keyBelongsTo: number,
  mirrors: MirrorResults,
  applyFix?: string,
): Verdict {
  const commands = playbookCommands(cert, key);
  const leaf = certificates[0]!;
  if (keyBelongsTo === 0) {
    const method =
      leaf.publicKeyType === 'rsa'
        ? 'public keys compared'
        : `public keys compared; the playbook's modulus method cannot check ${leaf.publicKeyType.toUpperCase()} keys`;
    return {
      status: 'pass',
      cause: null,
      summary: `the private key matches the leaf certificate "${leaf.subject}" (${method})`,
      evidence: [],
      commands,
    };
  }
  const owner = keyBelongsTo > 0 ? certificates[keyBelongsTo] : undefined;
  if (owner) {
    // The chain is out of order, not mismatched: the playbook's modulus diff (and the ingress) read
    // only the first certificate and would call this a mismatch. chain-order names the real cause.
    return {
      status: 'skip',
      cause: null,
      summary: `not judged on the first certificate: the key belongs to certificate #${keyBelongsTo} "${owner.subject}", which is not first (see chain-order)`,
      evidence: mismatchEvidence(leaf, parsedKey, mirrors),
      commands,
    };
  }
  const summary = `the private key does not belong to the leaf certificate "${leaf.subject}" nor to any certificate in the chain`;
  const advice = `supply the private key that "${leaf.subject}" was issued for, or the certificate issued for this key`;
  return {
    status: 'fail',
    cause: 'key-mismatch',
    summary,
    evidence: mismatchEvidence(leaf, parsedKey, mirrors),
    commands,
    remediation: withApply(advice, applyFix),
  };
}
