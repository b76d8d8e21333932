import { Patient, type CreatePatientInput, type UpdatePatientInput } from '@caregraph/schema';
import { MappingError } from '../mappings/mapping-error.js';
import type { PatientRecord } from '../mappings/records.js';
import type { ApplyState } from './apply-state.js';
import { assignChanges } from './assign-changes.js';

type Details = Pick<
  UpdatePatientInput,
  'gender' | 'birthDate' | 'telecom' | 'address' | 'preferredLanguage'
>;

/**
 * The demographics a message sets. `undefined` leaves a value; `null` (HL7 `""`) clears it: a
 * list becomes empty, a single value is removed. Names cannot be cleared (a patient has one).
 */
function details(record: PatientRecord): Details & { names?: UpdatePatientInput['names'] } {
  const out: Details & { names?: UpdatePatientInput['names'] } = {};
  if (record.names)
    out.names = record.names
      .filter((name) => name.family)
      .map((name) => ({
        use: name.use,
        family: name.family!,
        given: name.given,
        prefix: name.prefix,
        suffix: name.suffix,
      }));
  if (out.names?.length === 0) delete out.names;
  if (record.gender !== undefined) out.gender = record.gender ?? (null as never);
  if (record.birthDate !== undefined) out.birthDate = record.birthDate ?? (null as never);
  if (record.telecom !== undefined) out.telecom = record.telecom ?? [];
  if (record.address !== undefined) out.address = record.address ?? [];
  if (record.preferredLanguage !== undefined)
    out.preferredLanguage = record.preferredLanguage ?? (null as never);
  return out;
}

/** Finds the patient that holds one of the message's identifiers (a merged one leads to its survivor). */
async function findPatient(
  state: ApplyState,
  record: PatientRecord,
): Promise<{ patient: Patient | null; unheld: PatientRecord['identifiers'] }> {
  let patient: Patient | null = null;
  const unheld: PatientRecord['identifiers'] = [];
  for (const identifier of record.identifiers) {
    const holder = await state.w.patients.findByIdentifier(identifier.system, identifier.value);
    if (!holder) unheld.push(identifier);
    else patient ??= holder;
  }
  while (patient && !patient.active && patient.replacedBy)
    patient = await state.em.findOne(Patient, patient.replacedBy.id);
  return { patient, unheld };
}

/**
 * Applies a message's patient: registers it when no identifier matches (names required), or
 * updates the demographics the message carries and adds identifiers it does not hold yet.
 * `create: false` (an update-only message) fails with HL7 204 when the patient is unknown.
 */
export async function applyPatient(
  state: ApplyState,
  record: PatientRecord,
  options: { create: boolean } = { create: true },
): Promise<Patient> {
  const { patient: found, unheld } = await findPatient(state, record);
  const changes = details(record);
  let patient: Patient;
  if (!found) {
    if (!options.create)
      throw MappingError.unknownKey({ segment: 'PID', sequence: 1, field: 3 }, 'patient');
    if (!changes.names?.length)
      throw MappingError.requiredFieldMissing(
        { segment: 'PID', sequence: 1, field: 5 },
        'patient name, to register a new patient',
      );
    const input: CreatePatientInput = {
      ...changes,
      names: changes.names,
      identifiers: record.identifiers.map(({ system, value, type }) => ({ system, value, type })),
    } as CreatePatientInput;
    patient = await state.w.patients.create(input);
  } else {
    patient = found;
    const update: UpdatePatientInput = { ...changes } as UpdatePatientInput;
    if (unheld.length)
      update.addIdentifiers = unheld.map(({ system, value, type }) => ({ system, value, type }));
    if (Object.keys(update).length) patient = await state.w.patients.update(patient.id, update);
  }
  if (record.deceased !== undefined || record.deceasedAt !== undefined) {
    const changed = assignChanges(patient, {
      deceased: Boolean(record.deceased ?? record.deceasedAt),
      deceasedAt: record.deceasedAt,
    });
    if (changed) state.touched('Patient', patient.id, 'update');
  }
  state.linked('Patient', patient.id);
  state.patientId ??= patient.id;
  return patient;
}
