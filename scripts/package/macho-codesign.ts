// Ad-hoc code signing of a Mach-O executable, without Apple's codesign: Apple Silicon kills an
// arm64 binary that carries no signature, and postject's injection invalidates Node's own.
//
// The algorithm is the one Go's linker uses (cmd/internal/codesign, and machoCodeSign in
// cmd/link/internal/ld/macho.go), which is the one Apple's ld64 uses for "linker-signed" output:
// a SuperBlob holding a single CodeDirectory with the SHA-256 of every 4 KiB page of the file up
// to the signature, an identifier and the executable segment's bounds. The signature goes at the
// end of __LINKEDIT (16-byte aligned), an LC_CODE_SIGNATURE load command points at it, and
// __LINKEDIT's sizes grow to cover it. Layouts: xnu osfmk/kern/cs_blobs.h.
//
// readCodeSignature/verifyCodeDirectory read any embedded signature, Apple's included, and are
// checked against the official, Apple-signed node binary in test/package.test.ts.
import { createHash } from 'node:crypto';
import {
  CPU_TYPE_ARM64,
  LC_CODE_SIGNATURE,
  MACH_HEADER_64_SIZE,
  MH_EXECUTE,
  SEGMENT_FIELD,
  firstContentOffset,
  parseMachO,
  segment,
  type MachO,
} from './macho.js';

