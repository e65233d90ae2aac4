// Turns an official Node binary into kubectl-apigee_tls: prepare the base (strip it on Linux,
// remove Node's Authenticode or Apple signature, which the injection would invalidate anyway),
// inject the SEA blob with postject, then ad-hoc sign the macOS binaries again.
// Order matters: stripping after injection breaks the binary.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { unsign } from 'macho-unsign';
import { signatureSet } from 'portable-executable-signature';
import { adhocSign, readCodeSignature, verifyCodeDirectory } from './macho-codesign.js';
import { EXECUTABLE, MACHO_SEA_SEGMENT, SEA_FUSE, SEA_RESOURCE, type Target } from './targets.js';

// postject is CommonJS without types; its API is one function.
type Inject = (file: string, resource: string, data: Buffer, options: { sentinelFuse: string; machoSegmentName?: string }) => Promise<void>;
const { inject } = createRequire(import.meta.url)('postject') as { inject: Inject };

/** First tool of `candidates` found on PATH. */
export function findTool(candidates: readonly string[]): string | null {
  for (const tool of candidates) {
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' });
      return tool;
    } catch {
      // not on PATH; try the next one
    }
  }
  return null;
}

function strip(t: Target, file: string): void {
  if (t.strip.length === 0) return;
  const tool = findTool(t.strip);
  if (!tool) throw new Error(`${t.id}: none of ${t.strip.join(', ')} is installed (Debian: apt-get install binutils llvm-14)`);
  execFileSync(tool, [file], { stdio: 'inherit' });
}

function removeSignature(t: Target, file: string): void {
  const data = readFileSync(file);
  if (t.os === 'darwin') {
    const unsigned = unsign(data);
    if (unsigned) writeFileSync(file, Buffer.from(unsigned));
  } else if (t.os === 'windows') {
    writeFileSync(file, Buffer.from(signatureSet(data, null, true)));
  }
}

/** Signs a darwin binary in place and checks every hash it wrote. */
export function signDarwin(file: string): void {
  const signed = adhocSign(readFileSync(file), EXECUTABLE);
  const sig = readCodeSignature(signed);
  const cd = sig?.codeDirectories[0];
  if (!sig || !cd) throw new Error(`${file}: no signature after signing`);
  const check = verifyCodeDirectory(signed, sig, cd);
  if (check.codeMismatches.length > 0 || check.codeSlots !== Math.ceil(cd.codeLimit / 4096)) {
    throw new Error(`${file}: the ad-hoc signature does not verify`);
  }
  writeFileSync(file, signed);
}

/** Builds `out` from the official binary `base` and the SEA blob. */
export async function buildExecutable(t: Target, base: string, blob: string, out: string): Promise<void> {
  mkdirSync(dirname(out), { recursive: true });
  const work = `${out}.partial`;
  rmSync(work, { force: true });
  copyFileSync(base, work);
  chmodSync(work, 0o755);
  strip(t, work);
  removeSignature(t, work);
  await inject(work, SEA_RESOURCE, readFileSync(blob), {
    sentinelFuse: SEA_FUSE,
    ...(t.os === 'darwin' ? { machoSegmentName: MACHO_SEA_SEGMENT } : {}),
  });
  if (t.os === 'darwin') signDarwin(work);
  chmodSync(work, 0o755);
  renameSync(work, out);
}
