/** Listener timelines: what each connection was doing, how many at once, and the SVG. */
import { concurrencyColumns, connActivity, listenersByConcern, type Interval } from '../../src/report/html/listener-activity';
import { listenersSection } from '../../src/report/html/listeners-section';
import { listenerTimeline, MAX_LANES } from '../../src/report/html/timeline-svg';
import type { Report } from '../../src/report/report-model';
import { reportOf } from '../support/detect-helper';
import { incidentScripts } from '../support/incident-script';
import { TcpScript } from '../support/tcp-script';

describe('listener timeline', () => {
  let report: Report;
  beforeAll(async () => {
    report = await reportOf(incidentScripts({ checks: 40 }));
  });

  const activity = (id: number) => {
    const conn = report.connections.facts[id];
    return connActivity(conn, report.thresholds.accept_delay_s, report.input.last_ts ?? 0);
  };
  const length = (iv: Interval | null): number => (iv ? iv[1] - iv[0] : 0);

  it('tells waiting in the accept queue, served and half-closed apart', () => {
    const keepAlive = activity(0);
    expect(keepAlive.waiting).toBeNull();
    expect(length(keepAlive.served)).toBeCloseTo(90, 1);
    const checker = activity(1);
    expect(length(checker.waiting)).toBeCloseTo(89, 1);
    expect(length(checker.halfClosed)).toBeCloseTo(89, 1);
    expect(checker.served?.[0]).toBe(checker.waiting?.[1]);
    expect(length(checker.served)).toBeLessThan(0.001);
  });

  it('counts the most intervals open at once per column; one ending as another starts is not two', () => {
    expect(concurrencyColumns([[0, 10], [5, 15]], 0, 20, 4)).toEqual([1, 2, 1, 0]);
    expect(concurrencyColumns([[0, 5], [5, 10]], 0, 10, 2)).toEqual([1, 1]);
    expect(concurrencyColumns([], 0, 10, 3)).toEqual([0, 0, 0]);
    expect(concurrencyColumns([null, [0, 5], null], 0, 10, 2)).toEqual([1, 0]);
  });

  it('counts as a count at every moment would, on random intervals', () => {
    // Deterministic: a linear congruential generator. Times on a grid of quarters over [0, 8] and
    // columns a power of two, so that edges fall on column boundaries often, and exactly.
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const openAt = (intervals: ([number, number] | null)[], t: number): number => intervals.filter((iv) => iv !== null && iv[0] <= t && t < iv[1]).length;
    for (let round = 0; round < 200; round++) {
      const intervals: ([number, number] | null)[] = Array.from({ length: 1 + next(60) }, () => {
        if (next(5) === 0) return null;
        const a = next(32) / 4;
        return [a, a + next(16) / 4];
      });
      const columns = 2 ** next(6);
      const edges = intervals.flatMap((iv) => iv ?? []);
      // In a column: the count at its start and at each edge in it (the last column takes the edges after t1).
      const expected = Array.from({ length: columns }, (_, c) => {
        const from = (c * 8) / columns;
        const to = c === columns - 1 ? Infinity : ((c + 1) * 8) / columns;
        return Math.max(openAt(intervals, from), ...edges.filter((t) => t >= from && t < to).map((t) => openAt(intervals, t)));
      });
      expect(concurrencyColumns(intervals, 0, 8, columns)).toEqual(expected);
    }
  });

  it('puts listeners with incidents first; names those with too few connections to draw', async () => {
    const busy = Array.from({ length: 3 }, (_, i) => new TcpScript({ client: `10.0.0.1:${50000 + i}`, server: '10.0.0.9:80' })
      .handshake().fin('client').fin('server').ack('client'));
    const lone = new TcpScript({ server: '10.0.0.8:22' }).handshake().fin('client').fin('server').ack('client');
    const mixed = await reportOf([...incidentScripts({ checks: 2 }), ...busy, lone]);
    expect(listenersByConcern(mixed).map((l) => l.endpoint)).toEqual(['192.0.2.10:8080', '10.0.0.9:80', '10.0.0.8:22']);
    const section = listenersSection(mixed).text;
    expect(section.match(/<h3 class="mono">[^<]*<\/h3>/g)).toEqual(['<h3 class="mono">192.0.2.10:8080</h3>', '<h3 class="mono">10.0.0.9:80</h3>']);
    expect(section).toContain('Not drawn: 10.0.0.8:22 (1 connection); their connections are in the table below.');
  });

  it('draws a lane per connection and one strip per count, each on its own scale', () => {
    const listener = listenersByConcern(report)[0];
    const svg = listenerTimeline(listener, report).text;
    expect(svg.split('<g class="lane"').length - 1).toBe(41);
    expect(svg).toContain('served by the application at once (most: 1)');
    expect(svg).toContain('waiting in the accept queue at once (most: 40)');
    expect(svg).toContain('half-closed (CLOSE_WAIT) at once (most: 40)');
  });

  it('draws every k-th connection of a busy listener and says so', async () => {
    const many = Array.from({ length: MAX_LANES + 10 }, (_, i) => new TcpScript({ client: `10.0.0.1:${20000 + i}`, server: '10.0.0.9:80' })
      .at(i * 0.01).handshake().fin('client').fin('server').ack('client'));
    const busy = await reportOf(many);
    const svg = listenerTimeline(listenersByConcern(busy)[0], busy).text;
    expect(svg.split('<g class="lane"').length - 1).toBe(Math.ceil((MAX_LANES + 10) / 2));
    expect(svg).toContain(`Every 2nd of ${MAX_LANES + 10} connections is drawn; the counts below include all.`);
  });
});
