import { Readable } from 'node:stream';
import { gunzipChunks, inputChunks, type ByteCounter } from '../capture/input-chunks';
import type { CaptureFormat } from '../capture/record';

/** A file of a merged set, as the concatenation needs it. */
export interface SetMember {
  path: string;
  gzip: boolean;
  format: CaptureFormat;
  /** Decompressed size (from the probe): where the next member starts. */
  bytes: number;
}

// https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html#section-4: the file header.
const PCAP_FILE_HEADER_BYTES = 24;

/**
 * The members of a rotated set as one capture stream: pcapng sections simply follow each other
 * (a pcapng stream may hold many); pcap files of one format, byte order and link type become one
 * file by dropping every header but the first. gzip members are decompressed on the way.
 * `counter` counts the raw bytes read, for progress displays.
 */
export function concatenatedCapture(members: readonly SetMember[], counter: ByteCounter): NodeJS.ReadableStream {
  return Readable.from(memberChunks(members, counter), { objectMode: false });
}

/** Where `offset` of the concatenated stream lies: which member, and the offset inside that member. */
export function memberOffset(members: readonly SetMember[], offset: number): { member: SetMember; offset: number } {
  let start = 0;
  for (let i = 0; i < members.length; i++) {
    const dropped = droppedHead(members[i], i);
    const end = start + members[i].bytes - dropped;
    if (offset < end || i === members.length - 1) return { member: members[i], offset: offset - start + dropped };
    start = end;
  }
  throw new Error('a merged set has members');
}

async function* memberChunks(members: readonly SetMember[], counter: ByteCounter): AsyncGenerator<Buffer> {
  for (let i = 0; i < members.length; i++) {
    const raw = inputChunks(members[i].path, counter);
    let skip = droppedHead(members[i], i);
    for await (const chunk of members[i].gzip ? gunzipChunks(raw) : raw) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      yield skip > 0 ? chunk.subarray(skip) : chunk;
      skip = 0;
    }
  }
}

function droppedHead(member: SetMember, index: number): number {
  return index > 0 && member.format !== 'pcapng' ? PCAP_FILE_HEADER_BYTES : 0;
}
