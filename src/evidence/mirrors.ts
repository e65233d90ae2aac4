// The openssl commands run for real and what they printed: evidence beside the node:crypto verdicts.
import type { OpensslMirror } from '../cmdline/openssl.js';

export type MaterialPart = 'cert' | 'key' | 'ca';

export interface MirrorRequest {
  part: MaterialPart;
  mirror: OpensslMirror;
}

export interface MirrorOutcome {
  display: string;
  exitCode: number | null;
  /** stdout of public-only commands (modulus, public key, x509 -text); never of key material. */
  stdout: string;
  stderr: string;
  opensslMissing: boolean;
}

export type MirrorResults = ReadonlyMap<string, MirrorOutcome>;

export const mirrorKey = (part: MaterialPart, mirror: OpensslMirror): string => `${part}:${mirror}`;
