/** Reads a capture file a second time for the packets of a few connections (the report keeps only
 * their teardown events), so their ladder diagrams can draw one arrow per packet. */
import { readCapture } from '../../capture/read-capture';
import type { CaptureRecord, CaptureSink } from '../../capture/record';
import { decodeRecord } from '../../decode/decode-packet';
import { newTcpPacket, TCP_ACK } from '../../decode/tcp-packet';
import { addressBytes, endpointPort, formatEndpoint } from '../../flow/endpoint-key';
import type { ConnectionJson } from '../report-model';
import { flagNames, type ConnectionPackets, type LadderPacket } from './ladder-packets';

/** Packets kept from each end of a connection; the middle of a long one is counted, not drawn. */
export const LADDER_HEAD = 60;
export const LADDER_TAIL = 60;

/** Thrown by the sink to stop reading once every wanted frame range is behind. */
class PastLastFrame extends Error {}

/** A connection whose packets are wanted, with its ports as numbers: most packets in its frame range are
 * other connections', and comparing ports first spares formatting their endpoints. */
interface Wanted {
  conn: ConnectionJson;
  clientPort: number;
  serverPort: number;
  packets: ConnectionPackets;
}

export async function readConnectionPackets(file: string, conns: readonly ConnectionJson[]): Promise<Map<number, ConnectionPackets>> {
  const out = new Map<number, ConnectionPackets>(conns.map((c) => [c.id, { source: 'capture', head: [], tail: [], total: 0 }]));
  const wanted: Wanted[] = conns.map((conn) => ({
    conn, clientPort: endpointPort(conn.client), serverPort: endpointPort(conn.server), packets: out.get(conn.id) as ConnectionPackets,
  }));
  const lastFrame = Math.max(0, ...conns.map((c) => c.last_frame));
  const pkt = newTcpPacket();
  const sink: CaptureSink = {
    record(rec: CaptureRecord): void {
      if (rec.frame > lastFrame) throw new PastLastFrame();
      // Decoded only once a wanted connection's frame range holds the record.
      let decoded = false;
      let src: string | null = null;
      let dst: string | null = null;
      for (const w of wanted) {
        const c = w.conn;
        if (rec.frame < c.first_frame || rec.frame > c.last_frame) continue;
        if (!decoded) {
          if (decodeRecord(rec.linkType, rec.bytes, rec.start, rec.caplen, rec.origLen, pkt) !== null) return;
          decoded = true;
        }
        if (!(pkt.srcPort === w.clientPort && pkt.dstPort === w.serverPort) && !(pkt.srcPort === w.serverPort && pkt.dstPort === w.clientPort)) continue;
        src ??= formatEndpoint(addressBytes(pkt.bytes, pkt.srcOffset, pkt.addrLen), pkt.srcPort);
        dst ??= formatEndpoint(addressBytes(pkt.bytes, pkt.dstOffset, pkt.addrLen), pkt.dstPort);
        const from = src === c.client && dst === c.server ? 'client' : src === c.server && dst === c.client ? 'server' : null;
        if (from === null) continue;
        keep(w.packets, {
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
