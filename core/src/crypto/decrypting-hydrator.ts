import {
  ObjectHydrator,
  type EntityData,
  type EntityFactory,
  type EntityMetadata,
  type Options,
} from '@mikro-orm/core';

type HydratorConstructor = NonNullable<Options['hydrator']>;
import { EncryptionError } from '../errors/caregraph-error.js';
import type { Keyring } from './keyring.js';
import { sensitiveFieldsOf } from './sensitive-fields.js';

/**
 * Decrypts the `@Sensitive()` values of rows the ORM loads, in place, before MikroORM hydrates
 * the entity and snapshots it, so entities and their snapshots hold plaintext. Only data read
 * from the database (not `em.create` input, not a refresh copied from another entity) is
 * decrypted; there a value that is not valid ciphertext for its row is an error.
 */
export function decryptEntityData(
  keyring: Keyring | undefined,
  meta: EntityMetadata,
  data: Record<string, unknown>,
  entity: Record<string, unknown>,
): void {
  const fields = sensitiveFieldsOf(meta);
  for (const field of fields) {
    const value = data[field.property];
    if (typeof value !== 'string') continue;
    const tenantId = String(data.tenantId ?? entity.tenantId);
    if (!keyring) throw EncryptionError.keyUnavailable(tenantId);
    data[field.property] = keyring.decrypt(
      { tenantId, table: field.table, column: field.column, rowId: String(data.id ?? entity.id) },
      value,
    );
  }
}

/** A MikroORM hydrator class (config `hydrator`) that decrypts with `keyring`. */
export function decryptingHydrator(keyring: Keyring | undefined): HydratorConstructor {
  return class DecryptingHydrator extends ObjectHydrator {
    override hydrate<T extends object>(
      entity: T,
      meta: EntityMetadata<T>,
      data: EntityData<T>,
      factory: EntityFactory,
      type: 'full' | 'reference',
      newEntity?: boolean,
      convertCustomTypes?: boolean,
      schema?: string,
      parentSchema?: string,
      normalizeAccessors?: boolean,
    ): void {
      if (!newEntity && convertCustomTypes)
        decryptEntityData(
          keyring,
          meta as EntityMetadata,
          data as Record<string, unknown>,
          entity as Record<string, unknown>,
        );
      super.hydrate(
        entity,
        meta,
        data,
        factory,
        type,
        newEntity,
        convertCustomTypes,
        schema,
        parentSchema,
        normalizeAccessors,
      );
    }
  } as unknown as HydratorConstructor;
}
