import type * as fhir from 'fhir/r4.js';
import type { Provenance } from '@caregraph/schema';
import { FHIR_SYSTEMS, code, instant, withoutEmpty } from './fhir-values.js';

/** CareGraph class names whose FHIR resource type differs (see PATIENT_RECORD_TABLES). */
const TARGET_TYPES: Record<string, string> = {
  CareTeamPatient: 'CareTeam',
  CarePlanGoal: 'Goal',
};

const ACTIVITY: Record<string, string> = {
  create: 'CREATE',
  update: 'UPDATE',
  delete: 'DELETE',
};

/** A Provenance resource: who created or changed one of the patient's records, and how. */
export function toFhirProvenance(provenance: Provenance): fhir.Provenance {
  const [type, id] = provenance.target.split('/');
  const target = `${TARGET_TYPES[type] ?? type}/${id}`;
  const activity = ACTIVITY[provenance.activity];
  return withoutEmpty({
    resourceType: 'Provenance' as const,
    id: provenance.id,
    target: [{ reference: target }],
    recorded: instant(provenance.recordedAt)!,
    activity: activity
      ? code(FHIR_SYSTEMS.v3DataOperation, activity)
      : { text: provenance.activity },
    reason: provenance.reason ? [{ text: provenance.reason }] : undefined,
    agent: [
      {
        type: code(
          FHIR_SYSTEMS.provenanceParticipant,
          provenance.agentType === 'user' ? 'author' : 'assembler',
        ),
        who:
          provenance.agentType === 'user'
            ? { identifier: { system: FHIR_SYSTEMS.user, value: provenance.agentId } }
            : { display: provenance.sourceSystem ?? provenance.agentId },
      },
    ],
    entity: provenance.sourceMessageId
      ? [{ role: 'source' as const, what: { identifier: { value: provenance.sourceMessageId } } }]
      : undefined,
  });
}
