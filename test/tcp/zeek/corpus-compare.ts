import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPECTED_DIR, ORACLE_DIR } from '../../support/corpus';
import { readFlagsTsv, readHistoryConnState, readZeekLog } from '../../support/oracle';
import { zeekConnections, type OurConn } from './corpus-harness';

/** One Zeek row checked against ours: which compared fields differ. */
export interface RowResult {
  /** `<expected file>#<row index>` */
  id: string;
  /** Fields compared (unset '-' values are skipped). */
  compared: string[];
  /** `field: zeek X, ours Y` for each difference. */
  diffs: string[];
  /** The row's history has W/w, which flags.tsv (no window field) cannot reproduce. */
  needsWindow: boolean;
}

/** Expected files compared with the tracker, by suffix after `<capture>.` */
const KINDS = [
  'zeek-conn.log', 'zeek-conn-subset.log', 'zeek-conn-historyflip.log', 'zeek-conn-limited.log',
  'zeek-history-connstate.txt',
];

/** Per-file departures from the plain run, each with its reason. */
const OPTIONS: Readonly<Record<string, { flags?: string; timers?: boolean; payloadCut?: boolean }>> = {
  // tshark 4.0 only dissects the Teredo-tunnelled TCP with its heuristic switched on.
  'zeek__tunnels__Teredo.pcap.zeek-conn.log': { flags: 'zeek__tunnels__Teredo.pcap.flags-teredo-heuristic.tsv' },
  // core.expire-all-timers floods Zeek's timer queue so the inactivity timeout never fires in this run.
  'zeek__tcp__retransmit-timeout.pcapng.zeek-conn-limited.log': { timers: false },
  // Every data frame of this pcap is cut short (incl_len < orig_len), so Zeek reassembles none of it.
  'zeek__tcp__retransmit-fast009.pcap.zeek-conn.log': { payloadCut: true },
};

const FIELDS: ReadonlyArray<[zeek: string, ours: (c: OurConn) => string]> = [
  ['id.orig_h', (c) => c.origH],
  ['id.orig_p', (c) => String(c.origP)],
  ['id.resp_h', (c) => c.respH],
  ['id.resp_p', (c) => String(c.respP)],
  ['history', (c) => c.history],
  ['conn_state', (c) => c.connState],
  ['orig_bytes', (c) => String(c.origBytes)],
  ['resp_bytes', (c) => String(c.respBytes)],
  ['orig_pkts', (c) => String(c.origPkts)],
  ['resp_pkts', (c) => String(c.respPkts)],
];

export function expectedFiles(): string[] {
  return readdirSync(EXPECTED_DIR)
    .filter((f) => f.startsWith('zeek__') && KINDS.some((k) => f.endsWith(`.${k}`)))
    .sort();
}

function captureOf(file: string): string {
  const kind = KINDS.find((k) => file.endsWith(`.${k}`));
  return file.slice(0, file.length - (kind?.length ?? 0) - 1);
}

function unorderedKey(h1: string, p1: string, h2: string, p2: string): string {
  const a = `${h1}|${p1}`;
  const b = `${h2}|${p2}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function compareRow(id: string, want: Record<string, string>, ours: OurConn | undefined): RowResult {
  const compared: string[] = [];
  const diffs: string[] = [];
  for (const [field, get] of FIELDS) {
    const w = want[field];
    if (w === undefined || w === '-') continue;
    compared.push(field);
    const got = ours ? get(ours) : '(no connection)';
    if (got !== w) diffs.push(`${field}: zeek ${w}, ours ${got}`);
  }
  const needsWindow = /[Ww]/.test(want.history ?? '');
  return { id, compared, diffs, needsWindow };
}

/** Runs the tracker over one capture's frames and checks every TCP row of one Zeek output file. */
export function compareFile(file: string): RowResult[] {
  const capture = captureOf(file);
  const opts = OPTIONS[file] ?? {};
  const flagsFile = join(ORACLE_DIR, opts.flags ?? `${capture}.flags.tsv`);
  if (!existsSync(flagsFile)) throw new Error(`no oracle for ${capture}`);
  const ours = zeekConnections(readFlagsTsv(flagsFile), { timers: opts.timers ?? true, payloadCut: opts.payloadCut });

  if (file.endsWith('.zeek-history-connstate.txt')) {
    return readHistoryConnState(join(EXPECTED_DIR, file)).map((want, i) =>
      compareRow(`${file}#${i}`, { history: want.history, conn_state: want.connState }, ours[i]),
    );
  }

  // Rows of the same 4-tuple are logged in the order their connections began.
  const byTuple = new Map<string, OurConn[]>();
  for (const c of ours) {
    const key = unorderedKey(c.origH, String(c.origP), c.respH, String(c.respP));
    byTuple.set(key, [...(byTuple.get(key) ?? []), c]);
  }
  const rows = readZeekLog(join(EXPECTED_DIR, file)).rows.filter((r) => (r.proto ?? 'tcp') === 'tcp');
  return rows.map((want, i) => {
    const key = unorderedKey(want['id.orig_h'], want['id.orig_p'], want['id.resp_h'], want['id.resp_p']);
    return compareRow(`${file}#${i}`, want, byTuple.get(key)?.shift());
  });
}
