import type { EntityMetadata, MetadataStorage } from '@mikro-orm/core';
import { sensitiveProperties } from '@caregraph/schema';
import { CareGraphError, ErrorCode } from '../errors/caregraph-error.js';

/** An encrypted column, resolved against the ORM metadata. */
export interface SensitiveField {
  property: string;
  table: string;
  column: string;
  /** Where the keyed blind index of the value goes, when the field has one. */
  blindIndex?: { property: string; column: string };
}

const cache = new WeakMap<EntityMetadata, SensitiveField[]>();

/** The encrypted fields of an entity (those marked `@Sensitive()` in the schema package). */
export function sensitiveFieldsOf(meta: EntityMetadata): SensitiveField[] {
  let fields = cache.get(meta);
  if (fields) return fields;
  const properties = meta.properties as Record<string, { fieldNames?: string[] } | undefined>;
  fields = [];
  for (const [property, options] of meta.class ? sensitiveProperties(meta.class) : []) {
    const column = properties[property]?.fieldNames?.[0];
    if (!column) continue;
    const indexColumn = options.blindIndex && properties[options.blindIndex]?.fieldNames?.[0];
    fields.push({
      property,
      table: meta.tableName,
      column,
      ...(options.blindIndex && indexColumn
        ? { blindIndex: { property: options.blindIndex, column: indexColumn } }
        : {}),
    });
  }
  cache.set(meta, fields);
  return fields;
}

/** Every entity with encrypted fields, with those fields. */
export function allSensitiveFields(
  metadata: MetadataStorage,
): { meta: EntityMetadata; fields: SensitiveField[] }[] {
  return [...metadata.getAll().values()]
    .filter((meta) => !meta.embeddable && !meta.virtual)
    .map((meta) => ({ meta, fields: sensitiveFieldsOf(meta) }))
    .filter((entry) => entry.fields.length > 0);
}

/**
 * Checks the `@Sensitive()` markers against the ORM metadata at boot: each marks a `text` column
 * of a tenant-scoped entity, its blind index property exists, and the entity has no
 * before-create/update hooks (their changes are merged into the write after encryption).
 */
export function validateSensitiveFields(metadata: MetadataStorage): void {
  const problems: string[] = [];
  for (const meta of metadata.getAll().values()) {
    if (!meta.class || meta.embeddable) continue;
    const properties = meta.properties as Record<
      string,
      { fieldNames?: string[]; columnTypes?: string[]; kind?: string } | undefined
    >;
    for (const [name, options] of sensitiveProperties(meta.class)) {
      const prop = properties[name];
      const where = `${meta.className}.${name}`;
      if (!prop?.fieldNames?.length || prop.kind !== 'scalar')
        problems.push(`${where}: @Sensitive() needs a scalar column`);
      else if (!String(prop.columnTypes?.[0]).startsWith('text'))
        problems.push(`${where}: @Sensitive() needs a 'text' column (ciphertext is longer)`);
      if (!properties.tenantId || !properties.id)
        problems.push(`${where}: @Sensitive() needs a tenant-scoped entity with an id`);
      if (options.blindIndex && !properties[options.blindIndex]?.fieldNames?.length)
        problems.push(`${where}: blind index property "${options.blindIndex}" does not exist`);
      if (meta.hooks.beforeCreate?.length || meta.hooks.beforeUpdate?.length)
        problems.push(`${where}: entities with encrypted fields may not have before-write hooks`);
    }
  }
  if (problems.length)
    throw new CareGraphError(
      ErrorCode.CONFIG_INVALID,
      `Invalid sensitive fields:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      { problems },
    );
}
