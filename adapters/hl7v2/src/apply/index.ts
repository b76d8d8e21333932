import type { Hl7v2Config } from '../config.js';
import { mapMessage, type MappingHooks } from '../mappings/index.js';
import type { MappedRecord } from '../mappings/records.js';
import type { ApplyResult, MessageApplier } from '../pipeline/apply-message.js';
import { applyAdt, applyMerge } from './adt.js';
import { senderKeyOf } from '../message/header.js';
import { ApplyState } from './apply-state.js';
import { applyAppointment } from './appointments.js';
import { applyDocument } from './documents.js';
import { applyImmunizations } from './immunizations.js';
import { applyMedicationOrders } from './medications.js';
import { applyProblems } from './problems.js';
import { applyResults } from './results.js';

/** Applies one kind of mapped record inside the message's write. */
export type RecordApplier<R extends MappedRecord = MappedRecord> = (
  record: R,
  state: ApplyState,
) => Promise<void>;

type Appliers = {
  [K in Exclude<MappedRecord['kind'], 'not-mapped'>]?: RecordApplier<
    Extract<MappedRecord, { kind: K }>
  >;
};

/** The appliers by record kind. */
const APPLIERS: Appliers = {
  adt: applyAdt,
  merge: applyMerge,
  results: applyResults,
  'device-results': applyResults,
  appointment: applyAppointment,
  immunizations: applyImmunizations,
  problems: applyProblems,
  'medication-orders': applyMedicationOrders,
  document: applyDocument,
};

/**
 * The applier of the adapter: maps a message (per-sender hooks first) and applies the record in
 * the message's write. A type no mapping or applier covers is "not mapped" (stored, acknowledged).
 */
export function messageApplier(): MessageApplier {
  return async (message, scope): Promise<ApplyResult> => {
    const config: Hl7v2Config = scope.config;
    const record = mapMessage(message, {
      hooks: config.hooks as MappingHooks,
      defaultTimeZone: config.defaultTimeZone,
    });
    if (record.kind === 'not-mapped')
      return { kind: 'not-mapped', records: [], note: record.reason };
    const apply = APPLIERS[record.kind] as RecordApplier | undefined;
    if (!apply)
      return {
        kind: 'not-mapped',
        records: [],
        note: `${record.kind} records are not applied yet.`,
      };
    const state = new ApplyState(scope.w, config, scope.messageId, senderKeyOf(message));
    await apply(record, state);
    return {
      kind: 'processed',
      mappingVersion: record.mappingVersion,
      patientId: state.patientId,
      records: [...state.records],
    };
  };
}
