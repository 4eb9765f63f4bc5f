/** A capture whose connections cross the boundaries of a rotation: a late FIN answered by RST 90 s
 * after the first FIN, and short connections all along so every file has packets. */
import type { WriteRecord } from '../support/capture-writer';
import { mergeScripts, TcpScript } from '../support/tcp-script';

export const SPAN_S = 120;

export function rotatedTraffic(): WriteRecord[] {
  const server = '192.0.2.10:8080';
  const late = new TcpScript({ client: '192.0.2.20:50000', server }).handshake().data('client', 200).after(0.01).data('server', 500)
    .at(5).fin('client').ack('server').at(95).fin('server').after(0.0002).rst('client', { ack: false });
  const short = Array.from({ length: SPAN_S / 4 }, (_, i) => new TcpScript({ client: `192.0.2.30:${41000 + i}`, server }).at(1 + i * 4)
    .handshake().data('client', 100).after(0.003).data('server', 300).fin('client').after(0.0001).fin('server').ack('client'));
  return mergeScripts(late, ...short);
}

/** Splits records at the given capture times (seconds after the first record), as tcpdump -G would. */
export function splitAt(records: readonly WriteRecord[], cutsS: readonly number[]): WriteRecord[][] {
  const t0 = records[0].ts;
  const parts: WriteRecord[][] = cutsS.map(() => []);
  parts.push([]);
  for (const r of records) parts[cutsS.filter((c) => r.ts - t0 >= c).length].push(r);
  return parts;
}
