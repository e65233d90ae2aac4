// probe --cert/--key: the client certificate and key to present to a mutual-TLS gateway must be
// usable before the handshake is tried: an encrypted key is refused here, never prompted for (as
// `check` does), and a key that is not the certificate's would only fail later and more vaguely.
import type { ClientCredentials } from '../evidence/client-credentials.js';
import { CERT_ADVICE, KEY_ADVICE } from './advice.js';
import { defineCheck, type Verdict } from './check.js';
import { clause } from './evidence.js';
import { describeKey } from './private-key-format.js';

export const clientCredentials = defineCheck({
  id: 'client-credentials',
  description: 'with --cert/--key: the client certificate and its unencrypted private key, which belong together',
  causes: ['malformed-certificate', 'malformed-private-key', 'key-mismatch'],
  needs: ['clientCredentials'],
  optional: true,
  run: ({ clientCredentials: c }) => credentialsVerdict(c),
});

function credentialsVerdict(c: ClientCredentials): Verdict {
  const commands = [`openssl x509 -in ${c.certFile} -noout -subject -issuer`, `openssl pkey -in ${c.keyFile} -noout -passin pass:`];
  if (!c.cert.ok) {
    return {
      status: 'fail',
      cause: 'malformed-certificate',
      summary: `${c.certFile} is not a well-formed PEM certificate: ${clause(c.cert.detail)}`,
      evidence: c.cert.nodeErrorCode ? [`node:crypto: ${c.cert.nodeErrorCode}`] : [],
      commands,
      remediation: CERT_ADVICE[c.cert.problem],
    };
  }
  if (!c.key.ok) {
    return {
      status: 'fail',
      cause: 'malformed-private-key',
      summary: `${c.keyFile} is not a usable private key: ${clause(c.key.detail)}`,
      evidence: c.key.nodeErrorCode ? [`node:crypto: ${c.key.nodeErrorCode}`] : [],
      commands,
      remediation:
        c.key.problem === 'encrypted-pkcs8' || c.key.problem === 'encrypted-legacy'
          ? `the key is encrypted and probe never asks for a passphrase: decrypt a copy once (openssl pkey -in ${c.keyFile} -out client-plain.key), pass that, and delete it afterwards`
          : KEY_ADVICE[c.key.problem],
    };
  }
  const leaf = c.cert.certificates[0]!;
  if (c.matches === false) {
    return {
      status: 'fail',
      cause: 'key-mismatch',
      summary: `${c.keyFile} is not the private key of "${leaf.subject}" (${c.certFile})`,
      evidence: [],
      commands,
      remediation: 'give the key the client certificate was issued for',
    };
  }
  return {
    status: 'pass',
    cause: null,
    summary: `client certificate "${leaf.subject}" issued by "${leaf.issuer}", with its ${describeKey(c.key)}`,
    evidence: [],
    commands,
  };
}
