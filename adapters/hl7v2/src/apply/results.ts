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
import { assignChanges } from './assign-changes.js';
import { applyPatient } from './patients.js';

function coded(value: ObservationRecord['code'] | undefined): CodedConcept | undefined {
  return value && Object.assign(new CodedConcept(), value);
}

/** What an observation's order adds to it: the order's notes and its report time. */
export type ObservationContext = Pick<ResultOrderRecord, 'note' | 'issuedAt'>;

function noteOf(context: ObservationContext, observation: ObservationRecord): string | undefined {
  const notes = [context.note, observation.note].filter(Boolean);
  return notes.length ? notes.join('\n') : undefined;
}

/**
 * One result: the same patient, category, code and time is the same observation, so a corrected
 * or final result replaces the preliminary one instead of adding a second, and the same result
 * sent again changes nothing. `changed` says whether its status or value changed (a new result).
 */
export async function applyObservation(
  state: ApplyState,
  patient: Patient,
  encounter: Encounter | null,
  context: ObservationContext,
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
  // a corrected result replaces the whole value: what it does not carry is cleared (null)
  const valueChanged = assignChanges(observation, {
    status: record.status,
    valueQuantity: record.valueQuantity ?? null,
    valueString: record.valueString ?? null,
  });
  const detailsChanged = assignChanges(observation, {
    encounter: encounter ?? undefined,
    unit: record.unit ?? null,
    valueCode: coded(record.valueCode) ?? null,
    referenceRangeLow: record.referenceRangeLow ?? null,
    referenceRangeHigh: record.referenceRangeHigh ?? null,
    referenceRangeText: record.referenceRangeText ?? null,
    interpretation: record.interpretation ?? null,
    issuedAt: record.issuedAt ?? context.issuedAt,
    note: noteOf(context, record) ?? null,
  });
  state.wrote('Observation', observation.id, {
    created,
    changed: valueChanged || detailsChanged,
  });
  return { observation, changed: created || valueChanged };
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
