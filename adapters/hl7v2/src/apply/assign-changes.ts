/**
 * A value in a canonical form: dates as epoch ms, entities (and references) as their id, other
 * objects with sorted keys and no empty members.
 */
function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string')
    return { id: (value as { id: string }).id };
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = canonical((value as Record<string, unknown>)[key]);
      if (member !== undefined && !(Array.isArray(member) && member.length === 0))
        out[key] = member;
    }
    return out;
  }
  return value;
}

/** Whether two property values are the same (dates by instant, embeddables by content). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** New values of an entity's properties: `undefined` leaves one as it is, `null` clears it. */
export type AssignedValues<T> = { [K in keyof T]?: T[K] | null };

/**
 * Sets the properties of `values` that differ from the entity's, leaving the others untouched,
 * so a message applied twice leaves the unit of work clean the second time. Returns whether
 * anything changed.
 */
export function assignChanges<T extends object>(entity: T, values: AssignedValues<T>): boolean {
  let changed = false;
  for (const key of Object.keys(values) as (keyof T)[]) {
    const value = values[key];
    if (value === undefined || sameValue(entity[key], value)) continue;
    entity[key] = value as T[keyof T];
    changed = true;
  }
  return changed;
}
