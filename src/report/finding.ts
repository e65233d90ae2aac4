// The report's vocabulary, exactly as CONTRACT.md fixes its JSON form.

export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/** Cause ids are forever: a new cause gets a new id, an old one is never renamed. */
export const CAUSES = [
  'missing-ingress-secret',
  'malformed-certificate',
  'key-mismatch',
  'malformed-private-key',
  'secret-missing-keys',
  'certificate-expired',
  'certificate-not-yet-valid',
  'certificate-expiring-soon',
  'hostname-not-covered',
  'chain-order',
  'chain-incomplete',
  'weak-certificate',
  'mtls-ca-invalid',
  'apigee-issue-reported',
  'route-config-error',
  'handshake-reset',
  'handshake-alert',
  'handshake-closed',
  'served-certificate-differs',
] as const;
export type CauseId = (typeof CAUSES)[number];

export interface Finding {
  check: string;
  status: Status;
  cause: CauseId | null;
  summary: string;
  evidence: string[];
  commands: string[];
  remediation?: string;
}

export type Result = 'healthy' | 'problems-found' | 'incomplete';

/** Cluster fields for `diagnose`, file fields for `check`, host fields for `probe`. */
export interface Target {
  envgroup?: string;
  org?: string;
  namespace?: string;
  secret?: string;
  context?: string;
  certFile?: string;
  keyFile?: string;
  caFile?: string;
  overrides?: string;
  host?: string;
  port?: number;
  sni?: string | null;
  curlLog?: string;
}

export interface Diagnosis {
  apiVersion: 'apigee-tls/v1';
  kind: 'Diagnosis';
  target: Target;
  result: Result;
  findings: Finding[];
}

export interface DiagnosisList {
  apiVersion: 'apigee-tls/v1';
  kind: 'DiagnosisList';
  items: Diagnosis[];
}

export type Report = Diagnosis | DiagnosisList;
