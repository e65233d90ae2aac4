// Something must serve the env group's hostnames: a running ingress gateway pod whose labels match
// the route config's spec.selector (e.g. app: apigee-ingressgateway, ingress_name: …). An ingress
// renamed in ingressGateways[] leaves the selector matching nothing: clients get resets
// (reference/apigee.md §12.6).
import { kubectlCommand } from '../cmdline/kubectl.js';
import type { ClusterEvidence, PodView } from '../evidence/cluster.js';
import { accessErrorVerdict } from './access-error.js';
import { defineCheck, type Verdict } from './check.js';

const GATEWAY_LABEL = 'app';
const GATEWAY_APP = 'apigee-ingressgateway';

const selectorText = (selector: Record<string, string>): string =>
  Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

const matches = (pod: PodView, selector: Record<string, string>): boolean => Object.entries(selector).every(([k, v]) => pod.labels[k] === v);

function gatewayLine(pod: PodView): string {
  const ingress = pod.labels.ingress_name ? `ingress_name=${pod.labels.ingress_name}` : 'no ingress_name';
  return `gateway ${pod.name} (${ingress}, ${pod.phase})`;
}

export const ingressGateway = defineCheck({
  id: 'ingress-gateway',
  description: "a running ingress gateway pod matches the route config's selector, so something serves the env group's hostnames",
  causes: ['no-ingress-gateway'],
  needs: ['cluster'],
  run: ({ cluster }) => ingressGatewayVerdict(cluster),
});

function ingressGatewayVerdict(e: ClusterEvidence): Verdict {
  const g = e.gateways;
  if (g.state === 'absent') return { status: 'skip', cause: null, summary: g.why, evidence: [], commands: [] };
  if (g.state === 'error') return accessErrorVerdict(`pods in namespace "${e.namespace}"`, g.failure, e.namespace);
  if (!g.value) return { status: 'skip', cause: null, summary: 'no ApigeeRouteConfig: no selector to match', evidence: [], commands: [] };
  const { selector, pods } = g.value;
  const wanted = selectorText(selector);
  const commands = [kubectlCommand(e.scope, ['get', 'pods', '-l', wanted || `${GATEWAY_LABEL}=${GATEWAY_APP}`, '--show-labels'])];
  const serving = Object.keys(selector).length === 0 ? [] : pods.filter((p) => p.phase === 'Running' && matches(p, selector));
  const gateways = pods.filter((p) => p.labels[GATEWAY_LABEL] === GATEWAY_APP);
  if (serving.length > 0) {
    return {
      status: 'pass',
      cause: null,
      summary: `${serving.length} running gateway pod${serving.length === 1 ? '' : 's'} match${serving.length === 1 ? 'es' : ''} the selector ${wanted}`,
      evidence: serving.map(gatewayLine),
      commands,
    };
  }
  // No gateway pod at all here: from 1.8 the gateways run in the Apigee namespace, but the ASM era's
  // ran in istio-system, where this read does not look. Only a namespace with gateways is judged.
  if (gateways.length === 0 && serving.length === 0) {
    return {
      status: 'skip',
      cause: null,
      summary: `no pod labelled ${GATEWAY_LABEL}=${GATEWAY_APP} in namespace "${e.namespace}" to match the selector ${wanted || '(empty)'} against (an ASM-era gateway runs in istio-system)`,
      evidence: [],
      commands,
    };
  }
  return {
    status: 'fail',
    cause: 'no-ingress-gateway',
    summary: `no running ingress gateway pod matches the route config's selector ${wanted || '(empty)'}: nothing serves the env group's hostnames`,
    evidence: [`selector: ${wanted || '(empty)'}`, ...gateways.map(gatewayLine)],
    commands: [...new Set([...commands, kubectlCommand(e.scope, ['get', 'pods', '-l', `${GATEWAY_LABEL}=${GATEWAY_APP}`, '--show-labels'])])],
    remediation:
      "select an ingress that exists (an ingressGateways[].name of the org's overrides) in the virtual host, or add the ingress it selects; then apply the virtual host the way it was installed",
  };
}
