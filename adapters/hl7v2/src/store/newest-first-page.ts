import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { PluginRequestError, type TenantScope } from '@caregraph/plugin-sdk';

/** Largest page of the adapter's lists. */
export const MAX_PAGE = 100;

/** A row of a list ordered newest first on one timestamp, the id breaking ties. */
interface Keyed {
  id: string;
}

function cursorOf<T extends Keyed>(row: T, at: keyof T): string {
  const time = (row[at] as Date).toISOString();
  return Buffer.from(JSON.stringify([time, row.id])).toString('base64url');
}

function parseCursor(after: string): { at: Date; id: string } {
  try {
    const [time, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown[];
    const at = new Date(String(time));
    if (typeof id === 'string' && !Number.isNaN(at.getTime())) return { at, id };
  } catch {
    // fall through
  }
  throw PluginRequestError.badInput(['after'], 'is not a cursor returned by this API');
}

/**
 * One Relay page of `entity` rows matching `where`, newest first, keyset-paged on `(at, id)`
 * (an index per filter ending in those two columns keeps every page one index range). Bad
 * `first` or `after` is BAD_USER_INPUT at that argument.
 */
export async function newestFirstPage<T extends Keyed>(
  scope: TenantScope,
  entity: EntityName<T>,
  at: keyof T & string,
  where: FilterQuery<T>,
  first = 20,
  after?: string,
) {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
    throw PluginRequestError.badInput(['first'], `must be 1 to ${MAX_PAGE}`);
  const conditions = [where];
  if (after) {
    const cursor = parseCursor(after);
    conditions.push({
      $or: [{ [at]: { $lt: cursor.at } }, { [at]: cursor.at, id: { $lt: cursor.id } }],
    } as FilterQuery<T>);
  }
  const rows = (await scope.em.fork().find(entity, { $and: conditions } as FilterQuery<T>, {
    orderBy: { [at]: 'desc', id: 'desc' } as never,
    limit: first + 1,
  })) as T[];
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: cursorOf(node, at), node })),
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: page[0] ? cursorOf(page[0], at) : undefined,
      endCursor: page.at(-1) ? cursorOf(page.at(-1)!, at) : undefined,
    },
  };
}

/**
 * Reads a lazy PHI column of a stored row (a message body) as the caller, and audits the read
 * (action R, the row and its patient) in its own transaction before returning it.
 */
export async function auditedRead<T extends Keyed & { patientId?: string }>(
  scope: TenantScope,
  entity: EntityName<T>,
  id: string,
  column: keyof T & string,
  auditType: string,
): Promise<string> {
  const row = (await scope.em
    .fork()
    .findOneOrFail(entity, { id } as FilterQuery<T>, { populate: [column] as never })) as T;
  await scope.write(async (w) =>
    w.audit({
      action: 'R',
      type: auditType,
      entity: `${typeof entity === 'function' ? entity.name : String(entity)}/${id}`,
      patientId: row.patientId,
    }),
  );
  return row[column] as string;
}
