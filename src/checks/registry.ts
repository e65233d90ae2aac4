// The registries: the checks of each command, in the order they run and are reported. The order
// is the playbook's (its three causes first), then the checks beyond it. Adding a check: its file,
// one line here, its causes in causes/catalog.ts, its test.
import type { RegistryEntry } from './check.js';
import { apigeeIssues } from './apigee-issues.js';
import { certificate } from './certificate-format.js';
import { certificateIssued } from './certificate-issued.js';
import { chainComplete } from './chain-complete.js';
import { chainOrder } from './chain-order.js';
import { curlTranscript } from './curl-transcript.js';
import { clientCertificate, handshake } from './handshake.js';
import { hostnames } from './hostnames.js';
import { ingressGateway } from './ingress-gateway.js';
import { ingressGateways } from './ingress-gateways.js';
import { ingressManager } from './ingress-manager.js';
import { ingressSecret } from './ingress-secret.js';
import { keyMatch } from './key-match.js';
import { mtlsCa } from './mtls-ca.js';
import { privateKey } from './private-key-format.js';
import { routeConfig } from './route-config.js';
import { routeSecret } from './route-secret.js';
import { secretKeys } from './secret-keys.js';
import { servedCertificate, servedChain } from './served-chain.js';
import { servedChainTrust } from './served-chain-trust.js';
import { clientCredentials } from './client-credentials.js';
import { strength } from './strength.js';
import { validity } from './validity.js';
import { watcherLogs } from './watcher-logs.js';
import { watcherUpdates } from './watcher-updates.js';

/** `check`: a certificate and key, from files or a secret's data (the playbook's causes 2 and 3 first). */
export const CHECK_CHECKS: readonly RegistryEntry[] = [certificate, privateKey, keyMatch, chainOrder, chainComplete, validity, hostnames, strength, mtlsCa];

/** `diagnose`: the playbook's order (watcher logs, the secret, its data), then Apigee's own signals. */
export const DIAGNOSE_CHECKS: readonly RegistryEntry[] = [
  watcherLogs,
  ingressSecret,
  secretKeys,
  { section: "the secret's certificate and key", needs: 'certSource', whenAbsent: 'skip-first', checks: CHECK_CHECKS },
  routeSecret,
  ingressGateway,
  ingressManager,
  ingressGateways,
  watcherUpdates,
  certificateIssued,
  apigeeIssues,
  routeConfig,
];

/**
 * `probe`: the client's own certificate (with --cert/--key), the handshake, mutual TLS, then the
 * served chain judged like a secret's, except that trust is judged against the anchors in force
 * (served-chain-trust, a failure) instead of chain-complete (a warning, for secrets).
 */
export const PROBE_CHECKS: readonly RegistryEntry[] = [
  clientCredentials,
  handshake,
  clientCertificate,
  {
    section: 'the served chain',
    needs: 'certificates',
    whenAbsent: 'omit',
    checks: [servedChain, chainOrder, servedChainTrust, validity, hostnames, strength, servedCertificate],
  },
];

/** `probe --from-curl-log`: what a saved transcript shows. */
export const CURL_LOG_CHECKS: readonly RegistryEntry[] = [curlTranscript];

export const REGISTRIES = { check: CHECK_CHECKS, diagnose: DIAGNOSE_CHECKS, probe: PROBE_CHECKS, 'probe --from-curl-log': CURL_LOG_CHECKS } as const;
