// The report's vocabulary, exactly as CONTRACT.md fixes its JSON form.
import type { CauseId } from '../causes/catalog.js';

export { CAUSE_IDS as CAUSES, type CauseId } from '../causes/catalog.js';

export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

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

/** `collect -o json|yaml`: the archive written (null when none could be), its files, and the diagnosis in it. */
export interface SupportBundle {
  apiVersion: 'apigee-tls/v1';
  kind: 'SupportBundle';
  target: Target;
  result: Result;
  archive: string | null;
  files: string[];
  findings: Finding[];
}

/** Every document a command prints with -o json|yaml. */
export type Document = Report | SupportBundle;
