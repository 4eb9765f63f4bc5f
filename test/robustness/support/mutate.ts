/** Mutations of real captures, from blind (bit flips) to structural (a record's length lies, blocks
 * duplicated or swapped, an interface id nobody described). Deterministic for a given Rng seed,
 * so `npm run fuzz -- --seed N` and the bounded jest run reproduce exactly. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { EPB, IDB, layout, PB, SHB, SPB, type Layout, type Unit } from './layout';

/** mulberry32. */
export class Rng {
  private a: number;

  constructor(seed: number) {
    this.a = seed >>> 0;
  }

  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** 0 <= n < max. */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Small numbers more often than big ones. */
  small(max: number): number {
    return Math.min(max, Math.floor(Math.exp(this.next() * Math.log(max + 1))));
  }
}

/** Values that make length checks go wrong. */
const INTERESTING_U32 = [0, 1, 3, 4, 8, 11, 12, 15, 16, 0x7f, 0x80, 0xff, 0x100, 0xfff0, 0xffff, 0x10000,
  0x3ffff, 0x40000, 0x40001, 0xffffff, 0x1000000, 0x1000001, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffc, 0xffffffff];
const INTERESTING_U8 = [0, 1, 0x0f, 0x10, 0x3f, 0x40, 0x45, 0x60, 0x7f, 0x80, 0xfe, 0xff];

export interface Mutation {
  name: string;
  apply(b: Buffer, l: Layout, rng: Rng): Buffer | null;
}

function writeU32(b: Buffer, at: number, v: number, le: boolean): void {
  if (at < 0 || at + 4 > b.length) return;
  if (le) b.writeUInt32LE(v >>> 0, at);
  else b.writeUInt32BE(v >>> 0, at);
}

function readU32(b: Buffer, at: number, le: boolean): number {
  return le ? b.readUInt32LE(at) : b.readUInt32BE(at);
}

function lyingLength(rng: Rng, real: number): number {
  if (rng.chance(0.5)) return rng.pick(INTERESTING_U32);
  const delta = rng.pick([-16, -8, -4, -2, -1, 1, 2, 4, 8, 16, 4096]);
  return Math.max(0, real + delta);
}

function units(l: Layout, filter: (u: Unit) => boolean = () => true): Unit[] {
  return l.units.filter(filter);
}

