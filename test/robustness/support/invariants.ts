/** What must hold for every input, however broken. Returns the violations as sentences (no jest
 * here: the fuzzer uses it too); an empty list means the outcome is acceptable. */
import type { Analysis } from '../../../src/analyze';
import { CAPTURE_ERROR_CODES, crashSignature, type Outcome } from './outcome';
import { connectionJson } from '../../../src/tcp/connection-record';

export const TCP_STATES: ReadonlySet<string> = new Set([
  'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED', 'RESET',
]);

const ISSUE_CODES: ReadonlySet<string> = new Set([
  'truncated-record', 'truncated-file', 'oversized-record', 'bad-block-length', 'unknown-interface',
  'unsupported-block', 'garbage-after-end', 'gzip-error', 'read-error',
]);

/** A generous bound on time, linear in the bytes read: 2 s, plus 20 µs a byte (both passes). The
 * real checks of linear growth are in resources.test.ts; this catches an input that is pathological. */
const FIXED_MS = 2000;
const MS_PER_BYTE = 0.02;

/** Smallest record that can carry a packet: a pcap record header, or an SPB (both 16 bytes). */
const MIN_RECORD_BYTES = 16;

export function violations(outcome: Outcome): string[] {
  switch (outcome.kind) {
    case 'hang': return [`no result after ${Math.round(outcome.ms)} ms`];
    case 'crash': return [`exception escaped: ${crashSignature(outcome.error)}`];
    case 'capture-error': {
      const e = outcome.error;
      const out: string[] = [];
      if (!CAPTURE_ERROR_CODES.has(e.code)) out.push(`CaptureError with unknown code ${String(e.code)}`);
      if (typeof e.message !== 'string' || e.message.length === 0 || /[\r\n]/.test(e.message)) out.push(`CaptureError message is not one line: ${JSON.stringify(e.message)}`);
      if (!Number.isInteger(e.offset) || e.offset < 0) out.push(`CaptureError offset ${e.offset}`);
      return out;
    }
    case 'ok': return [...analysisViolations(outcome.analysis), ...frameViolations(outcome.frames, outcome.analysis), ...timeViolations(outcome.ms, outcome.analysis)];
  }
}

