import type { EntityManager } from '@mikro-orm/sql';
import type { AuthenticatedContext } from '../context/request-context.js';
import { ForbiddenError } from '../errors/caregraph-error.js';
import type { AccessAction, DataCategory } from './access-matrix.js';
import { PatientAccess } from './patient-access.js';

/**
 * Throws FORBIDDEN unless the caller may `action` `category` of the patient. Services call it
 * inside their write transaction (`em`, whose statements the check then joins) where the
 * patient is known only once the record is loaded (cancel an appointment by id…). A refusal
 * is recorded for the operation's access audit.
 */
export async function requireAccess(
  ctx: AuthenticatedContext,
  em: EntityManager,
  patientId: string,
  category: DataCategory,
  action: AccessAction,
): Promise<void> {
  const access = new PatientAccess(em, ctx.actor, ctx.purposeOfUse, ctx.access.now);
  const decision = await access.decide(patientId, category, action);
  if (decision.allowed) return;
  ctx.access.recordRefusal(patientId, action === 'read' ? category : `${category}:${action}`);
  throw ForbiddenError.notAllowed();
}
