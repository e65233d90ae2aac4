// The playbook's openssl commands (cmdline/openssl.ts), run for real so the report can show what
// openssl prints. Input always arrives on stdin, never a temp file.
import type { ExecContext } from './context.js';
import { displayCommand } from '../cmdline/quote.js';
import type { RunResult } from './invocation.js';
import { run } from './run.js';
import { OPENSSL_ARGS, type OpensslMirror } from '../cmdline/openssl.js';

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
    // Like every child, in a session of its own: an encrypted key that slips past -passin has no
    // controlling terminal to open /dev/tty on, so it cannot prompt.
    display: `${producer} | ${displayCommand('openssl', args)}`,
  });
}

export async function opensslVersion(ctx: ExecContext): Promise<string | null> {
  const { record, stdout } = await run(ctx, ctx.openssl, ['version'], {
    timeoutMs: OPENSSL_TIMEOUT_MS,
    display: 'openssl version',
  });
  return record.exitCode === 0 ? stdout.trim() : null;
}
