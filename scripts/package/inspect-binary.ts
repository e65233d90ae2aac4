// Reads back what the build produced, for any of the three formats: the machine, where postject
// put the SEA blob (an ELF note, a Mach-O section in the NODE_SEA segment, a PE RCDATA resource)
// and the sentinel fuse it flipped. The build checks each executable with it; so do the tests.
import { parseMachO, CPU_TYPE_ARM64, CPU_TYPE_X86_64, segment } from './macho.js';
import { MACHO_SEA_SEGMENT, SEA_FUSE, SEA_RESOURCE } from './targets.js';

export interface BinaryInfo {
  format: 'ELF64' | 'Mach-O 64' | 'PE32+';
  machine: 'x86-64' | 'aarch64' | 'arm64' | 'other';
  /** The injected blob, found the way Node's SEA loader finds it. */
  seaBlob: Buffer | null;
  /** Where: the ELF note name, `segment/section` or the PE resource `type/name`. */
  seaLocation: string | null;
  /** The byte after `<fuse>:` ('1' once injected), and how often the fuse occurs. */
  fuse: { count: number; value: string | null };
  /** PE only: size of the Authenticode (security) directory, 0 when unsigned. */
  authenticodeSize?: number;
  /** Mach-O only: segment names, in load-command order. */
  segments?: string[];
}

function fuseState(buf: Buffer): BinaryInfo['fuse'] {
  const needle = Buffer.from(`${SEA_FUSE}:`);
  let count = 0;
  let value: string | null = null;
  for (let at = buf.indexOf(needle); at !== -1; at = buf.indexOf(needle, at + 1)) {
    count++;
    value = String.fromCharCode(buf[at + needle.length]!);
  }
  return { count, value };
}

export function inspectBinary(buf: Buffer): BinaryInfo {
  if (buf.readUInt32BE(0) === 0x7f454c46) return inspectElf(buf);
  if (buf.readUInt32LE(0) === 0xfeedfacf) return inspectMachO(buf);
  if (buf.readUInt16LE(0) === 0x5a4d) return inspectPe(buf);
  throw new Error('not an ELF, Mach-O or PE file');
}

const ELF_MACHINES: Record<number, BinaryInfo['machine']> = { 0x3e: 'x86-64', 0xb7: 'aarch64' };
const PT_NOTE = 4;

