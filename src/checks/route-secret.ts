// The routes that serve the env group besides its own generated one (spec.additionalGateways, e.g.
// the wildcard route for non-SNI clients: hostnames ["*"], enableNonSniClient) present their own
// credential secret (ports[].tls.credentialName). A client without SNI gets that secret, so it must
// exist and be sound like the env group's own (reference/apigee.md §5.4, §12.6).
import { createSecretCommand } from '../apigee/remediation.js';
import { layoutOf, secretMaterial } from '../apigee/secret-layout.js';
import { inNamespace, kubectlCommand } from '../cmdline/kubectl.js';
import type { CauseId } from '../causes/catalog.js';
import type { ClusterEvidence } from '../evidence/cluster.js';
import type { KubeObject } from '../apigee/resources.js';
import { validityState } from '../pki/index.js';
import { accessErrorVerdict } from './access-error.js';
import { analyseMaterial } from './analyse-material.js';
import { defineCheck, type Verdict } from './check.js';
import { clause } from './evidence.js';

interface Problem {
  cause: CauseId;
  line: string;
  secret?: string;
}

/** What is wrong with a credential secret that exists, judged as the env group's own would be (hostnames are `*`). */
function judge(secret: KubeObject, e: ClusterEvidence, now: Date): Problem | null {
  const name = `secret "${secret.metadata?.name ?? ''}"`;
  const layout = layoutOf(secret);
  if (!layout) return { cause: 'secret-missing-keys', line: `${name} holds neither cert+key nor tls.crt+tls.key` };
  const analysis = analyseMaterial(secretMaterial(secret, e.scope, layout, false, ['*']));
  if (!analysis.cert?.ok)
    return {
      cause: 'malformed-certificate',
      line: `${name} key "${layout.cert}" is not a well-formed PEM certificate: ${clause(analysis.cert?.detail ?? '')}`,
    };
  if (!analysis.key?.ok)
    return { cause: 'malformed-private-key', line: `${name} key "${layout.key}" is not a usable private key: ${clause(analysis.key?.detail ?? '')}` };
  const leaf = analysis.cert.certificates[0]!;
  if (analysis.keyBelongsTo !== 0) return { cause: 'key-mismatch', line: `${name}: the private key does not belong to the leaf "${leaf.subject}"` };
  const state = validityState(leaf, now, 0);
  if (state === 'expired') return { cause: 'certificate-expired', line: `${name}: the leaf "${leaf.subject}" expired ${leaf.notAfter.toISOString()}` };
  if (state === 'not-yet-valid')
    return { cause: 'certificate-not-yet-valid', line: `${name}: the leaf "${leaf.subject}" is valid only from ${leaf.notBefore.toISOString()}` };
  return null;
}

export const routeSecret = defineCheck({
  id: 'route-secret',
  description: "each route named in the route config's additionalGateways (e.g. the non-SNI wildcard route) has its credential secret, sound",
  causes: [
    'route-secret-missing',
    'secret-missing-keys',
    'malformed-certificate',
    'malformed-private-key',
    'key-mismatch',
    'certificate-expired',
    'certificate-not-yet-valid',
  ],
  needs: ['cluster'],
  run: ({ cluster }, ctx) => routeSecretVerdict(cluster, ctx.now),
});

function routeSecretVerdict(e: ClusterEvidence, now: Date): Verdict {
  const a = e.additionalRoutes;
  if (a.state === 'absent') return { status: 'skip', cause: null, summary: a.why, evidence: [], commands: [] };
  if (a.state === 'error') return accessErrorVerdict(`ApigeeRoutes in namespace "${e.namespace}"`, a.failure, e.namespace);
  if (a.value.length === 0) return { status: 'skip', cause: null, summary: 'the route config names no additionalGateways', evidence: [], commands: [] };
  const evidence: string[] = [];
  const problems: Problem[] = [];
  const missing: string[] = [];
  const commands: string[] = [];
  for (const r of a.value) {
    commands.push(kubectlCommand(e.scope, ['get', 'apigeeroute', r.name, '-o', 'jsonpath={.spec.hostnames} {.spec.ports[*].tls.credentialName}']));
    if (!r.found) {
      evidence.push(`ApigeeRoute ${r.name} (named in additionalGateways) does not exist`);
      continue;
    }
    for (const c of r.credentials) {
      commands.push(kubectlCommand(e.scope, ['get', 'secret', c.name]));
      if (c.secret.state === 'error') return accessErrorVerdict(`secrets in namespace "${e.namespace}"`, c.secret.failure, e.namespace);
      if (c.secret.state === 'missing') {
        missing.push(c.name);
        evidence.push(`ApigeeRoute ${r.name} ports[].tls.credentialName ${c.name}: secret "${c.name}" does not exist in namespace "${e.namespace}"`);
        continue;
      }
      const problem = judge(c.secret.secret, e, now);
      if (problem) problems.push({ ...problem, secret: c.name });
      evidence.push(`ApigeeRoute ${r.name} ports[].tls.credentialName ${c.name}: ${problem ? problem.line : 'exists; its certificate and key are sound'}`);
    }
  }
  const routes = a.value.map((r) => r.name).join(', ');
  if (missing.length > 0) {
    const create = missing.map((name) => createSecretCommand(inNamespace(e.scope, e.namespace), name, false)).join('; ');
    return {
      status: 'fail',
      cause: 'route-secret-missing',
      summary: `the credential secret ${missing.map((m) => `"${m}"`).join(', ')} of ApigeeRoute ${routes} does not exist: clients without SNI (and any the route serves) fail`,
      evidence,
      commands,
      remediation: `create the secret the route's credentialName names (every env group's non-SNI clients share it), or point the route at an existing one: ${create}`,
    };
  }
  const first = problems[0];
  if (first) {
    return {
      status: 'fail',
      cause: first.cause,
      summary: `the credential secret of ApigeeRoute ${routes}: ${first.line}`,
      evidence,
      commands,
      remediation: `replace the route's credential secret with a sound certificate and key: ${createSecretCommand(inNamespace(e.scope, e.namespace), first.secret ?? 'NAME', false)} --dry-run=client -o yaml | ${kubectlCommand(e.scope, ['apply', '-f', '-'])}`,
    };
  }
  if (evidence.every((l) => l.endsWith('does not exist'))) return { status: 'skip', cause: null, summary: evidence.join('; '), evidence: [], commands };
  return { status: 'pass', cause: null, summary: `the credential secrets of ApigeeRoute ${routes} exist and are sound`, evidence, commands };
}
