// The ingress reads cert+key or tls.crt+tls.key; a secret with neither pair is as good as missing
// (SDS: "server cert or private key is empty").
import { dataKeys, layoutOf } from '../apigee/secret-layout.js';
import { nameOf } from '../apigee/resources.js';
import { inNamespace, kubectlCommand } from '../cmdline/kubectl.js';
import { defineCheck } from './check.js';

export const secretKeys = defineCheck({
  id: 'secret-keys',
  description: 'the secret holds cert and key, or tls.crt and tls.key: the pairs the ingress reads',
  causes: ['secret-missing-keys'],
  needs: ['cluster', 'foundSecret'],
  run: ({ cluster, foundSecret: secret }) => {
    const keys = dataKeys(secret);
    const layout = layoutOf(secret);
    // describe shows key names and sizes only, never values.
    const commands = [kubectlCommand(inNamespace(cluster.scope, cluster.secretNamespace), ['describe', 'secret', nameOf(secret)])];
    const evidence = [`data keys: ${keys.join(', ') || 'none'}`];
    if (layout) return { status: 'pass', cause: null, summary: `holds ${layout.cert} and ${layout.key} (${layout.name} layout)`, evidence, commands };
    return {
      status: 'fail',
      cause: 'secret-missing-keys',
      summary: `Secret "${nameOf(secret)}" holds neither cert+key nor tls.crt+tls.key`,
      evidence,
      commands,
      remediation: `store the certificate chain and key under cert and key (or tls.crt and tls.key): ${cluster.applyFix}`,
    };
  },
});
