// probe --cert/--key, as read and analysed: facts only, never the key's bytes.
import type { CertificateAnalysis, KeyAnalysis } from '../pki/types.js';

export interface ClientCredentials {
  certFile: string;
  keyFile: string;
  cert: CertificateAnalysis;
  key: KeyAnalysis;
  /** The key belongs to the first certificate; null when either did not parse. */
  matches: boolean | null;
}
