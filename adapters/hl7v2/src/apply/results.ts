import {
  CareEventType,
  CodedConcept,
  Encounter,
  Observation,
  type Patient,
} from '@caregraph/schema';
import type {
  DeviceResultsRecord,
  ObservationRecord,
  ResultOrderRecord,
  ResultsRecord,
} from '../mappings/records.js';
import type { ApplyState } from './apply-state.js';
import { applyPatient } from './patients.js';

function coded(value: ObservationRecord['code'] | undefined): CodedConcept | undefined {
  return value && Object.assign(new CodedConcept(), value);
}

function noteOf(order: ResultOrderRecord, observation: ObservationRecord): string | undefined {
  const notes = [order.note, observation.note].filter(Boolean);
  return notes.length ? notes.join('\n') : undefined;
}

/**
 * One result: the same patient, category, code and time is the same observation, so a corrected
 * or final result replaces the preliminary one instead of adding a second.
 */
async function applyObservation(
  state: ApplyState,
  patient: Patient,
  encounter: Encounter | null,
  order: ResultOrderRecord,
  record: ObservationRecord,
): Promise<{ observation: Observation; changed: boolean }> {
  const code = coded(record.code)!;
  let observation = await state.em.findOne(Observation, {
    patient,
    category: record.category,
    code: { system: code.system, code: code.code },
    effectiveAt: record.effectiveAt,
  });
  const created = !observation;
  if (!observation)
    observation = state.em.create(Observation, {
      tenantId: state.config.tenantId,
      patient,
      category: record.category,
      code,
      status: record.status,
      effectiveAt: record.effectiveAt,
    });
  const before = [observation.status, observation.valueQuantity, observation.valueString].join('|');
  Object.assign(observation, {
    status: record.status,
    encounter: encounter ?? observation.encounter,
    valueQuantity: record.valueQuantity,
    unit: record.unit,
    valueString: record.valueString,
    valueCode: coded(record.valueCode),
    referenceRangeLow: record.referenceRangeLow,
    referenceRangeHigh: record.referenceRangeHigh,
    referenceRangeText: record.referenceRangeText,
    interpretation: record.interpretation,
    issuedAt: record.issuedAt ?? order.issuedAt ?? observation.issuedAt,
    note: noteOf(order, record),
  });
  const changed =
    created ||
    before !== [observation.status, observation.valueQuantity, observation.valueString].join('|');
  state.touched('Observation', observation.id, created ? 'create' : 'update');
  return { observation, changed };
}

/**
 * ORU^R01: every result of every patient of the message. Lab results that are final (or
 * corrected) raise LabResultAvailable through the hub (derived from the change); a device result
 * out of range (IHE PCD-01) raises a DeviceAlert in the same transaction.
 */
export async function applyResults(
  record: ResultsRecord | DeviceResultsRecord,
  state: ApplyState,
): Promise<void> {
  for (const results of record.results) {
    const patient = await applyPatient(state, results.patient);
    const encounter = results.visitNumber
      ? await state.em.findOne(Encounter, { patient, visitNumber: results.visitNumber })
      : null;
    for (const order of results.orders)
      for (const result of order.observations) {
        const { observation, changed } = await applyObservation(
          state,
          patient,
          encounter,
          order,
          result,
        );
        if (record.kind === 'device-results' && result.outOfRange && changed)
          state.w.emit({
            type: CareEventType.DEVICE_ALERT,
            patientId: patient.id,
            summary: 'A device reading is out of range.',
            subject: { type: 'Observation', id: observation.id },
          });
      }
  }
}
