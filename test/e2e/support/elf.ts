// Just enough of an ELF reader to say what a binary needs to start: its machine, its program
// interpreter (the dynamic loader) and the shared libraries it names (DT_NEEDED). It reads
// the headers in place (the binaries are 100 MB) and needs no binutils.
import { closeSync, openSync, readSync } from "node:fs";

export interface ElfInfo {
  /** e_machine: "x86-64", "aarch64" or the number. */
  machine: string;
  /** PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2; undefined for a static binary. */
  interpreter?: string;
  /** DT_NEEDED entries, in order. */
  needed: string[];
}

const MACHINES: Record<number, string> = { 0x3e: "x86-64", 0xb7: "aarch64" };
const PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3;
const DT_NULL = 0n, DT_NEEDED = 1n, DT_STRTAB = 5n;

/** Reads a 64-bit little-endian ELF file's loader and library needs; throws on anything else. */
export function readElf(path: string): ElfInfo {
  const fd = openSync(path, "r");
  try {
    const read = (offset: number, length: number) => {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, offset);
      return buffer;
    };
    const header = read(0, 64);
    if (header.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${path} is not an ELF file`);
    if (header[4] !== 2 || header[5] !== 1) throw new Error(`${path} is not a 64-bit little-endian ELF file`);
    const machine = header.readUInt16LE(0x12);
    const phoff = Number(header.readBigUInt64LE(0x20));
    const phentsize = header.readUInt16LE(0x36);
    const phnum = header.readUInt16LE(0x38);

    const segments = Array.from({ length: phnum }, (_, i) => {
      const ph = read(phoff + i * phentsize, phentsize);
      return {
        type: ph.readUInt32LE(0),
        offset: Number(ph.readBigUInt64LE(8)),
        vaddr: Number(ph.readBigUInt64LE(16)),
        filesz: Number(ph.readBigUInt64LE(32)),
      };
    });
    const cString = (offset: number) => {
      const bytes = read(offset, 256);
      return bytes.subarray(0, bytes.indexOf(0)).toString("latin1");
    };

    const interp = segments.find((s) => s.type === PT_INTERP);
    const needed: string[] = [];
    const dynamic = segments.find((s) => s.type === PT_DYNAMIC);
    if (dynamic) {
      const entries = read(dynamic.offset, dynamic.filesz);
      const tags: [bigint, bigint][] = [];
      for (let at = 0; at + 16 <= entries.length; at += 16) {
        const tag = entries.readBigInt64LE(at);
        if (tag === DT_NULL) break;
        tags.push([tag, entries.readBigUInt64LE(at + 8)]);
      }
      // DT_STRTAB is an address: find the loaded segment that holds it to get a file offset.
      const strtab = Number(tags.find(([tag]) => tag === DT_STRTAB)?.[1] ?? 0n);
      const load = segments.find((s) => s.type === PT_LOAD && s.vaddr <= strtab && strtab < s.vaddr + s.filesz);
      if (!load) throw new Error(`${path}: no loaded segment holds the dynamic string table`);
      for (const [tag, value] of tags) if (tag === DT_NEEDED) needed.push(cString(strtab - load.vaddr + load.offset + Number(value)));
    }
    return { machine: MACHINES[machine] ?? String(machine), interpreter: interp && cString(interp.offset), needed };
  } finally {
    closeSync(fd);
  }
}
