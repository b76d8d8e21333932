import { ChangeSetType, type ChangeSet } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';

/** One entity's net change in a transaction, over every flush of it. */
export interface EntityChange {
  /** The managed instance (its current values are the values after the change). */
  entity: object;
  /** The entity class name, e.g. `Encounter`. */
  type: string;
  /** Inserted in this transaction (then `before` is empty). */
  created: boolean;
  deleted: boolean;
  /** Properties an update of this transaction changed. */
  changed: Set<string>;
  /** The row as it was before this transaction's first update of it. */
  before: Readonly<Record<string, unknown>>;
}

/** Whether an update of the change changed any of `properties`. */
export function changedAny(change: EntityChange, properties: readonly string[]): boolean {
  return properties.some((property) => change.changed.has(property));
}

/** Whether the change created or deleted its entity, or changed any of `properties`. */
export function touched(change: EntityChange, properties: readonly string[]): boolean {
  return change.created || change.deleted || changedAny(change, properties);
}

/**
 * Records what the flushes of one transaction change, for the entity types in `types`. The
 * subscriber goes on the transaction's EntityManager: MikroORM gives each transaction fork a
 * clone of the event manager (`TransactionManager.createFork`, `cloneEventManager: true`), so it
 * hears this transaction's flushes only, implicit ones (auto-flush before a query) included.
 * (With `disableTransactions`, which the hub never sets, `transactional` runs on the caller's
 * EntityManager and the subscriber would stay on it.)
 */
export class UnitOfWorkChanges {
  private readonly changes = new Map<object, EntityChange>();

  constructor(em: EntityManager, types: ReadonlySet<string>) {
    em.getEventManager().registerSubscriber({
      onFlush: ({ uow }) => {
        for (const changeSet of uow.getChangeSets())
          if (types.has(changeSet.meta.className)) this.record(changeSet);
      },
    });
  }

  /** The changes recorded so far, in the order their entities were first flushed. */
  list(): EntityChange[] {
    return [...this.changes.values()];
  }

  private record(changeSet: ChangeSet<object>): void {
    let change = this.changes.get(changeSet.entity);
    if (!change) {
      change = {
        entity: changeSet.entity,
        type: changeSet.meta.className,
        created: changeSet.type === ChangeSetType.CREATE,
        deleted: false,
        changed: new Set(),
        before: changeSet.type === ChangeSetType.CREATE ? {} : { ...changeSet.originalEntity },
      };
      this.changes.set(changeSet.entity, change);
    }
    if (changeSet.type === ChangeSetType.UPDATE || changeSet.type === ChangeSetType.UPDATE_EARLY)
      for (const key of Object.keys(changeSet.payload)) change.changed.add(key);
    if (changeSet.type === ChangeSetType.DELETE || changeSet.type === ChangeSetType.DELETE_EARLY)
      change.deleted = true;
  }
}
