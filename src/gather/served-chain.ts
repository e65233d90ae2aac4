// The certificates a server sends, in the order it sends them: `openssl s_client -showcerts`
// prints exactly that (Node only offers the chain it rebuilt). null when openssl cannot tell.
import { displayCommand } from '../cmdline/quote.js';
import type { ExecContext } from '../exec/context.js';
import { run } from '../exec/run.js';
import { sClientArgs } from '../cmdline/openssl.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END CERTIFICATE-----/g;

export function certificatesIn(text: string): Buffer[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

export async function servedChainInWireOrder(
  ctx: ExecContext,
  address: string,
  port: number,
  servername: string | null,
  timeoutMs: number,
): Promise<Buffer[] | null> {
  const args = sClientArgs(address, port, servername);
  // Empty stdin: s_client ends the session as soon as the handshake is done.
  const { record, stdout } = await run(ctx, ctx.openssl, args, {
    input: Buffer.alloc(0),
    timeoutMs,
    display: `${displayCommand('openssl', args)} </dev/null`,
  });
  if (record.failure) return null;
  const chain = certificatesIn(stdout);
  return chain.length > 0 ? chain : null;
}
