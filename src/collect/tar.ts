// A small ustar writer: regular files only, mode 0644, one fixed mtime, owner 0:0, gzip via
// node:zlib. Enough for a support bundle; no dependency, and byte-for-byte reproducible. A path
// that does not fit ustar's name fields (a legal 253-character pod name does not) gets a POSIX
// pax header carrying it whole, as GNU tar, bsdtar and Python's tarfile read it.
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
/** Far beyond any path we make (root + logs/<253-char pod>/<63-char container>.log), well under PATH_MAX. */
const MAX_PATH = 1024;

/** null when the path can go into the archive as it is, else why not. */
export function tarPathProblem(path: string): string | null {
  if (!SAFE_PATH.test(path)) return `unsafe archive path ${JSON.stringify(path)}`;
  if (path.split('/').some((p) => p === '.' || p === '..')) return `archive path ${JSON.stringify(path)} has a . or .. part`;
  if (Buffer.byteLength(path) > MAX_PATH) return `archive path ${JSON.stringify(path.slice(0, 64))}… is longer than ${MAX_PATH} bytes`;
  return null;
}

/** ustar keeps a long path as prefix (≤155) + '/' + name (≤100); null when it cannot. */
function splitPath(path: string): { prefix: string; name: string } | null {
  if (path.length <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    if (i <= 155 && path.length - i - 1 <= 100) return { prefix: path.slice(0, i), name: path.slice(i + 1) };
  }
  return null;
}

/** One pax record, `<length> path=<value>\n`, where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(split: { prefix: string; name: string }, size: number, mtime: Date, type: '0' | 'x'): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  const { prefix, name } = split;
  const put = (text: string, offset: number, width: number) => header.write(text, offset, width, 'ascii');
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8); // uid
  put(octal(0, 8), 116, 8); // gid
  put(octal(size, 12), 124, 12);
  put(octal(Math.max(0, Math.floor(mtime.getTime() / 1000)), 12), 136, 12);
  put('        ', 148, 8); // checksum counts as spaces while it is computed
  put(type, 156, 1); // '0' a regular file, 'x' a pax header for the next one
  put('ustar\u000000', 257, 8); // magic "ustar\0" and version "00"
  put(prefix, 345, 155);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return header;
}

const padded = (content: Buffer): Buffer[] => {
  const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
  return pad ? [content, Buffer.alloc(pad, 0)] : [content];
};

/** The header blocks of one file: a ustar header, after a pax header when the path needs one. */
export function tarHeader(path: string, size: number, mtime: Date): Buffer {
  const split = splitPath(path);
  if (split) return header(split, size, mtime, '0');
  const pax = Buffer.from(paxRecord('path', path), 'utf8');
  // Readers without pax support still get a safe, truncated name in the ustar fields.
  const short = { prefix: '', name: path.slice(-100).replace(/^[^/]*\//, '') };
  return Buffer.concat([header({ prefix: '', name: 'PaxHeader' }, pax.length, mtime, 'x'), ...padded(pax), header(short, size, mtime, '0')]);
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
    parts.push(tarHeader(entry.path, entry.content.length, mtime), ...padded(entry.content));
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
