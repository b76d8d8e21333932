import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { ArgsType, Field, Int } from 'type-graphql';
import type { TenantScope } from './context.js';
import { PluginRequestError } from './errors.js';

/** Largest page of a plugin list served with `keysetPage`. */
export const MAX_PAGE = 100;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base takes any arguments
type ArgsClass = new (...args: any[]) => object;

/**
 * Adds the Relay page arguments (`first`, `after`; see `keysetPage`) to the arguments class of a
 * plugin's list (since API 1.6.0).
 */
export function Paged<TBase extends ArgsClass>(Base: TBase) {
  @ArgsType()
  class PagedArgs extends Base {
    @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' })
    first?: number;

    @Field(() => String, {
      nullable: true,
      description: 'Cursor of the last edge of the previous page.',
    })
    after?: string;
  }
  return PagedArgs;
}

/** A row of a list ordered on one timestamp, the id breaking ties. */
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

/** Options of `keysetPage`. */
export interface KeysetPageOptions {
  first?: number;
  after?: string;
  /** `desc` (default): newest first; `asc`: soonest first (what is due next). */
  order?: 'asc' | 'desc';
}

/**
 * One Relay page of `entity` rows matching `where`, ordered on the timestamp `at` then the id,
 * keyset-paged on `(at, id)` (an index per filter ending in those two columns keeps every page
 * one index range), read as the scope's user (since API 1.6.0). Bad `first` or `after` is
 * BAD_USER_INPUT at that argument.
 */
export async function keysetPage<T extends Keyed>(
  scope: TenantScope,
  entity: EntityName<T>,
  at: keyof T & string,
  where: FilterQuery<T>,
  { first = 20, after, order = 'desc' }: KeysetPageOptions = {},
) {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
    throw PluginRequestError.badInput(['first'], `must be 1 to ${MAX_PAGE}`);
  const conditions = [where];
  if (after) {
    const cursor = parseCursor(after);
    const beyond = order === 'desc' ? '$lt' : '$gt';
    conditions.push({
      $or: [{ [at]: { [beyond]: cursor.at } }, { [at]: cursor.at, id: { [beyond]: cursor.id } }],
    } as FilterQuery<T>);
  }
  const rows = (await scope.em.fork().find(entity, { $and: conditions } as FilterQuery<T>, {
    orderBy: { [at]: order, id: order } as never,
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
