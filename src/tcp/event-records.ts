import type { ConnEvent, ConnEventType, Role, RstSeqFit } from './events';
import { grown, RecordChains } from './record-chains';

const EVENT_TYPES: readonly ConnEventType[] = [
  'syn', 'syn-retransmit', 'syn-ack', 'syn-ack-retransmit', 'challenge-ack', 'handshake-complete', 'first-data',
  'last-data', 'fin', 'fin-retransmit', 'fin-ack', 'rst', 'zero-window', 'window-reopen',
];
const TYPE_CODE = new Map(EVENT_TYPES.map((type, code) => [type, code]));
const FIN = TYPE_CODE.get('fin');
const RST = TYPE_CODE.get('rst');
const RST_FITS: readonly RstSeqFit[] = ['exact', 'in-window', 'out-of-window', 'unknown'];
const FIT_CODE = new Map(RST_FITS.map((fit, code) => [fit, code]));
const RST_WITH_ACK = 0x80;

/** The events of every connection being replayed (see ConnEvent), by side (0/1) rather than role: a role
 * flip then changes nothing logged. Made into ConnEvent objects only for the report view. */
export class EventRecords extends RecordChains {
  private type: Uint8Array;
  private side: Uint8Array;
  /** RST only: RST_WITH_ACK | the code of its rst_seq_fit. */
  private rst: Uint8Array;
  private at: Float64Array;
  private frame: Uint32Array;
  private seq: Uint32Array;
  private ack: Uint32Array;
  private len: Uint32Array;
  /** FIN and RST only: idle_s. */
  private idle: Float64Array;

  constructor(capacity = 1024) {
    super(capacity);
    this.type = new Uint8Array(capacity);
    this.side = new Uint8Array(capacity);
    this.rst = new Uint8Array(capacity);
    this.at = new Float64Array(capacity);
    this.frame = new Uint32Array(capacity);
    this.seq = new Uint32Array(capacity);
    this.ack = new Uint32Array(capacity);
    this.len = new Uint32Array(capacity);
    this.idle = new Float64Array(capacity);
  }

  /** Logs an event after `tail` (-1: the connection's first); returns its index. */
  append(tail: number, type: ConnEventType, side: 0 | 1, at: number, frame: number, seq: number, ack: number, len: number): number {
    const i = this.appendAfter(tail);
    this.type[i] = TYPE_CODE.get(type) ?? 0;
    this.side[i] = side;
    this.at[i] = at;
    this.frame[i] = frame;
    this.seq[i] = seq;
    this.ack[i] = ack;
    this.len[i] = len;
    return i;
  }

  /** Sets what only a FIN or RST carries on event `i`. */
  setClose(i: number, idleS: number, rstWithAck = false, rstSeqFit: RstSeqFit = 'unknown'): void {
    this.idle[i] = idleS;
    this.rst[i] = (rstWithAck ? RST_WITH_ACK : 0) | (FIT_CODE.get(rstSeqFit) ?? 0);
  }

  frameOf(i: number): number {
    return this.frame[i];
  }

  /** Event `i` in the report's shape (field order included), `clientSide` naming the roles. */
  event(i: number, clientSide: 0 | 1): ConnEvent {
    const type = EVENT_TYPES[this.type[i]];
    const by: Role = this.side[i] === clientSide ? 'client' : 'server';
    const at = this.at[i];
    const frame = this.frame[i];
    const seq = this.seq[i];
    const ack = this.ack[i];
    const len = this.len[i];
    const code = this.type[i];
    if (code === FIN) return { type, by, at, frame, seq, ack, len, idle_s: this.idle[i] };
    if (code === RST) {
      const rst = this.rst[i];
      return {
        type, by, at, frame, seq, ack, len,
        rst_with_ack: (rst & RST_WITH_ACK) !== 0, rst_seq_fit: RST_FITS[rst & ~RST_WITH_ACK], idle_s: this.idle[i],
      };
    }
    return { type, by, at, frame, seq, ack, len };
  }

  protected resizeColumns(capacity: number): void {
    this.type = grown(this.type, capacity);
    this.side = grown(this.side, capacity);
    this.rst = grown(this.rst, capacity);
    this.at = grown(this.at, capacity);
    this.frame = grown(this.frame, capacity);
    this.seq = grown(this.seq, capacity);
    this.ack = grown(this.ack, capacity);
    this.len = grown(this.len, capacity);
    this.idle = grown(this.idle, capacity);
  }
}
