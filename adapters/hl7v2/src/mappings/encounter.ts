/** PV1 (+ PV2) → encounter, with the meaning of the ADT event. */
import { EncounterClass, EncounterStatus } from '@caregraph/schema';
import type { Hl7Message, Hl7Segment } from '../message/types.js';
import { dateTimeField, eventTime } from './context.js';
import {
  codedText,
  field,
  fieldState,
  locate,
  readCoded,
  readLocation,
  readPractitioner,
  rep,
} from './datatypes.js';
import type { MappingContext } from './hooks.js';
import { MappingError } from './mapping-error.js';
import type { AdtEvent, EncounterAction, EncounterRecord } from './records.js';

/** What each ADT event does to the encounter, and the encounter's status after it. */
const EVENT_ACTION: Readonly<
  Partial<
    Record<AdtEvent, { action: EncounterAction; status?: EncounterStatus; class?: EncounterClass }>
  >
> = {
  A01: { action: 'admit', status: EncounterStatus.IN_PROGRESS, class: EncounterClass.INPATIENT },
  A02: { action: 'transfer', status: EncounterStatus.IN_PROGRESS },
  A03: { action: 'discharge', status: EncounterStatus.FINISHED },
  A04: {
    action: 'register',
    status: EncounterStatus.IN_PROGRESS,
    class: EncounterClass.AMBULATORY,
  },
  A05: { action: 'pre-admit', status: EncounterStatus.PLANNED, class: EncounterClass.INPATIENT },
  A06: {
    action: 'change-to-inpatient',
    status: EncounterStatus.IN_PROGRESS,
    class: EncounterClass.INPATIENT,
  },
  A07: {
    action: 'change-to-outpatient',
    status: EncounterStatus.IN_PROGRESS,
    class: EncounterClass.AMBULATORY,
  },
  A08: { action: 'update' },
  A11: { action: 'cancel-admit', status: EncounterStatus.CANCELLED },
  A12: { action: 'cancel-transfer', status: EncounterStatus.IN_PROGRESS },
  A13: { action: 'cancel-discharge', status: EncounterStatus.IN_PROGRESS },
};

/**
 * PV1-2 patient class (table 0004, plus the two-letter forms some systems send) → class.
 * N (not applicable), U (unknown) and C (commercial account) say nothing: the event decides.
 */
const PATIENT_CLASS: Readonly<Record<string, EncounterClass | null>> = {
  I: EncounterClass.INPATIENT,
  IP: EncounterClass.INPATIENT,
  P: EncounterClass.INPATIENT,
  B: EncounterClass.INPATIENT,
  O: EncounterClass.AMBULATORY,
  OP: EncounterClass.AMBULATORY,
  R: EncounterClass.AMBULATORY,
  E: EncounterClass.EMERGENCY,
  ER: EncounterClass.EMERGENCY,
  ED: EncounterClass.EMERGENCY,
  OBS: EncounterClass.OBSERVATION,
  N: null,
  U: null,
  C: null,
};

/** Whether the ADT event carries an encounter (A28/A31 are about the person only). */
export function eventHasEncounter(event: AdtEvent): boolean {
  return EVENT_ACTION[event] !== undefined;
}

/** PV1-2 → class; 103 for a code outside table 0004. */
function classOf(
  msg: Hl7Message,
  pv1: Hl7Segment,
  fallback: EncounterClass | undefined,
): EncounterClass {
  const code = field(pv1, 2)?.toUpperCase();
  if (code !== undefined) {
    const mapped = PATIENT_CLASS[code];
    if (mapped === undefined) throw MappingError.tableValueNotFound(locate(msg, pv1, 2), '0004');
    if (mapped !== null) return mapped;
  }
  return fallback ?? EncounterClass.AMBULATORY;
}

/**
 * PV1 → {@link EncounterRecord} for an event that has one (see {@link eventHasEncounter}).
 * 101 at PV1 when the segment is missing.
 */
export function encounterOf(
  msg: Hl7Message,
  event: AdtEvent,
  ctx: MappingContext,
): EncounterRecord | undefined {
  const meaning = EVENT_ACTION[event];
  if (!meaning) return undefined;
  const pv1 = msg.segment('PV1');
  // An A08 may update the person only: no PV1, or a PV1 of class N without a visit number.
  if (event === 'A08' && (!pv1 || (field(pv1, 2)?.toUpperCase() === 'N' && !field(pv1, 19)))) {
    return undefined;
  }
  if (!pv1) throw MappingError.requiredFieldMissing({ segment: 'PV1' }, 'patient visit');
  const pv2 = msg.segment('PV2');

  const admitted = dateTimeField(msg, pv1, 44, ctx);
  const discharged = dateTimeField(msg, pv1, 45, ctx);
  const periodStart = admitted ?? eventTime(msg, ctx);
  if (!periodStart) {
    throw MappingError.requiredFieldMissing(locate(msg, pv1, 44), 'admit date/time');
  }
  // A08 states where the visit is: finished once a discharge time is known.
  const status =
    meaning.status ?? (discharged ? EncounterStatus.FINISHED : EncounterStatus.IN_PROGRESS);
  const encounter: EncounterRecord = {
    action: meaning.action,
    status,
    class: classOf(
      msg,
      pv1,
      meaning.class ?? (event === 'A04' ? EncounterClass.AMBULATORY : undefined),
    ),
    periodStart,
    periodStartKnown: admitted !== undefined,
  };
  // A06/A07 change the class whatever PV1-2 says (some senders still send the old one).
  if (event === 'A06' || event === 'A07') encounter.class = meaning.class!;

  const visitNumber = field(pv1, 19);
  if (visitNumber) encounter.visitNumber = visitNumber;
  const type = readCoded(rep(pv1, 10), ctx, [], '0069');
  if (type) encounter.type = type;
  if (event === 'A13' || fieldState(pv1, 45) === 'null') encounter.periodEnd = null;
  else if (discharged) encounter.periodEnd = discharged;
  const location = readLocation(rep(pv1, 3));
  if (location) encounter.location = location;
  const prior = readLocation(rep(pv1, 6));
  if (prior) encounter.priorLocation = prior;
  const attending = readPractitioner(rep(pv1, 7), ctx);
  if (attending) encounter.attending = attending;
  const reason = codedText(readCoded(rep(pv2, 3), ctx));
  if (reason) encounter.reason = reason;
  return encounter;
}
