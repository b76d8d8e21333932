import { CareEventType, Patient, PatientIdentifier } from '@caregraph/schema';
import type { CareEventDraft } from '../services/transaction.js';
import { changedAny, touched, type EntityChange } from './unit-of-work-changes.js';

/**
 * The Patient properties a care team sees as the patient's details (demographics, contacts).
 * Not: the folded search columns (`familySearch`, `givenSearch`, kept in step with `names`),
 * `active`/`replacedBy` (a merge: PatientsMerged), `erasedAt` (an erasure leaves a tombstone and
 * announces nothing), timestamps.
 */
const DETAIL_PROPERTIES: readonly string[] = [
  'names',
  'gender',
  'birthDate',
  'deceased',
  'deceasedAt',
  'telecom',
  'address',
  'preferredLanguage',
  'timeZone',
];
/** An identifier's properties (not `valueIndex`, its blind index, which re-keying rewrites). */
const IDENTIFIER_PROPERTIES: readonly string[] = ['system', 'value', 'type', 'assigner', 'use'];

const patientEvent = (type: CareEventType, id: string, summary: string): CareEventDraft => ({
  type,
  patientId: id,
  summary,
  subject: { type: 'Patient', id },
});

/** The patient whose details an identifier's change changes, if it does. */
function identifierPatient(change: EntityChange): string | undefined {
  if (!touched(change, IDENTIFIER_PROPERTIES)) return undefined;
  return (change.entity as PatientIdentifier).patient.id;
}

/**
 * PatientRegistered for a created patient; PatientsMerged (about the survivor) for a record that
 * now points at the record it was merged into; PatientUpdated, once per patient, when its
 * details or identifiers changed — not for a patient registered in the same transaction, nor a
 * tombstone.
 */
export function patientEvents(changes: EntityChange[]): CareEventDraft[] {
  const events: CareEventDraft[] = [];
  const registered = new Set<string>();
  const updated = new Set<string>();
  for (const change of changes) {
    if (change.type === PatientIdentifier.name) {
      const id = identifierPatient(change);
      if (id) updated.add(id);
      continue;
    }
    if (change.type !== Patient.name || change.deleted) continue;
    const patient = change.entity as Patient;
    if (patient.erasedAt) continue;
    if (change.created) {
      registered.add(patient.id);
      events.push(patientEvent(CareEventType.PATIENT_REGISTERED, patient.id, 'Patient registered'));
      continue;
    }
    if (change.changed.has('replacedBy') && patient.replacedBy) {
      const survivor = patient.replacedBy.id;
      events.push(patientEvent(CareEventType.PATIENTS_MERGED, survivor, 'Patient records merged'));
    }
    if (changedAny(change, DETAIL_PROPERTIES)) updated.add(patient.id);
  }
  for (const id of updated)
    if (!registered.has(id))
      events.push(patientEvent(CareEventType.PATIENT_UPDATED, id, 'Patient details updated'));
  return events;
}
