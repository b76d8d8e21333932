import type { FilterQuery } from '@mikro-orm/core';
import type { AuthenticatedContext } from '../context/request-context.js';
import type { AccessAction, DataCategory } from './access-matrix.js';
import { scopesFor } from './access-policy.js';
import {
  activeBreakGlassSessions,
  allCareTeamPatients,
  proxyPatients,
} from './relationship-queries.js';

/**
 * A filter on a patient-owned list (`{ patient: … }`) keeping the rows of patients the caller
 * may `action` in `category`; undefined when the caller reaches every patient of the tenant.
 * Used by root lists (appointments) whose rows belong to many patients.
 */
export async function visiblePatientFilter(
  ctx: AuthenticatedContext,
  category: DataCategory,
  action: AccessAction,
): Promise<FilterQuery<{ patient: unknown }> | undefined> {
  const { actor, em, tenantId } = ctx;
  const scopes = scopesFor(actor, category, action, ctx.purposeOfUse);
  if (scopes.has('tenant')) return undefined;
  const now = ctx.access.now;
  const ids = new Set<string>();
  if (scopes.has('self') && actor.patientId) ids.add(actor.patientId);
  if (scopes.has('careTeam')) {
    if (actor.practitionerId)
      for (const id of await allCareTeamPatients(em, tenantId, actor.practitionerId, now))
        ids.add(id);
    for (const id of (await activeBreakGlassSessions(em, tenantId, actor.userId, now)).keys())
      ids.add(id);
  }
  if (scopes.has('proxy') && actor.relatedPersonId)
    for (const id of await proxyPatients(em, tenantId, actor.relatedPersonId, undefined, now))
      ids.add(id);
  return { patient: { $in: [...ids] } };
}
