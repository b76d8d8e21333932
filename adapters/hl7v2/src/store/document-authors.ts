import DataLoader from 'dataloader';
import { Practitioner } from '@caregraph/schema';
import type { TenantScope } from '@caregraph/plugin-sdk';

/** One loader per GraphQL operation (its context object), dropped with it. */
const loaders = new WeakMap<object, DataLoader<string, Practitioner | null>>();

/**
 * The practitioner who wrote a document, batched per operation: a page of documents costs one
 * statement for all their authors, not one each.
 */
export function documentAuthor(
  request: object,
  scope: TenantScope,
  authorId: string,
): Promise<Practitioner | null> {
  let loader = loaders.get(request);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = await scope.em.fork().find(Practitioner, { id: { $in: [...ids] } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    loaders.set(request, loader);
  }
  return loader.load(authorId);
}