function inspectElf(buf: Buffer): BinaryInfo {
  if (buf[4] !== 2 || buf[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
  const phoff = Number(buf.readBigUInt64LE(32));
  const phentsize = buf.readUInt16LE(54);
  const phnum = buf.readUInt16LE(56);
  let seaBlob: Buffer | null = null;
  for (let i = 0; i < phnum && !seaBlob; i++) {
    const ph = phoff + i * phentsize;
    if (buf.readUInt32LE(ph) !== PT_NOTE) continue;
    const start = Number(buf.readBigUInt64LE(ph + 8));
    const end = start + Number(buf.readBigUInt64LE(ph + 32));
    const align = Number(buf.readBigUInt64LE(ph + 48)) >= 8 ? 8 : 4;
    const pad = (n: number) => Math.ceil(n / align) * align;
    for (let at = start; at + 12 <= end;) {
      const namesz = buf.readUInt32LE(at);
      const descsz = buf.readUInt32LE(at + 4);
      const name = buf.subarray(at + 12, at + 12 + Math.max(0, namesz - 1)).toString('latin1');
      const desc = at + 12 + pad(namesz);
      if (name === SEA_RESOURCE) {
        seaBlob = buf.subarray(desc, desc + descsz);
        break;
      }
      at = desc + pad(descsz);
    }
  }
  return {
    format: 'ELF64',
    machine: ELF_MACHINES[buf.readUInt16LE(18)] ?? 'other',
    seaBlob,
    seaLocation: seaBlob ? `PT_NOTE ${SEA_RESOURCE}` : null,
    fuse: fuseState(buf),
  };
}

function inspectMachO(buf: Buffer): BinaryInfo {
  const m = parseMachO(buf);
  const seg = segment(m, MACHO_SEA_SEGMENT);
  const sect = seg?.sections.find((s) => s.name === `__${SEA_RESOURCE}`);
  return {
    format: 'Mach-O 64',
    machine: m.cputype === CPU_TYPE_ARM64 ? 'arm64' : m.cputype === CPU_TYPE_X86_64 ? 'x86-64' : 'other',
    seaBlob: sect ? buf.subarray(sect.offset, sect.offset + Number(sect.size)) : null,
    seaLocation: sect ? `${MACHO_SEA_SEGMENT}/${sect.name}` : null,
    fuse: fuseState(buf),
    segments: m.segments.map((s) => s.name),
  };
}

const RT_RCDATA = 10;

function inspectPe(buf: Buffer): BinaryInfo {
  const pe = buf.readUInt32LE(0x3c);
  if (buf.readUInt32LE(pe) !== 0x00004550) throw new Error('no PE signature');
  const coff = pe + 4;
  const machine = buf.readUInt16LE(coff);
  const nsections = buf.readUInt16LE(coff + 2);
  const optSize = buf.readUInt16LE(coff + 16);
  const opt = coff + 20;
  if (buf.readUInt16LE(opt) !== 0x20b) throw new Error('not PE32+');
  const dataDir = (i: number) => ({ rva: buf.readUInt32LE(opt + 112 + i * 8), size: buf.readUInt32LE(opt + 112 + i * 8 + 4) });
  const sections = Array.from({ length: nsections }, (_, i) => {
    const s = opt + optSize + i * 40;
    return { va: buf.readUInt32LE(s + 12), vsize: buf.readUInt32LE(s + 8), raw: buf.readUInt32LE(s + 20), rawSize: buf.readUInt32LE(s + 16) };
  });
  const fileOffset = (rva: number) => {
    const s = sections.find((x) => rva >= x.va && rva < x.va + Math.max(x.vsize, x.rawSize));
    if (!s) throw new Error(`RVA 0x${rva.toString(16)} is in no section`);
    return rva - s.va + s.raw;
  };

  // Resource tree: type → name → language → data entry.
  const rsrc = dataDir(2);
  const base = fileOffset(rsrc.rva);
  const entriesOf = (dir: number) => {
    const n = buf.readUInt16LE(dir + 12) + buf.readUInt16LE(dir + 14);
    return Array.from({ length: n }, (_, i) => {
      const e = dir + 16 + i * 8;
      const nameField = buf.readUInt32LE(e);
      const target = buf.readUInt32LE(e + 4);
      let key: string | number = nameField;
      if (nameField & 0x80000000) {
        const at = base + (nameField & 0x7fffffff);
        key = buf.subarray(at + 2, at + 2 + 2 * buf.readUInt16LE(at)).toString('utf16le');
      }
      return { key, isDir: (target & 0x80000000) !== 0, at: base + (target & 0x7fffffff) };
    });
  };
  let seaBlob: Buffer | null = null;
  const type = entriesOf(base).find((e) => e.key === RT_RCDATA && e.isDir);
  const named = type && entriesOf(type.at).find((e) => e.key === SEA_RESOURCE && e.isDir);
  const lang = named && entriesOf(named.at).find((e) => !e.isDir);
  if (lang) {
    const at = fileOffset(buf.readUInt32LE(lang.at));
    seaBlob = buf.subarray(at, at + buf.readUInt32LE(lang.at + 4));
  }
  return {
    format: 'PE32+',
    machine: machine === 0x8664 ? 'x86-64' : machine === 0xaa64 ? 'arm64' : 'other',
    seaBlob,
    seaLocation: seaBlob ? `RCDATA/${SEA_RESOURCE}` : null,
    fuse: fuseState(buf),
    authenticodeSize: dataDir(4).size,
  };
}
