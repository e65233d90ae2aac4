// Everything a check may judge, by name. gather/ and the pipelines fill what they learned; a check
// names what it needs (`needs`), and the runner skips it, with the reason below, when one is absent.
import type { KubeObject } from '../apigee/resources.js';
import type { ClusterEvidence } from '../evidence/cluster.js';
import type { HandshakeObservation } from '../evidence/handshake.js';
import type { TrustVerdict } from '../pki/trust.js';
import type { CurlTranscript } from '../signatures/curl-transcript.js';
import type { ClientCredentials } from '../evidence/client-credentials.js';
import type { IngressLogEvidence } from '../evidence/ingress.js';
import type { CertManagerEvidence } from '../evidence/cert-manager.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import type { PemSource } from '../evidence/material.js';
import type { MirrorResults } from '../evidence/mirrors.js';
import type { CertificateAnalysis, ChainAnalysis, KeyAnalysis, ParsedCertificate } from '../pki/types.js';
import type { Verdict } from './check.js';

export type ParsedKey = Extract<KeyAnalysis, { ok: true }>;

export interface CheckInputs {
  // ---- certificate and key (check, diagnose, probe's served chain) ----------------------------
  certSource?: PemSource;
  certAnalysis?: CertificateAnalysis;
  keySource?: PemSource;
  keyAnalysis?: KeyAnalysis;
  /** The chain, when it parsed. */
  certificates?: readonly ParsedCertificate[];
  chain?: ChainAnalysis;
  /** Where the real leaf is: 0, or its place in a chain whose leaf is not first. */
  leafIndex?: number;
  /** The key, when it parsed. */
  parsedKey?: ParsedKey;
  /** The certificate the key belongs to (-1: none), when both parsed. */
  keyBelongsTo?: number;
  /** The hostnames the leaf must cover. */
  hostnames?: readonly string[];
  /** Where they came from (which ApigeeRoutes, tied to the route config how), for the report. */
  hostnameSource?: string;
  /** The env group's hostnames could not be read (the ApigeeRoutes list failed). */
  hostnamesUnavailable?: { failure: KubectlFailure; namespace: string };
  /** Mutual TLS: whether it is configured, the CA to judge, and where it was looked for (a secret's own key, then its `-cacert`). */
  mtls?: { required: boolean; source: PemSource | null; analysis: CertificateAnalysis | null; searched?: readonly string[] };
  /** What the openssl commands run for real printed (only where it is evidence). */
  mirrors?: MirrorResults;

  // ---- the cluster (diagnose) ------------------------------------------------------------------
  cluster?: ClusterEvidence;
  /** The env group's secret, when it exists. */
  foundSecret?: KubeObject;
  /** What the ingress manager, the serving gateways and the watcher logged about the env group. */
  ingressLogs?: IngressLogEvidence;
  /** cert-manager's Certificate that issues the secret, when one does. */
  certManager?: CertManagerEvidence;

  // ---- a live handshake (probe) ----------------------------------------------------------------
  /** `clientFiles`: --cert/--key as given, for the shown commands. */
  handshake?: { observation: HandshakeObservation; host: string; customTrust: boolean; clientFiles?: { cert: string; key: string } };
  /** --cert/--key, as read (the key's bytes are not kept here). */
  clientCredentials?: ClientCredentials;
  /** The server sent a CertificateRequest and the handshake succeeded. */
  certificateRequest?: { caNames: readonly string[] };
  /** The served chain against the anchors in force: --ca (its file), else the system's. */
  trust?: { verdict: TrustVerdict; anchors: string; caFile?: string };
  /** With --envgroup: the leaf of the env group's secret, or why it could not be read. */
  servedSecret?: { leaf: ParsedCertificate; label: string } | { unavailable: Verdict };

  // ---- a curl transcript (probe --from-curl-log) -----------------------------------------------
  transcript?: CurlTranscript;
}

export type InputName = keyof CheckInputs;

/** The inputs, and why each absent one is absent (the summary of a skipped check). */
export interface Evidence {
  inputs: CheckInputs;
  absent: Partial<Record<InputName, string>>;
}

export const evidence = (inputs: CheckInputs, absent: Evidence['absent'] = {}): Evidence => ({ inputs, absent });
