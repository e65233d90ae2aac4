// A minimal reader of thin 64-bit little-endian Mach-O files: the header, the load commands and the
// segments with their sections. Enough to add a code signature and to check what postject wrote.
// Layouts: <mach-o/loader.h>.

export const MH_MAGIC_64 = 0xfeedfacf;
export const MH_EXECUTE = 0x2;
export const CPU_TYPE_X86_64 = 0x01000007;
export const CPU_TYPE_ARM64 = 0x0100000c;
export const LC_SEGMENT_64 = 0x19;
export const LC_CODE_SIGNATURE = 0x1d;
export const MACH_HEADER_64_SIZE = 32;
const SEGMENT_COMMAND_64_SIZE = 72;
const SECTION_64_SIZE = 80;
const SECTION_TYPE = 0xff;
/** S_ZEROFILL, S_GB_ZEROFILL, S_THREAD_LOCAL_ZEROFILL: no bytes in the file. */
const ZEROFILL_TYPES = new Set([0x1, 0xc, 0x12]);

export interface MachSection {
  name: string;
  segmentName: string;
  addr: bigint;
  size: bigint;
  offset: number;
  flags: number;
}

export interface MachSegment {
  name: string;
  /** File offset of the segment_command_64 itself (to patch it). */
  commandOffset: number;
  vmaddr: bigint;
  vmsize: bigint;
  fileoff: number;
  filesize: number;
  maxprot: number;
  initprot: number;
  sections: MachSection[];
}

export interface LoadCommand {
  cmd: number;
  cmdsize: number;
  /** File offset of the command. */
  offset: number;
}

export interface MachO {
  cputype: number;
  cpusubtype: number;
  filetype: number;
  ncmds: number;
  sizeofcmds: number;
  flags: number;
  commands: LoadCommand[];
  segments: MachSegment[];
  /** LC_CODE_SIGNATURE's linkedit_data_command, if present. */
  codeSignature?: { commandOffset: number; dataoff: number; datasize: number };
}

const cstring = (buf: Buffer, start: number, length: number) => {
  const raw = buf.subarray(start, start + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? raw.length : nul).toString('latin1');
};

/** Parses `buf`; throws unless it is a thin 64-bit little-endian Mach-O. */
export function parseMachO(buf: Buffer): MachO {
  if (buf.length < MACH_HEADER_64_SIZE || buf.readUInt32LE(0) !== MH_MAGIC_64) {
    throw new Error('not a thin 64-bit little-endian Mach-O file');
  }
  const m: MachO = {
    cputype: buf.readUInt32LE(4),
    cpusubtype: buf.readUInt32LE(8),
    filetype: buf.readUInt32LE(12),
    ncmds: buf.readUInt32LE(16),
    sizeofcmds: buf.readUInt32LE(20),
    flags: buf.readUInt32LE(24),
    commands: [],
    segments: [],
  };
  let off = MACH_HEADER_64_SIZE;
  const end = MACH_HEADER_64_SIZE + m.sizeofcmds;
  for (let i = 0; i < m.ncmds; i++) {
    if (off + 8 > end) throw new Error(`load command ${i} runs past sizeofcmds`);
    const cmd = buf.readUInt32LE(off);
    const cmdsize = buf.readUInt32LE(off + 4);
    if (cmdsize < 8 || off + cmdsize > end) throw new Error(`load command ${i} has a bad cmdsize ${cmdsize}`);
    m.commands.push({ cmd, cmdsize, offset: off });
    if (cmd === LC_SEGMENT_64) m.segments.push(readSegment(buf, off));
    if (cmd === LC_CODE_SIGNATURE) {
      m.codeSignature = { commandOffset: off, dataoff: buf.readUInt32LE(off + 8), datasize: buf.readUInt32LE(off + 12) };
    }
    off += cmdsize;
  }
  if (off !== end) throw new Error(`load commands end at ${off}, sizeofcmds says ${end}`);
  return m;
}

function readSegment(buf: Buffer, off: number): MachSegment {
  const nsects = buf.readUInt32LE(off + 64);
  const seg: MachSegment = {
    name: cstring(buf, off + 8, 16),
    commandOffset: off,
    vmaddr: buf.readBigUInt64LE(off + 24),
    vmsize: buf.readBigUInt64LE(off + 32),
    fileoff: Number(buf.readBigUInt64LE(off + 40)),
    filesize: Number(buf.readBigUInt64LE(off + 48)),
    maxprot: buf.readUInt32LE(off + 56),
    initprot: buf.readUInt32LE(off + 60),
    sections: [],
  };
  for (let s = 0; s < nsects; s++) {
    const so = off + SEGMENT_COMMAND_64_SIZE + s * SECTION_64_SIZE;
    seg.sections.push({
      name: cstring(buf, so, 16),
      segmentName: cstring(buf, so + 16, 16),
      addr: buf.readBigUInt64LE(so + 32),
      size: buf.readBigUInt64LE(so + 40),
      offset: buf.readUInt32LE(so + 48),
      flags: buf.readUInt32LE(so + 64),
    });
  }
  return seg;
}

/** Field offsets inside segment_command_64, for patching. */
export const SEGMENT_FIELD = { vmsize: 32, filesize: 48 } as const;

export const segment = (m: MachO, name: string) => m.segments.find((s) => s.name === name);

/**
 * First file byte used by segment contents: the load commands may grow up to here. Zero-fill
 * sections and the segment that maps the header itself (__TEXT, at file offset 0) do not count.
 */
export function firstContentOffset(m: MachO): number {
  let first = Number.POSITIVE_INFINITY;
  for (const seg of m.segments) {
    if (seg.filesize > 0 && seg.fileoff > 0) first = Math.min(first, seg.fileoff);
    for (const s of seg.sections) {
      if (!ZEROFILL_TYPES.has(s.flags & SECTION_TYPE) && s.offset > 0) first = Math.min(first, s.offset);
    }
  }
  return first;
}
