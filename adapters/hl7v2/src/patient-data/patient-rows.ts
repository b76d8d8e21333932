import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { PatientDataScope } from '@caregraph/plugin-sdk';
import { OutboundMessage } from '../outbound/outbound-message.js';
import { ClinicalDocument } from '../store/clinical-document.js';
import { IntegrationMessage } from '../store/integration-message.js';
import { identifierKeysOf } from '../store/patient-keys.js';

/** Rows read (and written back) per statement. */
export const PATIENT_ROWS_PAGE = 200;

/** The patients' clinical documents. */
export function documentsOf(
  scope: Pick<PatientDataScope, 'tenantId'>,
  patientIds: readonly string[],
): FilterQuery<ClinicalDocument> {
  return { tenantId: scope.tenantId, patientId: { $in: [...patientIds] } };
}

/**
 * The stored inbound messages about the patients: those applied to them, and those stored under
 * one of their identifiers as patient key (PID-3.1), which covers the error queue.
 */
export async function inboundMessagesOf(
  scope: PatientDataScope,
  patientIds: readonly string[],
): Promise<FilterQuery<IntegrationMessage>> {
  const keys = await identifierKeysOf(scope.em, scope.tenantId, patientIds);
  const about: FilterQuery<IntegrationMessage>[] = [{ patientId: { $in: [...patientIds] } }];
  if (keys.length > 0) about.push({ patientKeyIndex: { $in: keys } });
  return { tenantId: scope.tenantId, $or: about };
}

/** The outbound messages about the patients. */
export function outboundMessagesOf(
  scope: Pick<PatientDataScope, 'tenantId'>,
  patientIds: readonly string[],
): FilterQuery<OutboundMessage> {
  return { tenantId: scope.tenantId, patientId: { $in: [...patientIds] } };
}

/** Reads the rows matching `where` in id order, a page at a time (keyset paging). */
export async function* pagesOf<T extends { id: string }>(
  em: EntityManager,
  entity: new () => T,
  where: FilterQuery<T>,
  options: { fields?: readonly string[]; populate?: readonly string[] } = {},
): AsyncGenerator<T[]> {
  let after: string | undefined;
  for (;;) {
    const condition = (after ? { $and: [where, { id: { $gt: after } }] } : where) as FilterQuery<T>;
    const rows = (await em.find(entity, condition, {
      orderBy: { id: 'asc' } as never,
      limit: PATIENT_ROWS_PAGE,
      ...(options.fields ? { fields: options.fields as never } : {}),
      ...(options.populate ? { populate: options.populate as never } : {}),
    })) as T[];
    if (rows.length > 0) yield rows;
    if (rows.length < PATIENT_ROWS_PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}
