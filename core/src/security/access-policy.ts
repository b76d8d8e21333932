import { UserKind } from '@caregraph/schema';
import type { Actor } from '../auth/actor.js';
import type { PurposeOfUse } from '../context/request-context.js';
import {
  grantOf,
  type AccessAction,
  type AccessScope,
  type DataCategory,
  type Principal,
} from './access-matrix.js';

/** The matrix rows that apply to an actor: their roles, and `proxy` for a related person. */
export function principalsOf(actor: Actor): Principal[] {
  const principals: Principal[] = [...actor.roles];
  if (actor.kind === UserKind.RELATED_PERSON && actor.relatedPersonId) principals.push('proxy');
  return principals;
}

/**
 * The scopes under which the actor may perform `action` on `category` for `purpose`: empty
 * means denied whatever the patient; `tenant` means allowed for every patient of the tenant.
 */
export function scopesFor(
  actor: Actor,
  category: DataCategory,
  action: AccessAction,
  purpose: PurposeOfUse,
): Set<AccessScope> {
  const scopes = new Set<AccessScope>();
  for (const principal of principalsOf(actor)) {
    const grant = grantOf(principal, category, action);
    if (grant && grant.purposes.includes(purpose)) scopes.add(grant.scope);
  }
  return scopes;
}

/**
 * How far a grant must reach for a root field: some patients (`any`), the staff scopes
 * (`staff`: the tenant or the actor's care teams, not only themself or their proxies), or
 * every patient of the tenant (`tenant`).
 */
export type AccessReach = 'any' | 'staff' | 'tenant';

/** Whether the actor holds a grant of `category`/`action` with the given reach. */
export function reaches(
  actor: Actor | undefined,
  category: DataCategory,
  action: AccessAction,
  purpose: PurposeOfUse,
  reach: AccessReach,
): boolean {
  if (!actor) return false;
  const scopes = scopesFor(actor, category, action, purpose);
  if (reach === 'tenant') return scopes.has('tenant');
  if (reach === 'staff') return scopes.has('tenant') || scopes.has('careTeam');
  return scopes.size > 0;
}

/** How an actor relates to one patient. */
export interface Relationship {
  /** Active member of one of the patient's active care teams. */
  careTeam: boolean;
  /** Id of an active break-glass session of the actor on this patient. */
  breakGlassSessionId?: string;
  self: boolean;
  /** An active proxy-access consent names the actor's related person. */
  proxy: boolean;
}

/** Why an access was allowed (recorded in the audit row). */
export type AccessBasis = 'tenant' | 'careTeam' | 'breakGlass' | 'self' | 'proxy';

/** The basis on which a scope set is satisfied for one patient, or undefined (denied). */
export function basisFor(
  scopes: ReadonlySet<AccessScope>,
  relationship: Relationship,
): AccessBasis | undefined {
  if (scopes.has('self') && relationship.self) return 'self';
  if (scopes.has('careTeam') && relationship.careTeam) return 'careTeam';
  if (scopes.has('proxy') && relationship.proxy) return 'proxy';
  if (scopes.has('tenant')) return 'tenant';
  if (scopes.has('careTeam') && relationship.breakGlassSessionId) return 'breakGlass';
  return undefined;
}
