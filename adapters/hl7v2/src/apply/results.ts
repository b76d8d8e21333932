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

/** What makes a result the same observation: its category, code and time (for one patient). */
function observationKey(
  category: string,
  code: { system?: string | null; code?: string | null },
  effectiveAt: Date,
): string {
  return JSON.stringify([category, code.system ?? null, code.code ?? null, effectiveAt.getTime()]);
}

/** A patient's stored observations among `records`, by `observationKey`, in one query. */
export async function knownObservations(
  state: ApplyState,
  patient: Patient,
  records: readonly ObservationRecord[],
): Promise<Map<string, Observation>> {
  const known = new Map<string, Observation>();
  if (!records.length) return known;
  const found = await state.em.find(Observation, {
    patient,
    $or: records.map((record) => ({
      category: record.category,
      code: { system: record.code?.system, code: record.code?.code },
      effectiveAt: record.effectiveAt,
    })),
  });
  for (const observation of found)
    known.set(
      observationKey(observation.category, observation.code, observation.effectiveAt),
      observation,
    );
  return known;
}

/**
 * One result: the same patient, category, code and time is the same observation, so a corrected
 * or final result replaces the preliminary one instead of adding a second, and the same result
 * sent again changes nothing. `changed` says whether its status or value changed (a new result).
 * `known` holds the patient's observations among the message's results (`knownObservations`);
 * the one created here joins it, so a result repeated within the message is the same one.
 */
export async function applyObservation(
  state: ApplyState,
  patient: Patient,
  encounter: Encounter | null,
  context: ObservationContext,
  record: ObservationRecord,
  known?: Map<string, Observation>,
): Promise<{ observation: Observation; changed: boolean }> {
  const code = coded(record.code)!;
  const key = observationKey(record.category, code, record.effectiveAt);
  const observations = known ?? (await knownObservations(state, patient, [record]));
  let observation = observations.get(key);
  const created = !observation;
  if (!observation) {
    observation = state.em.create(Observation, {
      tenantId: state.config.tenantId,
      patient,
      category: record.category,
      code,
      status: record.status,
      effectiveAt: record.effectiveAt,
    });
    observations.set(key, observation);
  }
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
    const known = await knownObservations(
      state,
      patient,
      results.orders.flatMap((order) => order.observations),
    );
    for (const order of results.orders)
      for (const result of order.observations) {
        const { observation, changed } = await applyObservation(
          state,
          patient,
          encounter,
          order,
          result,
          known,
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
