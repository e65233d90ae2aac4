// The ingress reads cert+key or tls.crt+tls.key; a secret with neither pair is as good as missing
// (SDS: "server cert or private key is empty").
import { displayCommand } from '../exec/display.js';
import type { KubeObject } from '../apigee/resources.js';
import { nameOf } from '../apigee/resources.js';
import type { Finding } from '../report/finding.js';
import { dataKeys, layoutOf } from './secret-material.js';

export function secretKeysFinding(secret: KubeObject, namespace: string, applyFix: string): Finding {
  const keys = dataKeys(secret);
  const layout = layoutOf(secret);
  // describe shows key names and sizes only, never values.
  const commands = [displayCommand('kubectl', ['-n', namespace, 'describe', 'secret', nameOf(secret)])];
  if (layout) {
    return {
      check: 'secret-keys',
      status: 'pass',
      cause: null,
      summary: `holds ${layout.cert} and ${layout.key} (${layout.name} layout)`,
      evidence: [`data keys: ${keys.join(', ') || 'none'}`],
      commands,
    };
  }
  return {
    check: 'secret-keys',
    status: 'fail',
    cause: 'secret-missing-keys',
    summary: `Secret "${nameOf(secret)}" holds neither cert+key nor tls.crt+tls.key`,
    evidence: [`data keys: ${keys.join(', ') || 'none'}`],
    commands,
    remediation: `store the certificate chain and key under cert and key (or tls.crt and tls.key): ${applyFix}`,
  };
}
