/** Reads a capture file a second time for the packets of a few connections (the report keeps only
 * their teardown events), so their ladder diagrams can draw one arrow per packet. */
import { readCapture } from '../../capture/read-capture';
import type { CaptureRecord, CaptureSink } from '../../capture/record';
import { decodeRecord } from '../../decode/decode-packet';
import { newTcpPacket, TCP_ACK } from '../../decode/tcp-packet';
import { addressBytes, formatEndpoint } from '../../flow/endpoint-key';
import type { ConnectionJson } from '../report-model';
import { flagNames, type ConnectionPackets, type LadderPacket } from './ladder-packets';

/** Packets kept from each end of a connection; the middle of a long one is counted, not drawn. */
export const LADDER_HEAD = 60;
export const LADDER_TAIL = 60;

/** Thrown by the sink to stop reading once every wanted frame range is behind. */
class PastLastFrame extends Error {}

export async function readConnectionPackets(file: string, conns: readonly ConnectionJson[]): Promise<Map<number, ConnectionPackets>> {
  const out = new Map<number, ConnectionPackets>(conns.map((c) => [c.id, { source: 'capture', head: [], tail: [], total: 0 }]));
  const lastFrame = Math.max(0, ...conns.map((c) => c.last_frame));
  const pkt = newTcpPacket();
  const sink: CaptureSink = {
    record(rec: CaptureRecord): void {
      if (rec.frame > lastFrame) throw new PastLastFrame();
      const wanted = conns.filter((c) => rec.frame >= c.first_frame && rec.frame <= c.last_frame);
      if (wanted.length === 0 || decodeRecord(rec.linkType, rec.bytes, rec.start, rec.caplen, rec.origLen, pkt) !== null) return;
      const src = formatEndpoint(addressBytes(pkt.bytes, pkt.srcOffset, pkt.addrLen), pkt.srcPort);
      const dst = formatEndpoint(addressBytes(pkt.bytes, pkt.dstOffset, pkt.addrLen), pkt.dstPort);
      for (const c of wanted) {
        const from = src === c.client && dst === c.server ? 'client' : src === c.server && dst === c.client ? 'server' : null;
        if (from === null) continue;
        const packets = out.get(c.id);
        if (packets) keep(packets, {
          frame: rec.frame, at: rec.ts, from, label: flagNames(pkt.flags), seq: pkt.seq,
          ack: (pkt.flags & TCP_ACK) !== 0 ? pkt.ack : null, len: pkt.payloadLen, window: pkt.window,
        });
      }
    },
    // Damage was reported by the analysis already; the packets before it are still drawn.
    issue(): void {},
  };
  try {
    await readCapture(file, sink);
  } catch (err) {
    if (!(err instanceof PastLastFrame)) throw err;
  }
  return out;
}

function keep(packets: ConnectionPackets, p: LadderPacket): void {
  packets.total++;
  if (packets.head.length < LADDER_HEAD) packets.head.push(p);
  else {
    packets.tail.push(p);
    if (packets.tail.length > LADDER_TAIL) packets.tail.shift();
  }
}
