/** The state machine, one scenario per path: each side's RFC 793 states and the event log. */
import type { Analysis } from '../../src/analyze';
import type { Connection } from '../../src/tcp/connection';
import { connectionJson } from '../../src/tcp/connection-record';
import type { ConnEvent } from '../../src/tcp/events';
import type { StateChange } from '../../src/tcp/tcp-state';
import { analyzeRecords, mergeScripts, TcpScript } from '../support/tcp-script';

const CLIENT = 0 as const;
const SERVER = 1 as const;

/** Side `side`'s state changes (side 0 sent the first packet), from the connection's report view. */
function timeline(conn: Connection, side: 0 | 1): StateChange[] {
  return connectionJson(conn).states[side === conn.clientSide ? 'client' : 'server'];
}

function eventLog(conn: Connection): ConnEvent[] {
  return connectionJson(conn).events;
}

function states(conn: Connection, side: 0 | 1): string[] {
  return timeline(conn, side).map((c) => (c.inferred ? `(${c.state})` : c.state));
}

function events(conn: Connection): string[] {
  return eventLog(conn).map((e) => `${e.type}:${e.by === 'client' ? 'c' : 's'}@${e.frame}`);
}

function only(analysis: Analysis): Connection {
  expect(analysis.connections).toHaveLength(1);
  return analysis.connections[0];
}

