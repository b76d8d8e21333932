import type { EntityClass, EntityMetadata, EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { Keyring } from '../crypto/keyring.js';
import { keyringOf } from '../crypto/keyring-registry.js';
import { sensitiveFieldsOf } from '../crypto/sensitive-fields.js';
import { EncryptionError } from '../errors/caregraph-error.js';

type Row = Record<string, unknown>;
type Assign = (target: Record<string, unknown>, row: Row, keyring: Keyring | undefined) => void;

/**
 * Timestamps arrive as Date (pg) or as `2026-01-02 03:04:05.678+00` text (PGlite). A Date is
 * copied: rows can be shared by several receivers (event snapshots), and freezing a Date does
 * not make it read-only.
 */
export function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return new Date(value.getTime());
  const text = String(value).replace(' ', 'T');
  return new Date(/[+-]\d\d$/.test(text) ? `${text}:00` : text);
}

function toLocalDate(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}

function toJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : (value ?? undefined);
}

function scalarConverter(prop: EntityProperty): (value: unknown) => unknown {
  const type = String(prop.customType?.constructor?.name ?? prop.type).toLowerCase();
  if (type.includes('datetime') || type === 'date' || prop.runtimeType === 'Date') return toDate;
  if (type === 'datetype') return toLocalDate;
  if (type.includes('json')) return toJson;
  if (type === 'double' || type === 'float')
    return (v) => (v === null || v === undefined ? undefined : Number(v));
  return (v) => (v === null ? undefined : v);
}

/** Builds embeddable instances (constructed, so their defaults apply) from stored JSON. */
function embeddableBuilder(prop: EntityProperty): (value: unknown) => unknown {
  const embeddable = prop.embeddable as unknown as new () => Record<string, unknown>;
  const fields = Object.values(prop.embeddedProps ?? {}).map((sub) => ({
    name: sub.embedded?.[1] ?? sub.name,
    key: sub.fieldNames[0]!,
    convert: scalarConverter(sub),
  }));
  const build = (item: unknown) => {
    if (item === null || item === undefined) return undefined;
    const instance = new embeddable();
    const data = item as Row;
    for (const field of fields) {
      const value = field.convert(data[field.key] ?? data[field.name]);
      if (value !== undefined) instance[field.name] = value;
    }
    return instance;
  };
  return (value) => {
    const json = toJson(value);
    return prop.array ? ((json as unknown[] | undefined) ?? []).map(build) : build(json);
  };
}

/** Decrypts an encrypted column of a raw row (the AAD names its tenant, table, column and id). */
function decryptingStep(meta: EntityMetadata, prop: EntityProperty): Assign | undefined {
  const field = sensitiveFieldsOf(meta).find((f) => f.property === prop.name);
  if (!field) return undefined;
  const properties = meta.properties as Record<string, EntityProperty>;
  const tenantColumn = properties.tenantId!.fieldNames[0]!;
  const idColumn = properties.id!.fieldNames[0]!;
  return (target, row, keyring) => {
    const value = row[field.column];
    if (value === null || value === undefined) {
      target[prop.name] = undefined;
      return;
    }
    const tenantId = String(row[tenantColumn]);
    if (!keyring) throw EncryptionError.keyUnavailable(tenantId);
    target[prop.name] = keyring.decrypt(
      { tenantId, table: field.table, column: field.column, rowId: String(row[idColumn]) },
      String(value),
    );
  };
}

function compile(meta: EntityMetadata): Assign {
  const steps: Assign[] = [];
  for (const prop of meta.props) {
    if (prop.persist === false || prop.embedded || prop.name.includes('~')) continue;
    const column = prop.fieldNames?.[0];
    if (!column) continue;
    if (prop.kind === 'embedded') {
      const build = embeddableBuilder(prop);
      steps.push((target, row) => void (target[prop.name] = build(row[column])));
    } else if (prop.kind === 'm:1' || prop.kind === '1:1') {
      const targetClass = prop.targetMeta!.class as EntityClass<unknown>;
      steps.push((target, row) => {
        const id = row[column];
        target[prop.name] =
          id === null || id === undefined
            ? undefined
            : Object.setPrototypeOf({ id }, targetClass.prototype);
      });
    } else if (prop.kind === 'scalar') {
      const decrypt = decryptingStep(meta, prop);
      if (decrypt) {
        steps.push(decrypt);
        continue;
      }
      const convert = scalarConverter(prop);
      steps.push((target, row) => void (target[prop.name] = convert(row[column])));
    }
  }
  return (target, row, keyring) => {
    for (const step of steps) step(target, row, keyring);
  };
}

const compiled = new WeakMap<EntityMetadata, Assign>();

/**
 * Turns rows of a read query into instances of the entity class (prototype methods work) without
 * registering them in the identity map or snapshotting them for change tracking: about 50 times
 * cheaper than `em.map`, which dominated read cost (BENCHMARKS.md, graphql-read). Use for reads
 * only; writes load their records through the EntityManager. Encrypted (`@Sensitive()`) columns
 * are decrypted with the ORM's keyring; rows must include their `tenant_id` and `id`.
 */
export function hydrateForRead<T>(em: EntityManager, entity: EntityClass<T>, rows: Row[]): T[] {
  const meta = em.getMetadata().get(entity);
  let assign = compiled.get(meta);
  if (!assign) {
    assign = compile(meta);
    compiled.set(meta, assign);
  }
  const keyring = keyringOf(em);
  return rows.map((row) => {
    // Filled as a plain object first: assigning onto the entity prototype would run MikroORM's
    // property setters (change tracking), which cost more than the rest of the mapping.
    const instance: Record<string, unknown> = {};
    assign(instance, row, keyring);
    return Object.setPrototypeOf(instance, meta.class.prototype) as T;
  });
}
