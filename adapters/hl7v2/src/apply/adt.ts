import type { AdtRecord, MergeRecord, PatientIdentifierRecord } from '../mappings/records.js';
import { MappingError } from '../mappings/mapping-error.js';
import type { ApplyState } from './apply-state.js';
import { applyEncounter } from './encounters.js';
import { applyPatient } from './patients.js';
import { applyPrimaryCare } from './primary-care.js';
import { applyRelatedPersons } from './related-persons.js';

/**
 * ADT A01…A31: the patient (registered or updated), their next of kin, their primary care
 * provider's team and the visit the event is about, all in the message's transaction.
 */
export async function applyAdt(record: AdtRecord, state: ApplyState): Promise<void> {
  const patient = await applyPatient(state, record.patient);
  await applyRelatedPersons(state, patient, record.relatedPersons);
  await applyPrimaryCare(state, patient, record.primaryCareProvider);
  if (record.encounter) await applyEncounter(state, patient, record.encounter);
}

async function holderOf(state: ApplyState, identifiers: PatientIdentifierRecord[]) {
  for (const identifier of identifiers) {
    const holder = await state.w.patients.findByIdentifier(identifier.system, identifier.value);
    if (holder) return holder;
  }
  return null;
}

/**
 * ADT A40: merges the patient of MRG-1 into the patient of PID-3 through the hub's merge service
 * (records and identifiers move to the survivor). A merge already applied changes nothing; an
 * unknown MRG-1 patient is HL7 204.
 */
export async function applyMerge(record: MergeRecord, state: ApplyState): Promise<void> {
  for (const [index, pair] of [record, ...record.additionalPairs].entries()) {
    const survivor = await applyPatient(state, pair.patient);
    const merged = await holderOf(state, pair.merged);
    if (!merged)
      throw MappingError.unknownKey({ segment: 'MRG', sequence: index + 1, field: 1 }, 'patient');
    if (merged.id === survivor.id) continue;
    await state.w.patients.merge(survivor.id, merged.id);
    state.linked('Patient', merged.id);
  }
}
