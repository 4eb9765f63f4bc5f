import fc from 'fast-check';
import type { Sample, Samples } from './ss-poller';
import type { SsSocket } from './ss-parse';
import { buildConnections, buildListeners } from './truth-build';

const S = '198.18.0.1:8881';
const C = '198.18.0.2:40000';

/** One host's snapshots, 0.25 s apart from t=100, each a list of [state, cookie] of the C–S socket. */
function snapshots(host: 'server' | 'client', seen: ([string, string] | null)[]): Sample[] {
  return seen.map((s, i): Sample => {
    const sockets: SsSocket[] = s === null ? [] : [{
      state: s[0], recvQ: 0, sendQ: 0, cookie: s[1], local: host === 'server' ? S : C, peer: host === 'server' ? C : S,
    }];
    return { at: 100 + i * 0.25, spread: 0.001, sockets };
  });
}

describe('buildConnections', () => {
  test('one connection seen from both hosts, its states as intervals', () => {
    const samples: Samples = {
      client: snapshots('client', [['ESTAB', 'a'], ['ESTAB', 'a'], ['FIN-WAIT-2', 'a'], null]),
      server: snapshots('server', [['ESTAB', 'b'], ['CLOSE-WAIT', 'b'], ['CLOSE-WAIT', 'b'], ['CLOSE-WAIT', 'b']]),
    };
    expect(buildConnections(samples, 0.25)).toEqual([{
      client: C, server: S,
      states: {
        client: [{ state: 'ESTAB', from: 100, to: 100.25 }, { state: 'FIN-WAIT-2', from: 100.5, to: 100.5 }],
        server: [{ state: 'ESTAB', from: 100, to: 100 }, { state: 'CLOSE-WAIT', from: 100.25, to: 100.75 }],
      },
    }]);
  });

  test('a TIME_WAIT reused by a new SYN is a second connection, though both only show TIME-WAIT', () => {
    const samples: Samples = {
      client: snapshots('client', [null, null, null]),
      server: snapshots('server', [['TIME-WAIT', 'a'], ['TIME-WAIT', 'b'], ['TIME-WAIT', 'b']]),
    };
    expect(buildConnections(samples, 0.25).map((c) => c.states.server)).toEqual([
      [{ state: 'TIME-WAIT', from: 100, to: 100 }],
      [{ state: 'TIME-WAIT', from: 100.25, to: 100.5 }],
    ]);
  });

  test('the handshake\'s request socket hands over to the accepted socket within one connection', () => {
    const samples: Samples = {
      client: snapshots('client', [['ESTAB', 'c'], ['ESTAB', 'c']]),
      server: snapshots('server', [['SYN-RECV', 'r'], ['ESTAB', 's']]),
    };
    expect(buildConnections(samples, 0.25)).toHaveLength(1);
  });

  test('property: every snapshot of one socket lands in exactly one interval, in order', () => {
    const states = fc.constantFrom('SYN-SENT', 'ESTAB', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSE-WAIT');
    fc.assert(fc.property(fc.array(fc.option(states, { nil: null }), { minLength: 1, maxLength: 30 }), (seen) => {
      fc.pre(seen.some((s) => s !== null));
      const client = snapshots('client', seen.map((s) => (s === null ? null : [s, 'k'])));
      const [conn, ...more] = buildConnections({ client, server: [] }, 0.25);
      expect(more).toHaveLength(0);
      const covered = conn.states.client.flatMap((iv) => client.filter((x) => x.at >= iv.from && x.at <= iv.to && x.sockets[0]?.state === iv.state));
      expect(covered).toHaveLength(seen.filter((s) => s !== null).length);
      conn.states.client.forEach((iv, i, all) => { if (i > 0) expect(iv.from).toBeGreaterThan(all[i - 1].to); });
    }));
  });
});

describe('buildListeners', () => {
  test('the accept queue at every snapshot, its peak and the backlog', () => {
    const at = (t: number, q: number): Sample => ({ at: t, spread: 0, sockets: [{ state: 'LISTEN', recvQ: q, sendQ: 2, local: S, peer: '0.0.0.0:*', cookie: 'l' }] });
    expect(buildListeners([at(1, 0), at(2, 3), at(3, 1)])).toEqual([{ address: S, backlog: 2, peak: 3, queue: [[1, 0], [2, 3], [3, 1]] }]);
  });
});
