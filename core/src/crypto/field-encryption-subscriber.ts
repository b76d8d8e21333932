import {
  ChangeSetType,
  helper,
  type EventSubscriber,
  type FlushEventArgs,
  type UnitOfWork,
} from '@mikro-orm/core';
import { EncryptionError } from '../errors/caregraph-error.js';
import type { Keyring } from './keyring.js';
import { sensitiveFieldsOf } from './sensitive-fields.js';

interface Written {
  entity: object;
  property: string;
  plaintext: string;
}

const WRITES = new Set<string>([
  ChangeSetType.CREATE,
  ChangeSetType.UPDATE,
  ChangeSetType.UPDATE_EARLY,
]);

/**
 * Encrypts `@Sensitive()` fields on their way to the database: in `onFlush` it replaces each
 * sensitive value of a change set's payload with ciphertext (and sets the blind index), while
 * the entity keeps its plaintext; after the flush it puts the plaintext back into the entity's
 * snapshot so the next flush does not see a change. Every ORM write (services, seed) passes
 * here; `em.insert`, `nativeUpdate` and raw SQL do not, so sensitive fields are never written
 * with those.
 */
export class FieldEncryptionSubscriber implements EventSubscriber {
  readonly #written = new WeakMap<UnitOfWork, Written[]>();

  constructor(private readonly keyring: Keyring | undefined) {}

  onFlush({ uow }: FlushEventArgs): void {
    const written: Written[] = [];
    this.#written.set(uow, written);
    for (const changeSet of uow.getChangeSets()) {
      if (!WRITES.has(changeSet.type)) continue;
      const fields = sensitiveFieldsOf(changeSet.meta);
      if (fields.length === 0) continue;
      const entity = changeSet.entity as Record<string, unknown>;
      const payload = changeSet.payload as Record<string, unknown>;
      const tenantId = String(entity.tenantId);
      for (const field of fields) {
        if (!(field.property in payload)) continue;
        const value = payload[field.property];
        if (value === null || value === undefined) {
          if (field.blindIndex)
            payload[field.blindIndex.property] = entity[field.blindIndex.property] = null;
          continue;
        }
        if (!this.keyring) throw EncryptionError.keyUnavailable(tenantId);
        const plaintext = String(value);
        payload[field.property] = this.keyring.encrypt(
          { tenantId, table: field.table, column: field.column, rowId: String(entity.id) },
          plaintext,
        );
        if (field.blindIndex) {
          const index = this.keyring.blindIndex(tenantId, plaintext);
          payload[field.blindIndex.property] = entity[field.blindIndex.property] = index;
        }
        written.push({ entity, property: field.property, plaintext });
      }
    }
  }

  afterFlush({ uow }: FlushEventArgs): void {
    for (const { entity, property, plaintext } of this.#written.get(uow) ?? []) {
      const snapshot = helper(entity).__originalEntityData as Record<string, unknown> | undefined;
      if (snapshot && property in snapshot) snapshot[property] = plaintext;
    }
    this.#written.delete(uow);
  }
}
