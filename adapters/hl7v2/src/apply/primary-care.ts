import {
  CareTeam,
  CareTeamMember,
  CareTeamPatient,
  CodedConcept,
  type Patient,
} from '@caregraph/schema';
import { PRIMARY_CARE_ROLE, type PractitionerRef } from '../mappings/records.js';
import type { ApplyState } from './apply-state.js';
import { resolvePractitioner } from './practitioners.js';
import { linkedRecord, linkRecord } from './record-links.js';

const PCP_TEAM = 'pcp-team';

/** The primary-care team of a practitioner (created with them as its PCP member). */
async function primaryCareTeam(state: ApplyState, ref: PractitionerRef) {
  const practitioner = await resolvePractitioner(state, ref);
  if (!practitioner) return undefined;
  const key = { kind: PCP_TEAM, system: 'Practitioner', externalId: practitioner.id };
  const id = await linkedRecord(state, key);
  const found = id ? await state.em.findOne(CareTeam, id) : null;
  if (found) return found;
  const family = practitioner.name.family ?? 'practitioner';
  const team = state.em.create(CareTeam, {
    tenantId: state.config.tenantId,
    name: `Primary care: ${[practitioner.name.given[0], family].filter(Boolean).join(' ')}`,
    category: Object.assign(new CodedConcept(), PRIMARY_CARE_ROLE),
  });
  state.em.create(CareTeamMember, {
    tenantId: state.config.tenantId,
    careTeam: team,
    practitioner,
    role: Object.assign(new CodedConcept(), PRIMARY_CARE_ROLE),
  });
  linkRecord(state, key, 'CareTeam', team.id);
  state.touched('CareTeam', team.id, 'create');
  return team;
}

/**
 * Puts the patient on their primary care provider's team (PD1-4; teams of category PCP): the PCP then has the care
 * relationship that lets them see the patient. A change of PCP ends the enrolment in the former
 * PCP's team; other care teams are left alone.
 */
export async function applyPrimaryCare(
  state: ApplyState,
  patient: Patient,
  ref: PractitionerRef | undefined,
): Promise<void> {
  if (!ref) return;
  const team = await primaryCareTeam(state, ref);
  if (!team) return;
  const enrolments = await state.em.find(CareTeamPatient, {
    patient,
    careTeam: { category: { system: PRIMARY_CARE_ROLE.system, code: PRIMARY_CARE_ROLE.code } },
    periodEnd: null,
  });
  for (const enrolment of enrolments)
    if (enrolment.careTeam.id !== team.id) {
      enrolment.periodEnd = new Date();
      state.touched('CareTeamPatient', enrolment.id, 'update');
    }
  if (!enrolments.some((enrolment) => enrolment.careTeam.id === team.id)) {
    const enrolment = state.em.create(CareTeamPatient, {
      tenantId: state.config.tenantId,
      patient,
      careTeam: team,
    });
    state.touched('CareTeamPatient', enrolment.id, 'create');
  }
}
