// A real pipe for a log stream's stdout. Node gives a child's stdout as a Unix socket pair, and
// kubectl writes each log line with a write call of its own: through a socket pair every line is a
// chunk that wakes Node (about 375,000 of them per 20 MB); a pipe gathers them into reads of up to
// 64 KB. Node cannot make an anonymous pipe, so a FIFO is made with mkfifo in a private 0700 temp
// folder, both of its ends are opened, and the folder is removed at once: only the two descriptors
// remain, and the FIFO only ever carries kubectl's log output. Where none can be made (Windows, no
// mkfifo, no temp folder), the caller reads the socket pair as before: it costs time, not results.
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ExecContext } from './context.js';
import { addGroup, removeGroup } from './groups.js';
import { resolveTool } from './resolve-tool.js';

export interface LogPipe {
  /** The read end, as a stream (epoll-driven, not a thread-pool read). */
  reader: Socket;
  /** The write end, for the child's stdout; close it here once the child has it. */
  writeFd: number;
}

/** mkfifo is one tiny process; past this it is given up and the socket pair is used. */
const MKFIFO_TIMEOUT_MS = 5000;

/** Folders made and not yet removed: removed on exit too, should the process end in between. */
const pending = new Set<string>();
process.on('exit', () => {
  for (const dir of pending) rmSync(dir, { recursive: true, force: true });
});

function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  pending.delete(dir);
}

async function makeFifo(ctx: ExecContext, path: string): Promise<boolean> {
  if (!ctx.resolved.has('mkfifo')) ctx.resolved.set('mkfifo', resolveTool('mkfifo', process.env));
  const mkfifo = ctx.resolved.get('mkfifo');
  if (!mkfifo) return false;
  const child = execa(mkfifo, ['-m', '600', path], {
    stdio: 'ignore',
    reject: false,
    detached: true,
    cleanup: false,
    timeout: MKFIFO_TIMEOUT_MS,
    cancelSignal: ctx.signal,
  });
  if (child.pid !== undefined) addGroup(child.pid);
  const result = await child;
  if (child.pid !== undefined) removeGroup(child.pid);
  return result.exitCode === 0;
}

/** A FIFO's two ends, its name already gone; null where none can be made. */
export async function openLogPipe(ctx: ExecContext): Promise<LogPipe | null> {
  if (process.platform === 'win32' || ctx.signal.aborted) return null;
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'apigee-tls-pipe-'));
  } catch {
    return null;
  }
  pending.add(dir);
  try {
    const path = join(dir, 'stdout');
    if (!(await makeFifo(ctx, path))) return null;
    // The read end first, without blocking (no writer yet); then the write end, which a reader
    // lets open at once. The child gets the write end in blocking mode: a full pipe holds kubectl.
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    let writeFd: number;
    try {
      writeFd = openSync(path, constants.O_WRONLY);
    } catch {
      closeSync(readFd);
      return null;
    }
    return { reader: new Socket({ fd: readFd, readable: true, writable: false }), writeFd };
  } catch {
    return null;
  } finally {
    removeFolder(dir);
  }
}