export const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
export const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
export const CSSLOT_CODEDIRECTORY = 0;
/** Slots 0x1000..0x1004 hold alternate CodeDirectories (e.g. SHA-256 beside SHA-1). */
export const CSSLOT_ALTERNATE_CODEDIRECTORIES = 0x1000;
export const CS_ADHOC = 0x2;
export const CS_LINKER_SIGNED = 0x20000;
export const CS_HASHTYPE_SHA256 = 2;
export const CS_EXECSEG_MAIN_BINARY = 0x1;
/** The CodeDirectory version that has the exec segment fields. */
export const CD_VERSION_EXECSEG = 0x20400;
export const PAGE_SIZE_BITS = 12;
export const PAGE_SIZE = 1 << PAGE_SIZE_BITS;
export const SHA256_SIZE = 32;
const SUPERBLOB_HEADER_SIZE = 12;
const BLOB_INDEX_SIZE = 8;
/** CodeDirectory up to and including execSegFlags (13 u32 + 4 u8 + 4 u64), before identifier and hashes. */
export const CODE_DIRECTORY_SIZE = 13 * 4 + 4 + 4 * 8;
const LINKEDIT_DATA_COMMAND_SIZE = 16;
/** Signature data starts 16-byte aligned, as ld64 and codesign place it. */
const SIGNATURE_ALIGN = 16;

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Size of the signature for `codeLimit` bytes of code and identifier `id` (Go's codesign.Size). */
export function signatureSize(codeLimit: number, id: string): number {
  const nslots = Math.ceil(codeLimit / PAGE_SIZE);
  return SUPERBLOB_HEADER_SIZE + BLOB_INDEX_SIZE + CODE_DIRECTORY_SIZE + Buffer.byteLength(id) + 1 + nslots * SHA256_SIZE;
}

/**
 * Returns a copy of `input` with an ad-hoc signature under `identifier`. `input` must be a thin
 * 64-bit Mach-O whose __LINKEDIT is its last segment; an existing signature at the end of the file
 * is replaced.
 */
export function adhocSign(input: Buffer, identifier: string): Buffer {
  const m = parseMachO(input);
  const linkedit = segment(m, '__LINKEDIT');
  const text = segment(m, '__TEXT');
  if (!linkedit || !text) throw new Error('no __LINKEDIT or __TEXT segment');

  // Where the code ends: the old signature, if any, is dropped and its load command reused.
  let codeEnd = input.length;
  let commandOffset = MACH_HEADER_64_SIZE + m.sizeofcmds;
  if (m.codeSignature) {
    const { dataoff, datasize } = m.codeSignature;
    if (dataoff + datasize !== input.length) throw new Error('the existing signature is not at the end of the file');
    codeEnd = dataoff;
    commandOffset = m.codeSignature.commandOffset;
  } else {
    const room = firstContentOffset(m) - commandOffset;
    if (room < LINKEDIT_DATA_COMMAND_SIZE) throw new Error(`no room for LC_CODE_SIGNATURE: ${room} bytes free after the load commands`);
    if (input.subarray(commandOffset, commandOffset + LINKEDIT_DATA_COMMAND_SIZE).some((b) => b !== 0)) {
      throw new Error('the space after the load commands is not empty');
    }
  }
  for (const seg of m.segments) {
    if (seg !== linkedit && seg.filesize > 0 && seg.fileoff + seg.filesize > linkedit.fileoff) {
      throw new Error(`segment ${seg.name} lies after __LINKEDIT in the file`);
    }
    if (seg !== linkedit && seg.vmaddr > linkedit.vmaddr) throw new Error(`segment ${seg.name} lies after __LINKEDIT in memory`);
  }
  if (linkedit.fileoff > codeEnd || linkedit.fileoff + linkedit.filesize < codeEnd) {
    throw new Error('the file does not end inside __LINKEDIT');
  }

  const sigOff = alignUp(codeEnd, SIGNATURE_ALIGN);
  const sigSize = signatureSize(sigOff, identifier);
  const out = Buffer.alloc(sigOff + sigSize);
  input.copy(out, 0, 0, codeEnd);

  // The load command, and the header counts when it is new.
  out.writeUInt32LE(LC_CODE_SIGNATURE, commandOffset);
  out.writeUInt32LE(LINKEDIT_DATA_COMMAND_SIZE, commandOffset + 4);
  out.writeUInt32LE(sigOff, commandOffset + 8);
  out.writeUInt32LE(sigSize, commandOffset + 12);
  if (!m.codeSignature) {
    out.writeUInt32LE(m.ncmds + 1, 16);
    out.writeUInt32LE(m.sizeofcmds + LINKEDIT_DATA_COMMAND_SIZE, 20);
  }

  // __LINKEDIT now ends with the signature; its memory size is whole pages of the target.
  const linkeditSize = sigOff + sigSize - linkedit.fileoff;
  const vmPage = m.cputype === CPU_TYPE_ARM64 ? 0x4000 : 0x1000;
  out.writeBigUInt64LE(BigInt(linkeditSize), linkedit.commandOffset + SEGMENT_FIELD.filesize);
  out.writeBigUInt64LE(BigInt(alignUp(linkeditSize, vmPage)), linkedit.commandOffset + SEGMENT_FIELD.vmsize);

  writeSignature(out, sigOff, sigSize, identifier, m, text.fileoff, text.filesize);
  return out;
}

function writeSignature(out: Buffer, sigOff: number, sigSize: number, id: string, m: MachO, textOff: number, textSize: number): void {
  const nslots = Math.ceil(sigOff / PAGE_SIZE);
  const cdOff = sigOff + SUPERBLOB_HEADER_SIZE + BLOB_INDEX_SIZE;
  const identOffset = CODE_DIRECTORY_SIZE;
  const hashOffset = identOffset + Buffer.byteLength(id) + 1;

  // SuperBlob (big-endian, like every blob) with one index entry: the CodeDirectory.
  out.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, sigOff);
  out.writeUInt32BE(sigSize, sigOff + 4);
  out.writeUInt32BE(1, sigOff + 8);
  out.writeUInt32BE(CSSLOT_CODEDIRECTORY, sigOff + 12);
  out.writeUInt32BE(SUPERBLOB_HEADER_SIZE + BLOB_INDEX_SIZE, sigOff + 16);

  const cd = [
    CSMAGIC_CODEDIRECTORY,
    sigSize - (SUPERBLOB_HEADER_SIZE + BLOB_INDEX_SIZE), // length
    CD_VERSION_EXECSEG,
    CS_ADHOC | CS_LINKER_SIGNED, // flags
    hashOffset,
    identOffset,
    0, // nSpecialSlots
    nslots, // nCodeSlots
    sigOff, // codeLimit
  ];
  cd.forEach((v, i) => out.writeUInt32BE(v, cdOff + 4 * i));
  out.writeUInt8(SHA256_SIZE, cdOff + 36); // hashSize
  out.writeUInt8(CS_HASHTYPE_SHA256, cdOff + 37); // hashType
  out.writeUInt8(0, cdOff + 38); // platform
  out.writeUInt8(PAGE_SIZE_BITS, cdOff + 39); // pageSize (log2)
  // spare2, scatterOffset, teamOffset, spare3 and codeLimit64 stay 0.
  out.writeBigUInt64BE(BigInt(textOff), cdOff + 64); // execSegBase
  out.writeBigUInt64BE(BigInt(textSize), cdOff + 72); // execSegLimit
  out.writeBigUInt64BE(BigInt(m.filetype === MH_EXECUTE ? CS_EXECSEG_MAIN_BINARY : 0), cdOff + 80); // execSegFlags
  out.write(`${id}\0`, cdOff + identOffset, 'utf8');

  for (let i = 0; i < nslots; i++) {
    const page = out.subarray(i * PAGE_SIZE, Math.min((i + 1) * PAGE_SIZE, sigOff));
    createHash('sha256')
      .update(page)
      .digest()
      .copy(out, cdOff + hashOffset + i * SHA256_SIZE);
  }
}

