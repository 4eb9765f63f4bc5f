/** Empty arrays made with the elements kind that V8 gives an array holding `like`. An array made as `[]`
 * changes kind with its first element (small integers to doubles or objects), and code V8 had optimised
 * for arrays of the later kind was thrown away ("wrong map") when it met an array still empty, or one that
 * took its first element later: on bench (a), 7 hot functions deoptimised so, each compiled again. */
export function emptyArrayOf<T>(like: T): T[] {
  const list = [like];
  list.length = 0;
  return list;
}
