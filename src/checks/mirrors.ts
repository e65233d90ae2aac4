// Which of the playbook's openssl commands to run for real, and what they printed. They run only
// where their output is evidence for a finding that is not a pass: verdicts come from node:crypto,
// and a healthy env group should not cost a dozen processes (diagnose --all runs hundreds).
import type { MirrorRequest } from '../evidence/mirrors.js';
import type { MaterialAnalysis } from './analyse-material.js';

export function mirrorsWanted(analysis: MaterialAnalysis, mtls: boolean): MirrorRequest[] {
  const wanted: MirrorRequest[] = [];
  if (analysis.cert && !analysis.cert.ok) wanted.push({ part: 'cert', mirror: 'x509-text' });
  if (analysis.key && !analysis.key.ok && analysis.key.problem !== 'empty') wanted.push({ part: 'key', mirror: 'pkey-pubout' });
  if (analysis.cert?.ok && analysis.key?.ok && analysis.keyBelongsTo !== 0) {
    wanted.push({ part: 'cert', mirror: 'x509-pubkey' }, { part: 'key', mirror: 'pkey-pubout' });
    const leafIsRsa = analysis.cert.certificates[0]?.publicKeyType === 'rsa';
    // The playbook's own modulus comparison, to show what it says (it misfires on non-RSA keys).
    if (leafIsRsa || analysis.key.keyType === 'rsa') wanted.push({ part: 'cert', mirror: 'x509-modulus' }, { part: 'key', mirror: 'rsa-modulus' });
  }
  if (mtls && analysis.ca && !analysis.ca.ok) wanted.push({ part: 'ca', mirror: 'x509-text' });
  return wanted;
}