// ---- Reading and verifying -------------------------------------------------------------------

export interface BlobEntry {
  /** Slot type from the SuperBlob index (0 = CodeDirectory, 2 = requirements, 0x10000 = CMS…). */
  type: number;
  /** Offset from the start of the SuperBlob. */
  offset: number;
  magic: number;
  length: number;
}

export interface CodeDirectory {
  slot: number;
  /** Offset of the CodeDirectory in the file. */
  fileOffset: number;
  magic: number;
  length: number;
  version: number;
  flags: number;
  hashOffset: number;
  identOffset: number;
  nSpecialSlots: number;
  nCodeSlots: number;
  codeLimit: number;
  hashSize: number;
  hashType: number;
  pageSizeLog2: number;
  teamOffset: number;
  execSegBase: bigint;
  execSegLimit: bigint;
  execSegFlags: bigint;
  identifier: string;
  teamId: string | null;
}

export interface CodeSignature {
  dataoff: number;
  datasize: number;
  magic: number;
  length: number;
  count: number;
  blobs: BlobEntry[];
  codeDirectories: CodeDirectory[];
}

const readCString = (buf: Buffer, at: number) => buf.subarray(at, buf.indexOf(0, at)).toString('utf8');

/** The embedded signature LC_CODE_SIGNATURE points at, or null if the file has none. */
export function readCodeSignature(buf: Buffer): CodeSignature | null {
  const m = parseMachO(buf);
  if (!m.codeSignature) return null;
  const { dataoff, datasize } = m.codeSignature;
  if (dataoff + datasize > buf.length) throw new Error('LC_CODE_SIGNATURE points past the end of the file');
  const sig: CodeSignature = {
    dataoff,
    datasize,
    magic: buf.readUInt32BE(dataoff),
    length: buf.readUInt32BE(dataoff + 4),
    count: buf.readUInt32BE(dataoff + 8),
    blobs: [],
    codeDirectories: [],
  };
  if (sig.magic !== CSMAGIC_EMBEDDED_SIGNATURE) throw new Error(`SuperBlob magic 0x${sig.magic.toString(16)}`);
  for (let i = 0; i < sig.count; i++) {
    const type = buf.readUInt32BE(dataoff + SUPERBLOB_HEADER_SIZE + i * BLOB_INDEX_SIZE);
    const offset = buf.readUInt32BE(dataoff + SUPERBLOB_HEADER_SIZE + i * BLOB_INDEX_SIZE + 4);
    const at = dataoff + offset;
    const blob = { type, offset, magic: buf.readUInt32BE(at), length: buf.readUInt32BE(at + 4) };
    sig.blobs.push(blob);
    if (blob.magic === CSMAGIC_CODEDIRECTORY) sig.codeDirectories.push(readCodeDirectory(buf, at, type));
  }
  return sig;
}