function analysisViolations(a: Analysis): string[] {
  const out: string[] = [];
  const check = (ok: boolean, what: () => string): void => {
    if (!ok) out.push(what());
  };
  const skipped = Object.values(a.skipped).reduce<number>((n, c) => n + (c ?? 0), 0);
  check(a.packets === a.tcpPackets + skipped, () => `packets ${a.packets} != tcpPackets ${a.tcpPackets} + skipped ${skipped} (${JSON.stringify(a.skipped)})`);
  for (const [reason, n] of Object.entries(a.skipped)) check(Number.isInteger(n) && (n ?? 0) > 0, () => `skipped[${reason}] = ${n}`);
  check(a.packets <= Math.floor(a.bytes / MIN_RECORD_BYTES), () => `${a.packets} packets from ${a.bytes} bytes`);
  check(a.damaged === (a.issues.length > 0), () => `damaged ${a.damaged} with ${a.issues.length} issues`);
  check((a.firstTs === null) === (a.packets === 0) && (a.lastTs === null) === (a.packets === 0), () => `firstTs/lastTs ${a.firstTs}/${a.lastTs} for ${a.packets} packets`);
  if (a.firstTs !== null && a.lastTs !== null) {
    check(Number.isFinite(a.firstTs) && Number.isFinite(a.lastTs) && a.firstTs <= a.lastTs, () => `firstTs ${a.firstTs} > lastTs ${a.lastTs}`);
  }
  for (const issue of a.issues) {
    check(ISSUE_CODES.has(issue.code), () => `issue with unknown code ${issue.code}`);
    check(typeof issue.message === 'string' && issue.message.length > 0 && !/[\r\n]/.test(issue.message), () => `issue message not one line: ${JSON.stringify(issue.message)}`);
    check(Number.isInteger(issue.offset) && issue.offset >= 0 && issue.offset <= a.bytes, () => `issue offset ${issue.offset} outside 0..${a.bytes}: ${issue.message}`);
    check(issue.frame === undefined || (Number.isInteger(issue.frame) && issue.frame >= 1), () => `issue frame ${issue.frame}`);
  }

  let attributed = 0;
  a.connections.forEach((c, i) => {
    const name = `connection ${i}`;
    check(c.id === i, () => `${name} has id ${c.id}`);
    check(c.previousId === null || (c.previousId >= 0 && c.previousId < i), () => `${name} previousId ${c.previousId}`);
    const packets = c.side(0).packets + c.side(1).packets;
    attributed += packets;
    check(packets >= 1, () => `${name} has no packets`);
    check(Number.isFinite(c.start) && c.start <= c.end, () => `${name} start ${c.start} > end ${c.end}`);
    check(c.firstFrame >= 1 && c.firstFrame <= c.lastFrame, () => `${name} frames ${c.firstFrame}..${c.lastFrame}`);
    // Each packet logs a handful of events at most: the log is linear in the packets.
    const view = connectionJson(c);
    const events = view.events;
    check(events.length <= 8 * packets, () => `${name}: ${events.length} events for ${packets} packets`);
    let lastFrame = 0;
    for (const e of events) {
      check(e.frame >= c.firstFrame && e.frame <= c.lastFrame && e.frame >= lastFrame, () => `${name}: event ${e.type} at frame ${e.frame} outside or out of order`);
      check(e.at >= c.start && e.at <= c.end, () => `${name}: event ${e.type} at ${e.at} outside ${c.start}..${c.end}`);
      lastFrame = e.frame;
    }
    ([0, 1] as const).forEach((s) => {
      const side = c.side(s);
      const timeline = view.states[s === c.clientSide ? 'client' : 'server'];
      check(timeline.length <= 6 * packets, () => `${name} side ${s}: ${timeline.length} state changes`);
      let previous = 0;
      for (const change of timeline) {
        check(TCP_STATES.has(change.state), () => `${name} side ${s}: state ${change.state} is not an RFC 793 state`);
        check(change.at >= c.start, () => `${name} side ${s}: ${change.state} at ${change.at}, before the connection start ${c.start}`);
        check(change.at <= c.end, () => `${name} side ${s}: ${change.state} at ${change.at}, after the connection end ${c.end}`);
        check(change.frame >= c.firstFrame && change.frame <= c.lastFrame && change.frame >= previous,
          () => `${name} side ${s}: ${change.state} at frame ${change.frame}, outside ${c.firstFrame}..${c.lastFrame} or out of order`);
        previous = change.frame;
      }
      check(side.state === (timeline.at(-1)?.state ?? null), () => `${name} side ${s}: state ${side.state} is not the last of its timeline`);
    });
  });
  check(attributed === a.tcpPackets, () => `connections hold ${attributed} packets, tcpPackets is ${a.tcpPackets}`);
  return out;
}

/** pcap frames are 1..n; pcapng may skip numbers (blocks Wireshark shows as frames but we skip). */
function frameViolations(frames: number[] | null, a: Analysis): string[] {
  const out: string[] = [];
  if (frames === null) return out;
  const gapless = a.info.format !== 'pcapng';
  if (frames.length !== a.packets) out.push(`readCapture delivered ${frames.length} records, analyzeCapture counted ${a.packets}`);
  for (let i = 0; i < frames.length; i++) {
    const ok = gapless ? frames[i] === i + 1 : frames[i] > (i === 0 ? 0 : frames[i - 1]);
    if (!ok) {
      out.push(`frame ${frames[i]} at record ${i + 1}${gapless ? ' (pcap frames are 1..n)' : ' (not increasing)'}`);
      break;
    }
  }
  const maxFrame = frames.length > 0 ? frames[frames.length - 1] : 0;
  for (const c of a.connections) {
    if (c.lastFrame > maxFrame) {
      out.push(`connection ${c.id} ends at frame ${c.lastFrame}, past the last frame ${maxFrame}`);
      break;
    }
  }
  return out;
}

function timeViolations(ms: number, a: Analysis): string[] {
  const limit = FIXED_MS + a.bytes * MS_PER_BYTE;
  return ms > limit ? [`took ${Math.round(ms)} ms for ${a.bytes} bytes (limit ${Math.round(limit)} ms)`] : [];
}