function spliceUnits(b: Buffer, l: Layout, order: Unit[]): Buffer {
  const tail = b.subarray(l.end);
  return Buffer.concat([b.subarray(0, l.headerBytes), ...order.map((u) => b.subarray(u.offset, u.offset + u.length)), tail]);
}

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'bit-flips',
    apply(b, _l, rng) {
      const out = Buffer.from(b);
      for (let n = 1 + rng.small(16); n > 0; n--) out[rng.int(out.length)] ^= 1 << rng.int(8);
      return out;
    },
  },
  {
    name: 'byte-overwrite',
    apply(b, _l, rng) {
      const out = Buffer.from(b);
      for (let n = 1 + rng.small(8); n > 0; n--) out[rng.int(out.length)] = rng.chance(0.5) ? rng.int(256) : rng.pick(INTERESTING_U8);
      return out;
    },
  },
  {
    name: 'u32-overwrite',
    apply(b, l, rng) {
      if (b.length < 4) return null;
      const out = Buffer.from(b);
      const at = rng.chance(0.7) ? rng.int(b.length >> 2) << 2 : rng.int(b.length - 3);
      writeU32(out, at, rng.pick(INTERESTING_U32), l.littleEndian);
      return out;
    },
  },
  {
    name: 'truncate',
    apply(b, l, rng) {
      if (b.length === 0) return null;
      // Near a unit boundary half the time: that is where readers change state.
      if (l.units.length > 0 && rng.chance(0.5)) {
        const u = rng.pick(l.units);
        const at = u.offset + rng.pick([0, 1, 4, 8, 11, 12, 15, 16, 20, u.length - 4, u.length - 1]);
        return b.subarray(0, Math.max(0, Math.min(b.length - 1, at)));
      }
      return b.subarray(0, rng.int(b.length));
    },
  },
  {
    name: 'length-lie',
    apply(b, l, rng) {
      const u = l.units.length > 0 ? rng.pick(l.units) : null;
      if (u === null) return null;
      const out = Buffer.from(b);
      if (l.format === 'pcap') {
        // caplen, or the original length.
        const field = rng.chance(0.8) ? 8 : 12;
        writeU32(out, u.offset + field, lyingLength(rng, readU32(b, u.offset + field, u.littleEndian)), u.littleEndian);
        return out;
      }
      const which = rng.int(3);
      if (which === 0) writeU32(out, u.offset + 4, lyingLength(rng, u.length), u.littleEndian);
      else if (which === 1) writeU32(out, u.offset + u.length - 4, lyingLength(rng, u.length), u.littleEndian);
      else if (u.type === EPB || u.type === PB) writeU32(out, u.offset + 20, lyingLength(rng, readU32(b, u.offset + 20, u.littleEndian)), u.littleEndian);
      else if (u.type === SPB) writeU32(out, u.offset + 8, lyingLength(rng, readU32(b, u.offset + 8, u.littleEndian)), u.littleEndian);
      else writeU32(out, u.offset + 4, lyingLength(rng, u.length), u.littleEndian);
      return out;
    },
  },
  {
    name: 'duplicate-unit',
    apply(b, l, rng) {
      if (l.units.length === 0) return null;
      const order = [...l.units];
      const i = rng.int(order.length);
      const copies = 1 + rng.small(4);
      order.splice(rng.chance(0.5) ? i + 1 : rng.int(order.length + 1), 0, ...Array<Unit>(copies).fill(order[i]));
      return spliceUnits(b, l, order);
    },
  },
  {
    name: 'swap-units',
    apply(b, l, rng) {
      if (l.units.length < 2) return null;
      const order = [...l.units];
      const i = rng.int(order.length);
      const j = rng.chance(0.5) ? Math.min(order.length - 1, i + 1) : rng.int(order.length);
      [order[i], order[j]] = [order[j], order[i]];
      return spliceUnits(b, l, order);
    },
  },
  {
    name: 'delete-unit',
    apply(b, l, rng) {
      if (l.units.length === 0) return null;
      const order = [...l.units];
      order.splice(rng.int(order.length), 1 + rng.small(3));
      return spliceUnits(b, l, order);
    },
  },
  {
    name: 'interface-id',
    apply(b, l, rng) {
      const packets = units(l, (u) => u.type === EPB || u.type === PB);
      if (packets.length === 0) return null;
      const u = rng.pick(packets);
      const out = Buffer.from(b);
      const id = rng.pick([1, 2, 3, 7, 0xffff, 0x10000, 0xffffffff, rng.int(64)]);
      if (u.type === EPB) writeU32(out, u.offset + 8, id, u.littleEndian);
      else if (u.littleEndian) out.writeUInt16LE(id & 0xffff, u.offset + 8);
      else out.writeUInt16BE(id & 0xffff, u.offset + 8);
      return out;
    },
  },
  {
    name: 'drop-interfaces',
    apply(b, l, rng) {
      const idbs = units(l, (u) => u.type === IDB);
      if (idbs.length === 0) return null;
      const drop = rng.pick(idbs);
      return spliceUnits(b, l, l.units.filter((u) => u !== drop));
    },
  },
  {
    name: 'new-section',
    apply(b, l, rng) {
      // A second section header in the middle (other byte order sometimes) resets the interfaces.
      const shbs = units(l, (u) => u.type === SHB);
      if (shbs.length === 0 || l.units.length < 2) return null;
      const order = [...l.units];
      order.splice(1 + rng.int(order.length - 1), 0, rng.pick(shbs));
      return spliceUnits(b, l, order);
    },
  },
  {
    name: 'timestamps-backwards',
    apply(b, l, rng) {
      const packets = units(l, (u) => u.type === 0 || u.type === EPB || u.type === PB);
      if (packets.length === 0) return null;
      const out = Buffer.from(b);
      for (let n = 1 + rng.small(4); n > 0; n--) {
        const u = rng.pick(packets);
        const at = u.offset + (u.type === 0 ? 0 : 12);
        const v = readU32(b, at, u.littleEndian);
        writeU32(out, at, rng.chance(0.5) ? v - 1 - rng.small(100000) : rng.pick(INTERESTING_U32), u.littleEndian);
      }
      return out;
    },
  },
  {
    name: 'link-type',
    apply(b, l, rng) {
      const out = Buffer.from(b);
      const linkType = rng.pick([0, 1, 12, 14, 101, 108, 113, 228, 229, 242, 276, 147, 0xffff, rng.int(300)]);
      if (l.format === 'pcap' && b.length >= 24) writeU32(out, 20, linkType, l.littleEndian);
      else {
        const idbs = units(l, (u) => u.type === IDB);
        if (idbs.length === 0) return null;
        const u = rng.pick(idbs);
        if (u.littleEndian) out.writeUInt16LE(linkType & 0xffff, u.offset + 8);
        else out.writeUInt16BE(linkType & 0xffff, u.offset + 8);
      }
      return out;
    },
  },
  {
    name: 'snaplen',
    apply(b, l, rng) {
      // pcap: the snaplen raises the record size limit; pcapng: the IDB snaplen sizes SPB packets.
      const out = Buffer.from(b);
      const snaplen = rng.pick([0, 1, 14, 64, 65535, 262144, 0x1000000, 0x7fffffff, 0xffffffff]);
      if (l.format === 'pcap' && b.length >= 24) writeU32(out, 16, snaplen, l.littleEndian);
      else {
        const idbs = units(l, (u) => u.type === IDB && u.length >= 20);
        if (idbs.length === 0) return null;
        const u = rng.pick(idbs);
        writeU32(out, u.offset + 12, snaplen, u.littleEndian);
      }
      return out;
    },
  },
  {
    name: 'insert-garbage',
    apply(b, l, rng) {
      const garbage = Buffer.alloc(1 + rng.small(64));
      for (let i = 0; i < garbage.length; i++) garbage[i] = rng.chance(0.3) ? 0 : rng.int(256);
      const at = l.units.length > 0 && rng.chance(0.6) ? rng.pick(l.units).offset : rng.int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), garbage, b.subarray(at)]);
    },
  },
  {
    name: 'unknown-block',
    apply(b, l, rng) {
      if (l.format !== 'pcapng' || l.units.length === 0) return null;
      const body = Buffer.alloc(rng.small(32) * 4, rng.int(256));
      const le = l.littleEndian;
      const total = 12 + body.length;
      const type = rng.pick([0x5, 0x9, 0xbad, 0x204, 0x80000001, rng.int(0x7fffffff), SPB, IDB]);
      const block = Buffer.alloc(total);
      writeU32(block, 0, type, le);
      writeU32(block, 4, total, le);
      body.copy(block, 8);
      writeU32(block, total - 4, total, le);
      const at = rng.pick(l.units).offset;
      return Buffer.concat([b.subarray(0, at), block, b.subarray(at)]);
    },
  },
  {
    name: 'zero-length-packet',
    apply(b, l, rng) {
      if (l.format !== 'pcap' || l.units.length === 0) return null;
      const u = rng.pick(l.units);
      const record = Buffer.from(b.subarray(u.offset, u.offset + 16));
      writeU32(record, 8, 0, u.littleEndian);
      return Buffer.concat([b.subarray(0, u.offset), record, b.subarray(u.offset)]);
    },
  },
];

