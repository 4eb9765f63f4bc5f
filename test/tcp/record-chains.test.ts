/** The typed-column logs of connections being replayed: chains stay whole while others are freed and their
 * records reused, and the columns grow without losing what they hold. */
import { EVENT_RECORD_BYTES, EventRecords, loggedEvent } from '../../src/tcp/event-records';
import type { ConnEvent } from '../../src/tcp/events';
import { Side, SideColumns } from '../../src/tcp/side';
import type { RecordChains, RecordMemory } from '../../src/tcp/record-chains';
import { STATE_RECORD_BYTES, stateChange, StateRecords } from '../../src/tcp/state-records';
import type { StateChange } from '../../src/tcp/tcp-state';

/** Record `i` copied out of its chain as a connection record carries it (see connection-record.ts), at
 * byte `at` of memory with something else before it, as in a record. */
function copied(records: RecordChains, i: number, recordBytes: number, at: number): RecordMemory {
  const memory = new ArrayBuffer(at + recordBytes);
  const m = { f64: new Float64Array(memory), u32: new Uint32Array(memory), u8: new Uint8Array(memory) };
  m.u8.fill(0xa5);
  records.copyRecord(i, m.u32, at >>> 2);
  return m;
}

function eventOf(records: EventRecords, i: number, clientSide: 0 | 1): ConnEvent {
  return loggedEvent(copied(records, i, EVENT_RECORD_BYTES, 24), 24, clientSide);
}

function changeOf(states: StateRecords, i: number): StateChange {
  // A change is copied where only 32-bit words are aligned.
  return stateChange(copied(states, i, STATE_RECORD_BYTES, 12), 12);
}

interface Chain { head: number; tail: number }

function framesOf(records: EventRecords, chain: Chain): number[] {
  const frames: number[] = [];
  for (let i = chain.head; i >= 0; i = records.nextOf(i)) frames.push(eventOf(records, i, 0).frame);
  return frames;
}

function append(records: EventRecords, chain: Chain, frame: number): void {
  chain.tail = records.append(chain.tail, 'fin-ack', 0, 1_700_000_000 + frame / 1000, frame, 2 ** 32 - frame, frame, 1);
  if (chain.head < 0) chain.head = chain.tail;
}

