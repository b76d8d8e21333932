import type { EntityMetadata } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/sql';
import type { SensitiveField } from './sensitive-fields.js';

type Row = Record<string, unknown>;

/** A quoted (and, where the ORM uses one, schema-qualified) table name for raw SQL. */
export function qualifiedTable(orm: MikroORM, meta: EntityMetadata): string {
  const schema = meta.schema && meta.schema !== '*' ? meta.schema : orm.config.get('schema');
  return schema ? `"${schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
}

/** What `rewriteRows` asks of its caller. */
export interface RowRewrite {
  /** SQL condition selecting the rows to rewrite (`?` placeholders). */
  where: string;
  params: unknown[];
  batchSize: number;
  /** New values by column for a row, or undefined to leave it. */
  rewrite(row: Row): Row | undefined;
}

/**
 * Rewrites the encrypted columns of one table in batches (keyset on id), each row with a
 * compare-and-set update (`where` the old values are still there), so a hub writing the same
 * row concurrently wins and the row is picked up again by the next pass. Returns the number
 * of rows changed. Each statement commits on its own: the table stays online.
 */
export async function rewriteRows(
  orm: MikroORM,
  meta: EntityMetadata,
  fields: SensitiveField[],
  work: RowRewrite,
): Promise<number> {
  const connection = orm.em.getConnection();
  const table = qualifiedTable(orm, meta);
  const columns = [
    ...new Set(
      fields.flatMap((f) => (f.blindIndex ? [f.column, f.blindIndex.column] : [f.column])),
    ),
  ];
  const select = ['id', 'tenant_id', ...columns].map((c) => `"${c}"`).join(', ');
  let after = '00000000-0000-0000-0000-000000000000';
  let changed = 0;
  for (;;) {
    const rows = await connection.execute<Row[]>(
      `select ${select} from ${table} where (${work.where}) and "id" > ? order by "id" limit ?`,
      [...work.params, after, work.batchSize],
    );
    for (const row of rows) {
      const values = work.rewrite(row);
      if (!values) continue;
      const targets = Object.keys(values);
      const result = await connection.execute<{ affectedRows?: number }>(
        `update ${table} set ${targets.map((c) => `"${c}" = ?`).join(', ')}
          where "id" = ? and ${columns.map((c) => `"${c}" is not distinct from ?`).join(' and ')}`,
        [...targets.map((c) => values[c]), row.id, ...columns.map((c) => row[c] ?? null)],
        'run',
      );
      changed += result.affectedRows ?? 0;
    }
    if (rows.length < work.batchSize) return changed;
    after = String(rows[rows.length - 1]!.id);
  }
}
