// A small ustar writer: regular files only, mode 0644, one fixed mtime, owner 0:0, gzip via
// node:zlib. Enough for a support bundle; no dependency, and byte-for-byte reproducible.
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  /** Relative path with '/' separators: letters, digits, '.', '_', '-'; no '..' parts. */
  path: string;
  content: Buffer;
}

const BLOCK = 512;
/** GNU tar and bsdtar write (and some readers expect) whole 10240-byte records. */
const RECORD = 20 * BLOCK;
const SAFE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const MAX_SIZE = 0o77777777777; // 11 octal digits: 8 GiB - 1

/** null when the path can go into the archive as it is, else why not. */
export function tarPathProblem(path: string): string | null {
  if (!SAFE_PATH.test(path)) return `unsafe archive path ${JSON.stringify(path)}`;
  if (path.split('/').some((p) => p === '.' || p === '..')) return `archive path ${JSON.stringify(path)} has a . or .. part`;
  if (Buffer.byteLength(path) > 255) return `archive path ${JSON.stringify(path)} is longer than 255 bytes`;
  return null;
}

/** ustar keeps a long path as prefix (≤155) + '/' + name (≤100). */
function splitPath(path: string): { prefix: string; name: string } {
  if (path.length <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    if (i <= 155 && path.length - i - 1 <= 100) return { prefix: path.slice(0, i), name: path.slice(i + 1) };
  }
  throw new Error(`archive path cannot be split for ustar: ${path}`);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

export function tarHeader(path: string, size: number, mtime: Date): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  const { prefix, name } = splitPath(path);
  const put = (text: string, offset: number, width: number) => header.write(text, offset, width, 'ascii');
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8); // uid
  put(octal(0, 8), 116, 8); // gid
  put(octal(size, 12), 124, 12);
  put(octal(Math.max(0, Math.floor(mtime.getTime() / 1000)), 12), 136, 12);
  put('        ', 148, 8); // checksum counts as spaces while it is computed
  put('0', 156, 1); // regular file
  put('ustar\u000000', 257, 8); // magic "ustar\0" and version "00"
  put(prefix, 345, 155);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return header;
}

/** The uncompressed archive. */
export function tar(entries: readonly TarEntry[], mtime: Date): Buffer {
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const problem = tarPathProblem(entry.path);
    if (problem) throw new Error(problem);
    if (seen.has(entry.path)) throw new Error(`archive path ${entry.path} given twice`);
    if (entry.content.length > MAX_SIZE) throw new Error(`archive entry ${entry.path} is too large for ustar`);
    seen.add(entry.path);
    parts.push(tarHeader(entry.path, entry.content.length, mtime), entry.content);
    const pad = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(2 * BLOCK, 0));
  const length = parts.reduce((n, p) => n + p.length, 0);
  const tail = (RECORD - (length % RECORD)) % RECORD;
  if (tail) parts.push(Buffer.alloc(tail, 0));
  return Buffer.concat(parts);
}

/** The archive as .tar.gz. */
export function tarGz(entries: readonly TarEntry[], mtime: Date): Buffer {
  return gzipSync(tar(entries, mtime), { level: 9 });
}
