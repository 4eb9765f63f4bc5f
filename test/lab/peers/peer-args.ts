/** Command-line options of a Node peer (`--name value`), and its bounded lifetime. */

const given = new Map<string, string>();
for (let i = 2; i + 1 < process.argv.length; i += 2) given.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);

export function text(name: string): string {
  const value = given.get(name);
  if (value === undefined) throw new Error(`missing --${name}`);
  return value;
}

export function num(name: string): number {
  const value = Number(text(name));
  if (!Number.isFinite(value)) throw new Error(`--${name} is not a number`);
  return value;
}

/** Every peer ends by itself, so a lab that died leaves nothing running. */
export function endAfter(maxS = 120): void {
  setTimeout(() => process.exit(0), maxS * 1000).unref();
}

export function ready(): void {
  process.stdout.write('ready\n');
}
