/** PPR PC1/PC2/PC3 (PRB + NTE + OBX) → {@link ProblemsRecord}. */
import {
  ConditionClinicalStatus,
  ObservationCategory,
  VerificationStatus,
} from '@caregraph/schema';
import type { Hl7Message, Hl7Segment } from '../message/types.js';
import { dateField, dateTimeField, requireSegment } from './context.js';
import { comp, field, locate, notesAfter, readCoded, rep } from './datatypes.js';
import type { MappingContext } from './hooks.js';
import { MappingError } from './mapping-error.js';
import { observationOf } from './observation.js';
import { patientOf } from './patient.js';
import type { ConditionRecord, ProblemsRecord } from './records.js';

const EVENT = {
  PC1: { action: 'add', actionCode: 'AD' },
  PC2: { action: 'update', actionCode: 'UP' },
  PC3: { action: 'delete', actionCode: 'DE' },
} as const;

/** PRB-14 life cycle status (user-defined table: matched by code or text). */
const LIFE_CYCLE: Readonly<Record<string, ConditionClinicalStatus>> = {
  A: ConditionClinicalStatus.ACTIVE,
  ACTIVE: ConditionClinicalStatus.ACTIVE,
  I: ConditionClinicalStatus.INACTIVE,
  INACTIVE: ConditionClinicalStatus.INACTIVE,
  R: ConditionClinicalStatus.RESOLVED,
  RESOLVED: ConditionClinicalStatus.RESOLVED,
  REMISSION: ConditionClinicalStatus.REMISSION,
  RECURRENCE: ConditionClinicalStatus.RECURRENCE,
  RELAPSE: ConditionClinicalStatus.RELAPSE,
};

/** PRB-13 confirmation status (user-defined table: matched by code or text). */
const CONFIRMATION: Readonly<Record<string, VerificationStatus>> = {
  C: VerificationStatus.CONFIRMED,
  CONFIRMED: VerificationStatus.CONFIRMED,
  P: VerificationStatus.PROVISIONAL,
  PROVISIONAL: VerificationStatus.PROVISIONAL,
  D: VerificationStatus.DIFFERENTIAL,
  DIFFERENTIAL: VerificationStatus.DIFFERENTIAL,
  R: VerificationStatus.REFUTED,
  REFUTED: VerificationStatus.REFUTED,
  U: VerificationStatus.UNCONFIRMED,
  UNCONFIRMED: VerificationStatus.UNCONFIRMED,
};

function lookup<T>(table: Readonly<Record<string, T>>, seg: Hl7Segment, n: number): T | undefined {
  const r = rep(seg, n);
  return table[comp(r, 1)?.toUpperCase() ?? ''] ?? table[comp(r, 2)?.toUpperCase() ?? ''];
}

function conditionOf(
  msg: Hl7Message,
  prb: Hl7Segment,
  ctx: MappingContext,
  defaultActionCode: string,
): ConditionRecord {
  const code = readCoded(rep(prb, 3), ctx);
  if (!code) throw MappingError.requiredFieldMissing(locate(msg, prb, 3), 'problem ID');
  const abatement = dateField(msg, prb, 9);
  const condition: ConditionRecord = {
    actionCode: field(prb, 1)?.toUpperCase() ?? defaultActionCode,
    code,
    clinicalStatus:
      lookup(LIFE_CYCLE, prb, 14) ??
      (abatement ? ConditionClinicalStatus.RESOLVED : ConditionClinicalStatus.ACTIVE),
    verificationStatus: lookup(CONFIRMATION, prb, 13) ?? VerificationStatus.CONFIRMED,
    category: 'problem-list-item',
    observations: [],
  };
  const instance = field(prb, 4);
  if (instance) condition.problemInstanceId = instance;
  const onset = dateField(msg, prb, 16);
  if (onset) condition.onsetDate = onset.value;
  if (abatement) condition.abatementDate = abatement.value;
  const recordedAt = dateTimeField(msg, prb, 7, ctx) ?? dateTimeField(msg, prb, 2, ctx);
  if (recordedAt) condition.recordedAt = recordedAt;
  const note = notesAfter(msg, prb);
  if (note) condition.note = note;
  return condition;
}

/** Maps a PPR PC1 (add), PC2 (update) or PC3 (delete). */
export function mapProblems(
  msg: Hl7Message,
  event: 'PC1' | 'PC2' | 'PC3',
  ctx: MappingContext,
): ProblemsRecord {
  const pid = requireSegment(msg, 'PID', 'patient identification');
  requireSegment(msg, 'PRB', 'problem details');
  const problems: ConditionRecord[] = [];
  let current: ConditionRecord | undefined;
  for (const seg of msg.segments) {
    if (seg.name === 'PRB') {
      current = conditionOf(msg, seg, ctx, EVENT[event].actionCode);
      problems.push(current);
    } else if (seg.name === 'OBX' && current) {
      current.observations.push(
        observationOf(msg, seg, ctx, { category: ObservationCategory.LABORATORY }),
      );
    }
  }
  return {
    kind: 'problems',
    event,
    mappingVersion: 'ppr-1',
    action: EVENT[event].action,
    patient: patientOf(msg, pid, ctx),
    problems,
  };
}