const BY_NAME = new Map(MUTATIONS.map((m) => [m.name, m]));

export interface Mutated {
  bytes: Buffer;
  /** The mutations applied, in order (with gzip wrapping), for the failure note. */
  steps: string[];
  /** Size of the capture before any gzip layer (what the reader will go through). */
  captureBytes: number;
}

/** 1 to `maxSteps` mutations of `capture`; gzipped afterwards when `gzip` (and sometimes when not),
 * and the gzip layer itself is damaged now and then. */
export function mutate(capture: Buffer, rng: Rng, opts: { gzip?: boolean; maxSteps?: number; only?: string[] } = {}): Mutated {
  const pool = opts.only ? opts.only.map((n) => BY_NAME.get(n)).filter((m): m is Mutation => m !== undefined) : MUTATIONS;
  let bytes = capture;
  const steps: string[] = [];
  const count = 1 + rng.small(opts.maxSteps ?? 4);
  for (let tries = 0; steps.length < count && tries < 4 * count; tries++) {
    const m = rng.pick(pool);
    const out = bytes.length > 0 ? m.apply(bytes, layout(bytes), rng) : null;
    if (out === null) continue;
    bytes = out;
    steps.push(m.name);
  }
  const captureBytes = bytes.length;
  if (opts.only === undefined && (opts.gzip || rng.chance(0.03))) {
    bytes = gzipSync(bytes, { level: 1 });
    steps.push('gzip');
    if (rng.chance(0.3)) {
      const damaged = Buffer.from(bytes);
      if (rng.chance(0.5)) damaged[10 + rng.int(Math.max(1, damaged.length - 10))] ^= 1 << rng.int(8);
      bytes = rng.chance(0.5) ? damaged : damaged.subarray(0, rng.int(damaged.length));
      steps.push('gzip-damage');
    }
  }
  return { bytes, steps, captureBytes };
}

/** The capture a file holds, ready for structural mutation. */
export function innerCapture(file: Buffer): { capture: Buffer; gzip: boolean } {
  if (file.length >= 2 && file[0] === 0x1f && file[1] === 0x8b) {
    try {
      return { capture: gunzipSync(file), gzip: true };
    } catch {
      return { capture: file, gzip: false };
    }
  }
  return { capture: file, gzip: false };
}
