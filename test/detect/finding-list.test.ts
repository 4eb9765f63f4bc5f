/** Findings put away in a text store come back the same, and an incident's headline reads each one's
 * measures without reading the finding whole. */
import type { Finding } from '../../src/detect/finding';
import { FindingList, FindingStore, type TextStore } from '../../src/detect/finding-list';
import { ConnectionSpool } from '../../src/report/connection-spool';

/** A text store that remembers which texts were read. */
class CountingStore implements TextStore {
  readonly texts: string[] = [];
  readonly groups: number[] = [];
  readonly read: string[] = [];

  put(text: string, group: number): number {
    this.texts.push(text);
    this.groups.push(group);
    return this.texts.length - 1;
  }

  get(handle: number): string {
    this.read.push(this.texts[handle]);
    return this.texts[handle];
  }
}

/** Measures of each kind a finding has: none, none at all, and values of each type a measure takes. */
function measuresFor(i: number): Pick<Finding, 'measures'> {
  if (i % 5 === 4) return {};
  if (i % 7 === 6) return { measures: {} };
  return { measures: { closed_by: i % 3 === 0 ? 'client' : 'server', fin_wait_2_s: i * 0.25, acknowledged: i % 4 === 0, matches: null } };
}

function finding(i: number): Finding {
  return {
    kind: i % 2 === 0 ? 'idle-timeout' : 'late-fin',
    severity: i % 2 === 0 ? 'info' : 'warning',
    connection: i,
    // Every eleventh about no listener (a capture-wide finding): its group is past the listeners'.
    ...(i % 11 === 10 ? {} : { listener: `10.0.0.${i % 3}:80` }),
    at: 1_790_000_000 + i / 8,
    duration_s: i % 5,
    ...measuresFor(i),
    frames: [i + 1],
    filter: `frame.number == ${i + 1}`,
    summary: `finding ${i} — “quoted”`,
    explanation: `a longer text for finding ${i}`.repeat(5),
  };
}

describe('FindingStore', () => {
  const findings = [...Array(60).keys()].map(finding);

  it('gives back the measures of a finding put away from a text of their own, the same as the whole finding has', () => {
    const texts = new CountingStore();
    const store = new FindingStore(texts);
    // Every third kept as an object, as listener findings are.
    const list = new FindingList(store, findings.map((f, i) => store.add(f, i % 3 !== 0)));
    texts.read.length = 0;
    for (let i = 0; i < findings.length; i++) {
      expect(list.measuresOf(i)).toEqual(findings[i].measures);
    }
    const putAwayWithMeasures = findings.filter((f, i) => i % 3 !== 0 && f.measures !== undefined);
    expect(texts.read).toEqual(putAwayWithMeasures.map((f) => JSON.stringify(f.measures)));
    // The whole findings still come back as they were.
    for (let i = 0; i < findings.length; i++) expect(list.at(i)).toEqual(findings[i]);
  });

  it("keeps an incident's measures side by side, apart from its findings", () => {
    const texts = new CountingStore();
    const store = new FindingStore(texts);
    for (const f of findings) store.add(f, true);
    const measureGroups = texts.groups.filter((_, k) => !texts.texts[k].startsWith('{"kind"'));
    const findingGroups = texts.groups.filter((_, k) => texts.texts[k].startsWith('{"kind"'));
    expect(findingGroups.every((g) => g >= 0)).toBe(true);
    expect(measureGroups.every((g) => g < 0)).toBe(true);
    // One group per incident (kind and listener, or none) on each side.
    expect(new Set(findingGroups).size).toBe(8);
    expect(new Set(measureGroups).size).toBe(8);
  });

  it('parses texts alike once for an incident, sharing what they parse to, and keeps at most 1,024', () => {
    const texts = new CountingStore();
    const store = new FindingStore(texts);
    // 3,000 findings, whose measures differ in fin_wait_2_s (i * 0.25) alone: the first 1,000 take four
    // texts in turn, the other 2,000 some 1,370 more (some have no measures, or empty ones).
    const many = [...Array(3000).keys()].map((i) => finding(i < 1000 ? (i % 4) * 420 : i));
    const list = new FindingList(store, many.map((f) => store.add(f, true)));
    const parsed = new Map();
    const read = many.map((_, i) => list.measuresOf(i, parsed));
    expect(read).toEqual(many.map((f) => f.measures));
    expect(parsed.size).toBe(1024);
    // Texts alike parse to one shared object.
    expect(new Set(read.slice(0, 1000)).size).toBe(4);
    // Read again with the map, the same.
    expect(many.map((_, i) => list.measuresOf(i, parsed))).toEqual(read);
  });

  it("reads an incident's measures once for all the names its headline asks for, unless they all differ", () => {
    const texts = new CountingStore();
    const store = new FindingStore(texts);
    // 1,000 findings with four measures' texts in turn, then 2,000 whose texts differ (as above).
    const many = [...Array(3000).keys()].map((i) => finding(i < 1000 ? (i % 4) * 420 : i));
    const list = new FindingList(store, many.map((f) => store.add(f, true)));
    const value = (i: number, name: string): unknown => (many[i].measures as Record<string, unknown> | undefined)?.[name];
    for (const [indices, readsPerName] of [[[...Array(1000).keys()], 0], [[...Array(3000).keys()], 1]] as const) {
      texts.read.length = 0;
      const measures = list.measuresReader(indices);
      expect(measures('closed_by')).toEqual(indices.map((i) => value(i, 'closed_by')));
      const once = texts.read.length;
      expect(measures('fin_wait_2_s')).toEqual(indices.map((i) => value(i, 'fin_wait_2_s')));
      expect(measures('acknowledged')).toEqual(indices.map((i) => value(i, 'acknowledged')));
      // Alike: read once; all different past the 1,024 kept: read again for each name.
      expect(texts.read.length).toBe(once * (1 + 2 * readsPerName));
    }
  });

  it('through the spool, past its memory, measures and findings come back the same', () => {
    const spool = new ConnectionSpool();
    try {
      const store = new FindingStore(spool);
      // Enough findings that their texts go to the temporary file (past 1 MiB).
      const many = [...Array(4000).keys()].map(finding);
      const list = new FindingList(store, many.map((f) => store.add(f, true)));
      for (const i of [0, 1, 4, 1999, 3999]) {
        expect(list.measuresOf(i)).toEqual(many[i].measures);
        expect(list.at(i)).toEqual(many[i]);
      }
    } finally {
      spool.close();
    }
  });
});
