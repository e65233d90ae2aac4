// The key must be an unencrypted PEM private key: the ingress cannot read anything else.
import type { KeyAnalysis } from '../pki/types.js';
import { KEY_ADVICE, withApply } from './advice.js';
import { noteLines } from './certificate-format.js';
import { clause, opensslEvidence } from './evidence.js';
import { opensslOn } from '../cmdline/pem-source.js';
import type { PemSource } from '../evidence/material.js';
import { mirrorKey, type MirrorResults } from '../evidence/mirrors.js';
import { defineCheck, type Verdict } from './check.js';

const FORMAT_TEXT = { pkcs8: 'PKCS#8', pkcs1: 'PKCS#1', sec1: 'SEC1' } as const;

export function describeKey(key: Extract<KeyAnalysis, { ok: true }>): string {
  const size = key.bits ? ` ${key.bits}-bit` : key.curve ? ` ${key.curve}` : '';
  return `${key.keyType.toUpperCase()}${size} private key (${FORMAT_TEXT[key.format]})`;
}

export const privateKey = defineCheck({
  id: 'private-key',
  description: 'the key is an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1) that the ingress can read',
  causes: ['malformed-private-key'],
  needs: ['keySource', 'keyAnalysis'],
  run: ({ keySource, keyAnalysis, mirrors }, ctx) => privateKeyVerdict(keySource, keyAnalysis, mirrors ?? new Map(), ctx.applyFix),
});

function privateKeyVerdict(source: PemSource, analysis: KeyAnalysis, mirrors: MirrorResults, applyFix?: string): Verdict {
  const commands = [opensslOn(source, ['pkey'], ['-noout', '-passin', 'pass:'])];
  if (analysis.ok) {
    return {
      status: 'pass',
      cause: null,
      summary: `${source.label} is an unencrypted ${describeKey(analysis)}`,
      evidence: noteLines(analysis.notes),
      commands,
    };
  }
  return {
    status: 'fail',
    cause: 'malformed-private-key',
    summary: `${source.label} is not a usable private key: ${clause(analysis.detail)}`,
    evidence: [
      ...(analysis.nodeErrorCode ? [`node:crypto: ${analysis.nodeErrorCode}`] : []),
      ...opensslEvidence(mirrors.get(mirrorKey('key', 'pkey-pubout'))),
      ...noteLines(analysis.notes),
    ],
    commands,
    remediation: withApply(KEY_ADVICE[analysis.problem], applyFix),
  };
}
