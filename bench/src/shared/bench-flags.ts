/** Prints the usage and exits when `--help` was given. */
export function exitOnHelp(help: boolean | undefined, usage: string): void {
  if (!help) return;
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

/** A `--flag` given as a string that must be a number >= `min`. */
export function numberFlag(name: string, value: string, min: number, usage: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new Error(`--${name} must be a number >= ${min}\n${usage}`);
  return n;
}

/** A comma-separated `--targets` list, each one of `known`. */
export function targetsFlag<T extends string>(
  value: string,
  known: readonly T[],
  usage: string,
): T[] {
  const targets = value.split(',').map((t) => t.trim()) as T[];
  for (const t of targets) if (!known.includes(t)) throw new Error(`unknown target ${t}\n${usage}`);
  return targets;
}
