import type * as fhir from 'fhir/r4.js';
import type { CareTeam, CareTeamMember, CareTeamPatient, Practitioner } from '@caregraph/schema';
import type { ExportRefs } from './export-refs.js';
import {
  FHIR_SYSTEMS,
  codeable,
  contactPoint,
  humanName,
  instant,
  period,
  withoutEmpty,
} from './fhir-values.js';

/**
 * A patient's enrolment on a care team as a FHIR CareTeam whose subject is the patient: the
 * resource id is the enrolment's, the CareGraph team is named by an identifier, the members are
 * the participants.
 */
export function toFhirCareTeam(
  enrolment: CareTeamPatient,
  team: CareTeam,
  members: readonly CareTeamMember[],
  refs: ExportRefs,
): fhir.CareTeam {
  const ended = !!enrolment.periodEnd && enrolment.periodEnd.getTime() <= Date.now();
  return withoutEmpty({
    resourceType: 'CareTeam' as const,
    id: enrolment.id,
    meta: { lastUpdated: instant(enrolment.updatedAt) },
    identifier: [{ system: FHIR_SYSTEMS.careTeam, value: team.id }],
    status: (ended ? 'inactive' : team.status) as fhir.CareTeam['status'],
    category: team.category ? [codeable(team.category)!] : undefined,
    name: team.name,
    subject: refs.patient(),
    period: period(enrolment.periodStart, enrolment.periodEnd),
    participant: members.map((member) =>
      withoutEmpty({
        role: member.role ? [codeable(member.role)!].filter(Boolean) : undefined,
        member: refs.practitioner(member.practitioner.id),
        period: period(member.periodStart, member.periodEnd),
      }),
    ),
    note: team.description ? [{ text: team.description }] : undefined,
  });
}

/** A Practitioner resource (professional details only). */
export function toFhirPractitioner(practitioner: Practitioner): fhir.Practitioner {
  return withoutEmpty({
    resourceType: 'Practitioner' as const,
    id: practitioner.id,
    meta: { lastUpdated: instant(practitioner.updatedAt) },
    identifier: practitioner.npi ? [{ system: FHIR_SYSTEMS.npi, value: practitioner.npi }] : [],
    active: practitioner.active,
    name: [humanName(practitioner.name)],
    telecom: practitioner.telecom.map(contactPoint),
    qualification: practitioner.specialty ? [{ code: codeable(practitioner.specialty)! }] : [],
  });
}
