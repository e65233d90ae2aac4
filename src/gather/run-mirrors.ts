// Runs the openssl commands the checks asked for, all at once, each fed its bytes on stdin.
import { producerOf } from '../cmdline/pem-source.js';
import type { TlsMaterial } from '../evidence/material.js';
import { mirrorKey, type MirrorOutcome, type MirrorRequest, type MirrorResults } from '../evidence/mirrors.js';
import type { ExecContext } from '../exec/context.js';
import { runOpensslMirror } from '../exec/openssl.js';

export async function runMirrors(ctx: ExecContext, material: TlsMaterial, requests: readonly MirrorRequest[]): Promise<MirrorResults> {
  const results = new Map<string, MirrorOutcome>();
  const unique = [...new Map(requests.map((r) => [mirrorKey(r.part, r.mirror), r])).values()];
  await Promise.all(
    unique.map(async ({ part, mirror }) => {
      const source = material[part];
      if (!source) return;
      const { record, stdout } = await runOpensslMirror(ctx, mirror, source.bytes, producerOf(source));
      results.set(mirrorKey(part, mirror), {
        display: record.display,
        exitCode: record.exitCode,
        // Only public output is kept: these commands print certificates, public keys and moduli.
        stdout: stdout.slice(0, 16 * 1024),
        stderr: record.stderr,
        opensslMissing: record.failure === 'not-found',
      });
    }),
  );
  return results;
}
