/** Where a report's connections are: every one's facts in memory, every one's view on demand, every one's
 * JSON text in id order. Small reports (and tests) hold the views in an array; the pipeline spools them
 * as they retire (see connection-spool.ts), so that a long capture does not hold them all. */
import { factsOf, type ConnectionFacts } from '../detect/connection-facts';
import type { DetectInput } from '../detect/run-detectors';
import type { ConnectionJson } from '../tcp/connection-view';

export interface ConnectionSource extends DetectInput {
  readonly count: number;
  /** Every connection's JSON text in id order, one a line, joined by ",\n" (none after the last): the
   * pieces give those bytes one after the other. */
  jsonList(): Iterable<string | Buffer>;
  /** Connection `id`'s view, with its filter. */
  view(id: number): ConnectionJson | undefined;
  /** Every view, in id order: only for small reports (tests, the JSON document made whole). */
  all(): ConnectionJson[];
  /** JSON.stringify(report) gives the JSON document (every view, as all() does). */
  toJSON(): ConnectionJson[];
  /** Frees what the source holds outside the heap (the spool's file); it cannot be read afterwards. */
  close(): void;
}

export function connectionArray(views: ConnectionJson[]): ConnectionSource {
  const facts = views.map(factsOf);
  // Views are usually indexed by id already; a hand-made report may skip ids.
  let byId: Map<number, ConnectionJson> | undefined;
  let factsById: Map<number, ConnectionFacts> | undefined;
  return {
    count: views.length,
    facts,
    ids: facts.map((f) => f.id),
    factsAt(id) {
      const f = facts[id]?.id === id ? facts[id] : (factsById ??= new Map(facts.map((c) => [c.id, c]))).get(id);
      if (f === undefined) throw new Error(`no facts of connection #${id}`);
      return f;
    },
    view: (id) => (views[id]?.id === id ? views[id] : (byId ??= new Map(views.map((v) => [v.id, v]))).get(id)),
    *jsonList() {
      for (let i = 0; i < views.length; i++) yield i === 0 ? JSON.stringify(views[i]) : `,\n${JSON.stringify(views[i])}`;
    },
    all: () => views,
    toJSON: () => views,
    close() {},
  };
}
