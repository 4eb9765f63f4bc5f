/** Scripted TCP connections for state-machine and detector tests:
 *
 *   const s = new TcpScript().handshake().data('client', 100).at(1).fin('client').ack('server')
 *     .at(91).fin('server').rst('client');
 *   const analysis = await analyzeScript(s);
 *
 * Sequence and acknowledgement numbers follow what each side sent, so only the interesting
 * part of a scenario is written. Times are seconds after `start`. */
import { Readable } from 'node:stream';
import { analyzeCapture, type Analysis } from '../../src/analyze';
import { writePcap, writePcapng, type WriteRecord } from './capture-writer';
import { LINKTYPE, tcpFrame, type TcpFrameSpec } from './packet-builder';

export type Role = 'client' | 'server';

interface Peer { addr: string; port: number; next: number; acked: number; window: number }

export interface ScriptOptions {
  client?: string;
  server?: string;
  /** Epoch seconds of time 0. */
  start?: number;
  clientIsn?: number;
  serverIsn?: number;
}

function parseEndpoint(text: string): { addr: string; port: number } {
  const i = text.lastIndexOf(':');
  return { addr: text.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(text.slice(i + 1)) };
}

export class TcpScript {
  readonly records: WriteRecord[] = [];
  private t = 0;
  private readonly start: number;
  private readonly peers: Record<Role, Peer>;

  constructor(opts: ScriptOptions = {}) {
    const c = parseEndpoint(opts.client ?? '10.0.0.1:40000');
    const s = parseEndpoint(opts.server ?? '10.0.0.2:80');
    this.start = opts.start ?? 1_700_000_000;
    this.peers = {
      client: { ...c, next: opts.clientIsn ?? 1000, acked: 0, window: 65535 },
      server: { ...s, next: opts.serverIsn ?? 5000, acked: 0, window: 65535 },
    };
  }

  /** Moves the clock to `t` seconds after start. */
  at(t: number): this {
    this.t = t;
    return this;
  }

  after(dt: number): this {
    this.t += dt;
    return this;
  }

  syn(by: Role = 'client'): this {
    return this.send(by, 'S', 0, { seqDelta: 1, noAck: true });
  }

  /** The same SYN again (same ISN). */
  synRetransmit(by: Role = 'client'): this {
    const p = this.peers[by];
    return this.emit(by, 'S', 0, p.next - 1, 0, true);
  }

  synAck(by: Role = 'server'): this {
    return this.send(by, 'SA', 0, { seqDelta: 1 });
  }

  handshake(): this {
    return this.syn().after(0.0001).synAck().after(0.0001).ack('client').after(0.0001);
  }

  /** A pure ACK of everything the peer sent. */
  ack(by: Role): this {
    return this.send(by, 'A', 0);
  }

  data(by: Role, bytes: number): this {
    return this.send(by, 'PA', bytes, { seqDelta: bytes });
  }

  /** Payload and a FIN in one segment. */
  dataFin(by: Role, bytes: number): this {
    return this.send(by, 'FPA', bytes, { seqDelta: bytes + 1 });
  }

  /** `ack` overrides the acknowledgement number (a FIN sent before the peer's FIN arrived). */
  fin(by: Role, opts: { ack?: number } = {}): this {
    if (opts.ack === undefined) return this.send(by, 'FA', 0, { seqDelta: 1 });
    const p = this.peers[by];
    p.next = (p.next + 1) >>> 0;
    return this.emit(by, 'FA', 0, p.next - 1, opts.ack);
  }

  /** The next sequence number `by` will send (for hand-made acknowledgement numbers). */
  nextSeq(by: Role): number {
    return this.peers[by].next;
  }

  /** The last FIN of `by` again. */
  finRetransmit(by: Role): this {
    const p = this.peers[by];
    return this.emit(by, 'FA', 0, p.next - 1, this.peers[other(by)].next);
  }

  rst(by: Role, opts: { ack?: boolean; seq?: number } = {}): this {
    const p = this.peers[by];
    return this.emit(by, opts.ack === false ? 'R' : 'RA', 0, opts.seq ?? p.next, this.peers[other(by)].next, opts.ack === false);
  }

  /** Advertise a window (0 = stop reading) with a pure ACK. */
  window(by: Role, window: number): this {
    this.peers[by].window = window;
    return this.ack(by);
  }

  /** An ACK that does not acknowledge the peer's last segment (e.g. a challenge ACK from old state). */
  rawAck(by: Role, ack: number): this {
    return this.emit(by, 'A', 0, this.peers[by].next, ack);
  }

  private send(by: Role, flags: string, len: number, opts: { seqDelta?: number; noAck?: boolean } = {}): this {
    const p = this.peers[by];
    const seq = p.next;
    p.next = (p.next + (opts.seqDelta ?? 0)) >>> 0;
    return this.emit(by, flags, len, seq, this.peers[other(by)].next, opts.noAck);
  }

  private emit(by: Role, flags: string, len: number, seq: number, ack: number, noAck = false): this {
    const p = this.peers[by];
    const q = this.peers[other(by)];
    const spec: TcpFrameSpec = {
      src: p.addr, dst: q.addr, sport: p.port, dport: q.port, seq, ack: noAck ? 0 : ack, flags, window: p.window, payload: len,
    };
    this.records.push({ ts: this.start + this.t, data: tcpFrame(spec), linkType: LINKTYPE.ether });
    return this;
  }
}

function other(role: Role): Role {
  return role === 'client' ? 'server' : 'client';
}

/** Several scripts interleaved by time, as one capture. */
export function mergeScripts(...scripts: TcpScript[]): WriteRecord[] {
  return scripts.flatMap((s) => s.records).sort((a, b) => a.ts - b.ts);
}

export async function analyzeRecords(records: WriteRecord[], format: 'pcap' | 'pcapng' = 'pcap'): Promise<Analysis> {
  const bytes = format === 'pcap' ? writePcap(records) : writePcapng({ blocks: records });
  return analyzeCapture(Readable.from([bytes]));
}

export function analyzeScript(...scripts: TcpScript[]): Promise<Analysis> {
  return analyzeRecords(mergeScripts(...scripts));
}
