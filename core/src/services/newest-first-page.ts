import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { Page } from '../graphql/types/connection.js';
import { decodeCursor, pageSize, toPage } from '../graphql/types/pagination.js';

/**
 * One page of `entity` rows matching `where`, newest first by the timestamp property `at`
 * (ties broken by id), with a keyset cursor.
 */
export async function newestFirstPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>[],
  at: keyof T & string,
  page: { first?: number; after?: string },
): Promise<Page<T>> {
  const size = pageSize(page.first);
  const cursor = decodeCursor(page.after);
  const and = [...where];
  if (cursor) {
    const time = new Date(String(cursor.sort));
    and.push({
      $or: [{ [at]: { $lt: time } }, { [at]: time, id: { $lt: cursor.id } }],
    } as FilterQuery<T>);
  }
  const rows = await em.find(entity, { $and: and } as FilterQuery<T>, {
    orderBy: { [at]: 'desc', id: 'desc' } as never,
    limit: size + 1,
  });
  return toPage(
    rows,
    size,
    (row) => ({ sort: (row[at] as Date).toISOString(), id: row.id }),
    cursor !== undefined,
  );
}
