// The playbook's openssl commands as argument arrays: what exec/ runs and what reports show.
// Every command that may meet an encrypted key carries `-passin pass:` so openssl fails instead
// of prompting.
import { isIP } from 'node:net';

export type OpensslMirror = 'x509-text' | 'x509-modulus' | 'rsa-modulus' | 'x509-pubkey' | 'pkey-pubout';

/** The argv of each mirrored command; stdin carries the certificate or key. */
export const OPENSSL_ARGS: Record<OpensslMirror, readonly string[]> = {
  'x509-text': ['x509', '-noout', '-text', '-passin', 'pass:'],
  'x509-modulus': ['x509', '-noout', '-modulus', '-passin', 'pass:'],
  'rsa-modulus': ['rsa', '-noout', '-modulus', '-passin', 'pass:'],
  'x509-pubkey': ['x509', '-noout', '-pubkey', '-passin', 'pass:'],
  'pkey-pubout': ['pkey', '-pubout', '-passin', 'pass:'],
};

/** `openssl s_client` as curl's handshake would go: the address, the SNI (or none), every certificate. */
export function sClientArgs(address: string, port: number, servername: string | null): string[] {
  const connect = isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
  return ['s_client', '-connect', connect, ...(servername === null ? ['-noservername'] : ['-servername', servername]), '-showcerts'];
}