describe('record chains', () => {
  it('keeps interleaved chains apart through growth, frees and reuse', () => {
    const records = new EventRecords();
    const chains: Chain[] = Array.from({ length: 50 }, () => ({ head: -1, tail: -1 }));
    const expected: number[][] = chains.map(() => []);
    let frame = 1;
    // Round-robin appends: each chain's records are scattered over the columns, over many pages.
    for (let round = 0; round < 1500; round++) {
      chains.forEach((chain, c) => { append(records, chain, frame); expected[c].push(frame++); });
    }
    // Free every other chain, then let new chains take the freed records.
    for (let c = 0; c < chains.length; c += 2) {
      records.free(chains[c].head, chains[c].tail);
      chains[c] = { head: -1, tail: -1 };
      expected[c] = [];
    }
    for (let round = 0; round < 1700; round++) {
      chains.forEach((chain, c) => { append(records, chain, frame); expected[c].push(frame++); });
    }
    chains.forEach((chain, c) => expect(framesOf(records, chain)).toEqual(expected[c]));
  });

  it('keeps each record\'s fields apart from its neighbours\' and from the chain links, over many pages', () => {
    // Records lie side by side in one buffer a page (see RecordChains): a field written past its record
    // would change the next one's, or a link.
    const records = new EventRecords();
    const states = new StateRecords();
    const eventChains: Chain[] = [{ head: -1, tail: -1 }, { head: -1, tail: -1 }];
    const stateChains: Chain[] = [{ head: -1, tail: -1 }, { head: -1, tail: -1 }];
    const events: ConnEvent[][] = [[], []];
    const changes: StateChange[][] = [[], []];
    const stateNames = ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSE_WAIT', 'TIME_WAIT'] as const;
    for (let n = 0; n < 10_000; n++) {
      const c = n % 2;
      const at = 1_790_000_000 + n * 0.000_137 + (n % 7) * 1e-6;
      const frame = 2 ** 33 - n * 977;
      const type = n % 3 === 0 ? 'rst' : 'fin';
      const chain = eventChains[c];
      chain.tail = records.append(chain.tail, type, 1, at, frame, 2 ** 32 - 1 - n, n * 31, n % 1500);
      if (chain.head < 0) chain.head = chain.tail;
      records.setClose(chain.tail, n / 8, n % 2 === 0, 'out-of-window');
      const e: ConnEvent = { type, by: 'client', at, frame, seq: 2 ** 32 - 1 - n, ack: n * 31, len: n % 1500 };
      events[c].push(type === 'rst' ? { ...e, rst_with_ack: n % 2 === 0, rst_seq_fit: 'out-of-window', idle_s: n / 8 } : { ...e, rst_with_ack: undefined, rst_seq_fit: undefined, idle_s: n / 8 });
      const states_ = stateChains[c];
      const state = stateNames[n % stateNames.length];
      states_.tail = states.append(states_.tail, state, at, frame, n % 5 === 0);
      if (states_.head < 0) states_.head = states_.tail;
      changes[c].push({ state, at, frame, inferred: n % 5 === 0 ? true : undefined });
    }
    for (const c of [0, 1]) {
      const gotEvents: ConnEvent[] = [];
      for (let i = eventChains[c].head; i >= 0; i = records.nextOf(i)) gotEvents.push(eventOf(records, i, 1));
      expect(gotEvents).toStrictEqual(events[c]);
      const gotChanges: StateChange[] = [];
      for (let i = stateChains[c].head; i >= 0; i = states.nextOf(i)) gotChanges.push(changeOf(states, i));
      expect(gotChanges).toStrictEqual(changes[c]);
    }
  });

  it('gives each event back exactly, in the report shape and field order', () => {
    const records = new EventRecords();
    const fin = records.append(-1, 'fin', 1, 1_700_000_090.123456, 9, 4_294_967_295, 7, 0);
    records.setClose(fin, 89.5);
    const rst = records.append(fin, 'rst', 0, 1_700_000_091.5, 10, 2 ** 31, 0, 0);
    records.setClose(rst, 0.25, true, 'out-of-window');
    const syn = records.append(rst, 'syn', 0, 1_700_000_000, 1, 5, 0, 0);
    // Side 1 is the client here: roles come from the side when the event is read.
    expect(JSON.stringify(eventOf(records, fin, 1))).toBe(
      '{"type":"fin","by":"client","at":1700000090.123456,"frame":9,"seq":4294967295,"ack":7,"len":0,"idle_s":89.5}');
    expect(JSON.stringify(eventOf(records, rst, 1))).toBe(
      '{"type":"rst","by":"server","at":1700000091.5,"frame":10,"seq":2147483648,"ack":0,"len":0,"rst_with_ack":true,"rst_seq_fit":"out-of-window","idle_s":0.25}');
    expect(JSON.stringify(eventOf(records, syn, 0))).toBe('{"type":"syn","by":"client","at":1700000000,"frame":1,"seq":5,"ack":0,"len":0}');
    // Every event has every field, undefined where it does not apply: one shape for V8 (see eventOf).
    const keys = Object.keys(eventOf(records, rst, 1));
    expect(Object.keys(eventOf(records, fin, 1))).toEqual(keys);
    expect(Object.keys(eventOf(records, syn, 0))).toEqual(keys);
    expect(eventOf(records, syn, 0)).toStrictEqual({
      type: 'syn', by: 'client', at: 1_700_000_000, frame: 1, seq: 5, ack: 0, len: 0, rst_with_ack: undefined, rst_seq_fit: undefined, idle_s: undefined,
    });
  });

  it('marks inferred state changes and only those', () => {
    const states = new StateRecords();
    const a = states.append(-1, 'ESTABLISHED', 1.5, 3, true);
    const b = states.append(a, 'CLOSE_WAIT', 2.5, 4, false);
    expect(changeOf(states, a)).toStrictEqual({ state: 'ESTABLISHED', at: 1.5, frame: 3, inferred: true });
    expect(changeOf(states, b)).toStrictEqual({ state: 'CLOSE_WAIT', at: 2.5, frame: 4, inferred: undefined });
    // One shape, `inferred` left out of the JSON.
    expect(JSON.stringify(changeOf(states, b))).toBe('{"state":"CLOSE_WAIT","at":2.5,"frame":4}');
    expect(states.nextOf(a)).toBe(b);
    expect(states.nextOf(b)).toBe(-1);
  });

  it('keeps frame numbers past 2^32 (a merged set of rotated captures) exactly', () => {
    const frame = 2 ** 32 + 7;
    const records = new EventRecords();
    const data = records.append(-1, 'fin-ack', 0, 1.5, frame, 1, 2, 3);
    expect(eventOf(records, data, 0).frame).toBe(frame);
    const states = new StateRecords();
    expect(changeOf(states, states.append(-1, 'ESTABLISHED', 1.5, frame, false)).frame).toBe(frame);
    const columns = new SideColumns();
    const side = new Side(columns).moveTo(columns.take(80), '\x0a\x00\x00\x01');
    side.firstDataFrame = frame;
    side.lastDataFrame = frame + 1;
    side.packets = 2 ** 32 + 1;
    expect([side.firstDataFrame, side.lastDataFrame, side.packets]).toEqual([frame, frame + 1, 2 ** 32 + 1]);
  });

  it('keeps frame numbers up to 2^40 - 1 in records, and refuses a larger one rather than keep it wrong', () => {
    const records = new EventRecords();
    const states = new StateRecords();
    const last = 2 ** 40 - 1;
    expect(eventOf(records, records.append(-1, 'syn', 0, 1.5, last, 1, 2, 0), 0).frame).toBe(last);
    expect(changeOf(states, states.append(-1, 'SYN_SENT', 1.5, last, false)).frame).toBe(last);
    expect(() => records.append(-1, 'syn', 0, 1.5, 2 ** 40, 1, 2, 0)).toThrow(RangeError);
    expect(() => states.append(-1, 'SYN_SENT', 1.5, 2 ** 40, false)).toThrow(/beyond the 2\^40 frames/);
  });
});
