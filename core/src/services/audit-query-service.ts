import type { FilterQuery } from '@mikro-orm/core';
import { AuditEvent } from '@caregraph/schema';
import type { AuthenticatedContext } from '../context/request-context.js';
import type { Page } from '../graphql/types/connection.js';
import { newestFirstPage } from './newest-first-page.js';

/** Filters of the `auditEvents` query. */
export interface AuditEventFilter {
  patientId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  action?: string;
}

/** Lists the tenant's audit events, newest first. */
export async function listAuditEvents(
  ctx: AuthenticatedContext,
  filter: AuditEventFilter,
  page: { first?: number; after?: string },
): Promise<Page<AuditEvent>> {
  const where: FilterQuery<AuditEvent>[] = [];
  if (filter.patientId) where.push({ patientId: filter.patientId });
  if (filter.actorId) where.push({ actorUserId: filter.actorId });
  if (filter.from) where.push({ recordedAt: { $gte: filter.from } });
  if (filter.to) where.push({ recordedAt: { $lt: filter.to } });
  if (filter.action) where.push({ action: filter.action });
  return newestFirstPage(ctx.em, AuditEvent, where, 'recordedAt', page);
}