function readCodeDirectory(buf: Buffer, at: number, slot: number): CodeDirectory {
  const u32 = (o: number) => buf.readUInt32BE(at + o);
  const version = u32(8);
  const teamOffset = version >= 0x20200 ? u32(48) : 0;
  const codeLimit64 = version >= 0x20300 ? buf.readBigUInt64BE(at + 56) : 0n;
  const hasExecSeg = version >= CD_VERSION_EXECSEG;
  return {
    slot,
    fileOffset: at,
    magic: u32(0),
    length: u32(4),
    version,
    flags: u32(12),
    hashOffset: u32(16),
    identOffset: u32(20),
    nSpecialSlots: u32(24),
    nCodeSlots: u32(28),
    codeLimit: codeLimit64 > 0n ? Number(codeLimit64) : u32(32),
    hashSize: buf.readUInt8(at + 36),
    hashType: buf.readUInt8(at + 37),
    pageSizeLog2: buf.readUInt8(at + 39),
    teamOffset,
    execSegBase: hasExecSeg ? buf.readBigUInt64BE(at + 64) : 0n,
    execSegLimit: hasExecSeg ? buf.readBigUInt64BE(at + 72) : 0n,
    execSegFlags: hasExecSeg ? buf.readBigUInt64BE(at + 80) : 0n,
    identifier: readCString(buf, at + u32(20)),
    teamId: teamOffset ? readCString(buf, at + teamOffset) : null,
  };
}

const HASHES: Record<number, { algorithm: string; size: number }> = {
  1: { algorithm: 'sha1', size: 20 },
  2: { algorithm: 'sha256', size: 32 },
  3: { algorithm: 'sha256', size: 20 }, // SHA-256 truncated
  4: { algorithm: 'sha384', size: 48 },
};

export interface SlotCheck {
  /** Code slots compared (every one of them). */
  codeSlots: number;
  /** Indexes of code slots whose stored hash differs from the page's hash. */
  codeMismatches: number[];
  /** Special slots (1 = Info.plist, 2 = requirements, 5 = entitlements, 7 = DER entitlements…). */
  specialSlots: Array<{ slot: number; result: 'match' | 'mismatch' | 'empty' | 'external' }>;
}

/** The hash stored in code slot `i` (negative: special slot -i). */
export function storedHash(buf: Buffer, cd: CodeDirectory, i: number): Buffer {
  const at = cd.fileOffset + cd.hashOffset + i * cd.hashSize;
  return buf.subarray(at, at + cd.hashSize);
}

/** Recomputes every hash `cd` stores from the file bytes and the signature's own blobs. */
export function verifyCodeDirectory(buf: Buffer, sig: CodeSignature, cd: CodeDirectory): SlotCheck {
  const h = HASHES[cd.hashType];
  if (!h || h.size !== cd.hashSize) throw new Error(`unsupported hash type ${cd.hashType}/${cd.hashSize}`);
  const pageSize = cd.pageSizeLog2 ? 1 << cd.pageSizeLog2 : cd.codeLimit;
  const digest = (bytes: Buffer) => createHash(h.algorithm).update(bytes).digest().subarray(0, h.size);
  const result: SlotCheck = { codeSlots: cd.nCodeSlots, codeMismatches: [], specialSlots: [] };
  for (let i = 0; i < cd.nCodeSlots; i++) {
    const page = buf.subarray(i * pageSize, Math.min((i + 1) * pageSize, cd.codeLimit));
    if (!digest(page).equals(storedHash(buf, cd, i))) result.codeMismatches.push(i);
  }
  for (let slot = 1; slot <= cd.nSpecialSlots; slot++) {
    const stored = storedHash(buf, cd, -slot);
    const blob = sig.blobs.find((b) => b.type === slot);
    if (blob) {
      const start = sig.dataoff + blob.offset;
      result.specialSlots.push({ slot, result: digest(buf.subarray(start, start + blob.length)).equals(stored) ? 'match' : 'mismatch' });
    } else {
      // No blob in the signature: either nothing (all zeros) or a file outside it (Info.plist, resources).
      result.specialSlots.push({ slot, result: stored.every((b) => b === 0) ? 'empty' : 'external' });
    }
  }
  return result;
}
