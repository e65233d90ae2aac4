// Reads a .tar.gz or .zip release archive into its entries, with each entry's kind and mode as
// krew sees them (krew picks the format from the content, not the name). Used by the manifest
// validator and by the tests' install simulation.
import { gunzipSync, inflateRawSync } from 'node:zlib';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface ArchiveEntry {
  name: string;
  kind: EntryKind;
  /** Permission bits (e.g. 0o755). */
  mode: number;
  /** Contents of regular files; empty for everything else. */
  data: Buffer;
  /** Link target, for links. */
  linkName?: string;
  /** tar only: modification time (seconds since the epoch) and numeric owner. */
  mtime?: number;
  uid?: number;
  gid?: number;
}

export function readArchive(bytes: Buffer): { format: 'tar.gz' | 'zip'; entries: ArchiveEntry[] } {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return { format: 'tar.gz', entries: readTar(gunzipSync(bytes)) };
  if (bytes.readUInt32LE(0) === 0x04034b50 || bytes.readUInt32LE(0) === 0x06054b50) return { format: 'zip', entries: readZip(bytes) };
  throw new Error('neither a gzip-compressed tarball nor a zip file');
}

const field = (b: Buffer, start: number, len: number) => {
  const raw = b.subarray(start, start + len);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? len : nul).toString('utf8');
};

function octal(b: Buffer, start: number, len: number): number {
  if (b[start]! & 0x80) {
    // GNU base-256 for large values.
    let n = 0;
    for (let i = start + 1; i < start + len; i++) n = n * 256 + b[i]!;
    return n;
  }
  const s = field(b, start, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

const TAR_KINDS: Record<string, EntryKind> = { '0': 'file', '\0': 'file', '7': 'file', '5': 'dir', '2': 'symlink', '1': 'hardlink' };

export function readTar(tar: Buffer): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((x) => x === 0)) break;
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156]!);
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = field(body, 0, body.length);
      continue;
    }
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      paxPath = m?.[1];
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(h, 257, 6) === 'ustar' ? field(h, 345, 155) : '';
    const name = paxPath ?? longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    longName = paxPath = undefined;
    const kind = TAR_KINDS[type] ?? 'other';
    entries.push({
      name,
      kind,
      mode: octal(h, 100, 8) & 0o7777,
      data: kind === 'file' ? Buffer.from(body) : Buffer.alloc(0),
      mtime: octal(h, 136, 12),
      uid: octal(h, 108, 8),
      gid: octal(h, 116, 8),
      ...(kind === 'symlink' || kind === 'hardlink' ? { linkName: field(h, 157, 100) } : {}),
    });
  }
  return entries;
}

const S_IFMT = 0o170000;
const ZIP_KINDS: Record<number, EntryKind> = { 0o100000: 'file', 0o040000: 'dir', 0o120000: 'symlink' };

export function readZip(zip: Buffer): ArchiveEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('zip: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let off = zip.readUInt32LE(eocd + 16);
  const entries: ArchiveEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(off) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    const madeByUnix = zip.readUInt8(off + 5) === 3;
    const method = zip.readUInt16LE(off + 10);
    const compressedSize = zip.readUInt32LE(off + 20);
    const nameLen = zip.readUInt16LE(off + 28);
    const extraLen = zip.readUInt16LE(off + 30);
    const commentLen = zip.readUInt16LE(off + 32);
    const external = zip.readUInt32LE(off + 38);
    const localOff = zip.readUInt32LE(off + 42);
    const name = zip.subarray(off + 46, off + 46 + nameLen).toString('utf8');
    off += 46 + nameLen + extraLen + commentLen;

    const unixMode = madeByUnix ? external >>> 16 : 0;
    let kind: EntryKind = name.endsWith('/') ? 'dir' : 'file';
    if (unixMode & S_IFMT) kind = ZIP_KINDS[unixMode & S_IFMT] ?? 'other';
    // A zip made on Windows has no Unix mode: krew gives such files 0644-like permissions.
    const mode = madeByUnix ? unixMode & 0o7777 : kind === 'dir' ? 0o755 : 0o644;
    const dataStart = localOff + 30 + zip.readUInt16LE(localOff + 26) + zip.readUInt16LE(localOff + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = kind === 'file' || kind === 'symlink' ? (method === 8 ? inflateRawSync(raw) : Buffer.from(raw)) : Buffer.alloc(0);
    entries.push({ name, kind, mode, data: kind === 'file' ? data : Buffer.alloc(0), ...(kind === 'symlink' ? { linkName: data.toString('utf8') } : {}) });
  }
  return entries;
}
