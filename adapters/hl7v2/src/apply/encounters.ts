import { CodedConcept, Encounter, EncounterStatus, type Patient } from '@caregraph/schema';
import { MappingError } from '../mappings/mapping-error.js';
import type { EncounterRecord } from '../mappings/records.js';
import type { ApplyState } from './apply-state.js';
import { assignChanges } from './assign-changes.js';
import { resolvePractitioner } from './practitioners.js';

/** Actions that start a visit: an unknown visit number is a new encounter. */
const STARTS = new Set<EncounterRecord['action']>(['admit', 'register', 'pre-admit']);
/** Actions that undo an earlier event: the visit must exist. */
const CANCELS = new Set<EncounterRecord['action']>([
  'cancel-admit',
  'cancel-transfer',
  'cancel-discharge',
]);

const VISIT_NUMBER = { segment: 'PV1', sequence: 1, field: 19 };

/** The visit a message is about: by visit number, else the patient's latest one that is not cancelled. */
async function findEncounter(state: ApplyState, patient: Patient, record: EncounterRecord) {
  if (record.visitNumber)
    return state.em.findOne(Encounter, { patient, visitNumber: record.visitNumber });
  if (STARTS.has(record.action)) return null;
  return state.em.findOne(
    Encounter,
    { patient, status: { $ne: EncounterStatus.CANCELLED } },
    { orderBy: { periodStart: 'desc' } },
  );
}

/**
 * Applies an ADT event to the patient's encounter: admit/register/pre-admit create it (or update
 * it when the visit is known), transfers move it, discharge ends it, cancellations undo the event
 * (an unknown visit is HL7 204), updates change what the message carries.
 */
export async function applyEncounter(
  state: ApplyState,
  patient: Patient,
  record: EncounterRecord,
): Promise<Encounter> {
  let encounter = await findEncounter(state, patient, record);
  const created = !encounter;
  if (!encounter) {
    if (CANCELS.has(record.action)) throw MappingError.unknownKey(VISIT_NUMBER, 'visit');
    encounter = state.em.create(Encounter, {
      tenantId: state.config.tenantId,
      patient,
      status: record.status,
      class: record.class,
      periodStart: record.periodStart,
      visitNumber: record.visitNumber,
    });
  }
  const location =
    record.action === 'cancel-transfer'
      ? (record.priorLocation ?? record.location)
      : record.location;
  const attending = await resolvePractitioner(state, record.attending);
  const changed = assignChanges(encounter, {
    status: record.status,
    class: record.class,
    periodStart: created || record.periodStartKnown ? record.periodStart : undefined,
    periodEnd: record.periodEnd,
    type: record.type && Object.assign(new CodedConcept(), record.type),
    location,
    reason: record.reason,
    attending,
  });
  state.wrote('Encounter', encounter.id, { created, changed });
  return encounter;
}