/** Every scenario through both file formats the script writer knows: the same connections must come out. */
describe.each(['pcap', 'pcapng'] as const)('connection state machine (%s)', (format) => {
  const analyzeScript = (...scripts: TcpScript[]): Promise<Analysis> => analyzeRecords(mergeScripts(...scripts), format);

  it('normal close, client first', async () => {
    const conn = only(await analyzeScript(new TcpScript().handshake().data('client', 10).data('server', 20)
      .fin('client').ack('server').fin('server').ack('client')));
    expect(states(conn, CLIENT)).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    expect(states(conn, SERVER)).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    expect(events(conn)).toEqual([
      'syn:c@1', 'syn-ack:s@2', 'handshake-complete:c@3', 'first-data:c@4', 'last-data:c@4', 'first-data:s@5', 'last-data:s@5',
      'fin:c@6', 'fin-ack:s@7', 'fin:s@8', 'fin-ack:c@9',
    ]);
    expect(conn.partial).toBe(false);
  });

  it('logs a segment\'s first payload after its ACK events and before its FIN; its last payload after all', async () => {
    const conn = only(await analyzeScript(new TcpScript().handshake().fin('client').dataFin('server', 30).ack('client')));
    expect(events(conn)).toEqual([
      'syn:c@1', 'syn-ack:s@2', 'handshake-complete:c@3', 'fin:c@4',
      'fin-ack:s@5', 'first-data:s@5', 'fin:s@5', 'last-data:s@5', 'fin-ack:c@6',
    ]);
    expect(eventLog(conn).find((e) => e.type === 'first-data')).toMatchObject({ by: 'server', len: 30 });
  });

  it('server FIN that also acknowledges the client FIN', async () => {
    const conn = only(await analyzeScript(new TcpScript().handshake().fin('client').fin('server').ack('client')));
    expect(states(conn, CLIENT)).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    expect(states(conn, SERVER)).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });

  it('simultaneous close: both FINs cross, both sides go through CLOSING', async () => {
    const s = new TcpScript().handshake();
    const serverSawUpTo = s.nextSeq('client');
    s.fin('client').fin('server', { ack: serverSawUpTo }).ack('client').ack('server');
    const conn = only(await analyzeScript(s));
    expect(states(conn, CLIENT)).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    expect(states(conn, SERVER)).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
  });

  it('late FIN answered by RST: the first closer had forgotten the connection', async () => {
    const s = new TcpScript().handshake().fin('client').ack('server').at(91).fin('server');
    s.rst('client', { ack: false });
    const conn = only(await analyzeScript(s));
    expect(states(conn, CLIENT)).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'RESET']);
    expect(states(conn, SERVER)).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    const rst = eventLog(conn).find((e) => e.type === 'rst');
    expect(rst).toMatchObject({ by: 'client', frame: 7, rst_with_ack: false, rst_seq_fit: 'exact' });
    expect(timeline(conn, SERVER).find((c) => c.state === 'LAST_ACK')?.at).toBeCloseTo(1_700_000_091, 6);
  });

  it('connection refused: SYN answered by RST/ACK', async () => {
    const conn = only(await analyzeScript(new TcpScript().syn().after(0.0001).rst('server')));
    expect(states(conn, CLIENT)).toEqual(['SYN_SENT', 'CLOSED']);
    expect(states(conn, SERVER)).toEqual(['RESET']);
    expect(eventLog(conn).find((e) => e.type === 'rst')).toMatchObject({ rst_with_ack: true, rst_seq_fit: 'exact' });
  });

  it('a RST whose seq is outside the window does not close the receiver', async () => {
    const conn = only(await analyzeScript(new TcpScript().handshake().rst('server', { seq: 123 })));
    expect(eventLog(conn).find((e) => e.type === 'rst')).toMatchObject({ rst_seq_fit: 'out-of-window' });
    expect(conn.side(CLIENT).state).toBe('ESTABLISHED');
    expect(conn.side(SERVER).state).toBe('RESET');
  });

  it('capture starting mid-connection: partial, both sides inferred ESTABLISHED', async () => {
    const s = new TcpScript().handshake();
    s.records.length = 0;
    s.data('server', 100).ack('client').fin('server').fin('client').ack('server');
    const conn = only(await analyzeScript(s));
    expect(conn.partial).toBe(true);
    expect(states(conn, 0)).toEqual(['(ESTABLISHED)', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    expect(states(conn, 1)).toEqual(['(ESTABLISHED)', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });

  it('retransmitted SYN and FIN, and a zero window episode, are logged once each', async () => {
    const s = new TcpScript().syn().at(1).synRetransmit().at(1.0001).synAck().ack('client')
      .window('server', 0).window('server', 0).window('server', 8192)
      .fin('client').at(1.3).finRetransmit('client').ack('server');
    const conn = only(await analyzeScript(s));
    expect(events(conn)).toEqual([
      'syn:c@1', 'syn-retransmit:c@2', 'syn-ack:s@3', 'handshake-complete:c@4', 'zero-window:s@5',
      'window-reopen:s@7', 'fin:c@8', 'fin-retransmit:c@9', 'fin-ack:s@10',
    ]);
  });

  it('a SYN on a 4-tuple whose connection saw a FIN starts a new incarnation; a bare ACK answering it is a challenge ACK', async () => {
    const s = new TcpScript({ clientIsn: 1000 }).handshake().fin('client').ack('server');
    const oldClientNext = s.nextSeq('client');
    const retry = new TcpScript({ clientIsn: 900_000, start: 1_700_000_010 }).syn().after(0.0001);
    retry.rawAck('server', oldClientNext).after(0.0001).rst('client', { ack: false, seq: oldClientNext });
    const analysis = await analyzeScript(s, retry);
    expect(analysis.connections.map((c) => [c.id, c.previousId])).toEqual([[0, null], [1, 0]]);
    const second = analysis.connections[1];
    expect(events(second)).toEqual(['syn:c@6', 'challenge-ack:s@7', 'rst:c@8']);
    expect(analysis.connections[0].side(SERVER).state).toBe('CLOSE_WAIT');
  });

  it('a retransmitted SYN (same ISN) stays in its connection; a new ISN starts another', async () => {
    const a = new TcpScript({ clientIsn: 1 }).syn().at(1).synRetransmit();
    const b = new TcpScript({ clientIsn: 77, start: 1_700_000_003 }).syn();
    const analysis = await analyzeScript(a, b);
    expect(analysis.connections.map((c) => c.side(CLIENT).packets)).toEqual([2, 1]);
  });
});
