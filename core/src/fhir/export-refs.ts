import type * as fhir from 'fhir/r4.js';
import { reference } from './fhir-values.js';

/**
 * What the mappers of one export share: the exported patient, and the resources outside the
 * patient's own records that entries refer to, so that the bundle can include them and every
 * reference resolves inside it.
 */
export class ExportRefs {
  /** Practitioner ids referred to so far; their resources are written at the end. */
  readonly practitioners = new Set<string>();
  /** CareGraph care team id → id of the patient's CareTeam resource (the enrolment). */
  readonly careTeams = new Map<string, string>();

  constructor(readonly patientId: string) {}

  /** `Patient/<id>` of the exported patient. */
  patient(): fhir.Reference {
    return reference('Patient', this.patientId);
  }

  /** A reference to a practitioner, remembered for the end of the bundle. */
  practitioner(id: string | undefined): fhir.Reference | undefined {
    if (!id) return undefined;
    this.practitioners.add(id);
    return reference('Practitioner', id);
  }

  /** A reference to one of the patient's care teams, or a logical one when not enrolled. */
  careTeam(teamId: string | undefined, name?: string): fhir.Reference | undefined {
    if (!teamId) return undefined;
    const enrolment = this.careTeams.get(teamId);
    if (enrolment) return reference('CareTeam', enrolment);
    return { identifier: { system: 'urn:caregraph:care-team', value: teamId }, display: name };
  }
}
