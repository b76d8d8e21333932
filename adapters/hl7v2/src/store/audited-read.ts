import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { TenantScope } from '@caregraph/plugin-sdk';

/**
 * Reads a lazy PHI column of a stored row (a message body) as the caller, and audits the read
 * (action R, the row and its patient) in its own transaction before returning it.
 */
export async function auditedRead<T extends { id: string; patientId?: string }>(
  scope: TenantScope,
  entity: EntityName<T>,
  id: string,
  column: keyof T & string,
  auditType: string,
): Promise<string> {
  const row = (await scope.em
    .fork()
    .findOneOrFail(entity, { id } as FilterQuery<T>, { populate: [column] as never })) as T;
  await scope.write(async (w) =>
    w.audit({
      action: 'R',
      type: auditType,
      entity: `${typeof entity === 'function' ? entity.name : String(entity)}/${id}`,
      patientId: row.patientId,
    }),
  );
  return row[column] as string;
}
