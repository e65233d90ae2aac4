// The playbook's openssl commands, run for real so the report can show what openssl prints.
// Input always arrives on stdin (never a temp file), and every command that may meet an
// encrypted key carries `-passin pass:` so openssl fails instead of prompting.
import { isIP } from 'node:net';
import type { ExecContext } from './context.js';
import { displayCommand } from './display.js';
import type { RunResult } from './invocation.js';
import { run } from './run.js';

export type OpensslMirror = 'x509-text' | 'x509-modulus' | 'rsa-modulus' | 'x509-pubkey' | 'pkey-pubout';

/** The argv of each mirrored command; stdin carries the certificate or key. */
export const OPENSSL_ARGS: Record<OpensslMirror, readonly string[]> = {
  'x509-text': ['x509', '-noout', '-text', '-passin', 'pass:'],
  'x509-modulus': ['x509', '-noout', '-modulus', '-passin', 'pass:'],
  'rsa-modulus': ['rsa', '-noout', '-modulus', '-passin', 'pass:'],
  'x509-pubkey': ['x509', '-noout', '-pubkey', '-passin', 'pass:'],
  'pkey-pubout': ['pkey', '-pubout', '-passin', 'pass:'],
};

const OPENSSL_TIMEOUT_MS = 10_000;

/**
 * Runs one mirrored command. `producer` is the shell text that yields the input on stdout
 * (`cat cert.pem`, or the kubectl | base64 -d pipeline), so the display can be rerun by hand.
 */
export function runOpensslMirror(ctx: ExecContext, mirror: OpensslMirror, input: Buffer, producer: string): Promise<RunResult> {
  const args = OPENSSL_ARGS[mirror];
  return run(ctx, ctx.openssl, args, {
    input,
    timeoutMs: OPENSSL_TIMEOUT_MS,
    display: `${producer} | ${displayCommand('openssl', args)}`,
    // No controlling terminal: an encrypted key that slips past -passin cannot open /dev/tty to prompt.
    detached: true,
  });
}

export async function opensslVersion(ctx: ExecContext): Promise<string | null> {
  const { record, stdout } = await run(ctx, ctx.openssl, ['version'], {
    timeoutMs: OPENSSL_TIMEOUT_MS,
    display: 'openssl version',
  });
  return record.exitCode === 0 ? stdout.trim() : null;
}

/** `openssl s_client` as curl's handshake would go: the address, the SNI (or none), every certificate. */
export function sClientArgs(address: string, port: number, servername: string | null): string[] {
  const connect = isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
  return ['s_client', '-connect', connect, ...(servername === null ? ['-noservername'] : ['-servername', servername]), '-showcerts'];
}
