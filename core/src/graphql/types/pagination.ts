import { IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { BadUserInputError } from '../../errors/caregraph-error.js';
import type { Page } from './connection.js';

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;

/** Relay forward-pagination arguments. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size, 1 to ${MAX_PAGE_SIZE} (default 20).`,
  })
  @IsOptional()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last edge of the previous page.',
  })
  after?: string;
}

/** Position of a row in a keyset ordering: the sort value and the id as tie-breaker. */
export interface Keyset {
  sort: string | number;
  id: string;
}

/** Encodes a keyset as an opaque cursor. */
export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.sort, keyset.id])).toString('base64url');
}

/** Decodes a cursor; a malformed one is a BAD_USER_INPUT on `after`. */
export function decodeCursor(
  cursor: string | undefined,
  argumentName = 'after',
): Keyset | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (typeof value[0] === 'string' || typeof value[0] === 'number') &&
      typeof value[1] === 'string'
    ) {
      return { sort: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw BadUserInputError.field([argumentName], 'is not a cursor returned by this API');
}

/** The page size to use for `first`. */
export function pageSize(first: number | undefined, fallback = 20): number {
  return Math.min(Math.max(first ?? fallback, 1), MAX_PAGE_SIZE);
}

/**
 * Shapes `rows` (fetched with one extra row beyond `size`) into a Relay page.
 */
export function toPage<T>(
  rows: T[],
  size: number,
  keysetOf: (row: T) => Keyset,
  hasPrevious: boolean,
): Page<T> {
  const hasNextPage = rows.length > size;
  const nodes = hasNextPage ? rows.slice(0, size) : rows;
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keysetOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor,
      endCursor: edges.at(-1)?.cursor,
    },
  };
}
