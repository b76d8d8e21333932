/** SIU S12…S26 (SCH, TQ1, AIS/AIG/AIL/AIP, PID) → {@link AppointmentRecord}. */
import { AppointmentStatus } from '@caregraph/schema';
import type { Hl7Message, Hl7Segment } from '../message/types.js';
import { dateTimeField, dateTimeOf, eventTime, numberField, requireSegment } from './context.js';
import {
  codedText,
  comp,
  field,
  locate,
  readCoded,
  readLocation,
  readPractitioner,
  rep,
} from './datatypes.js';
import type { MappingContext } from './hooks.js';
import { MappingError } from './mapping-error.js';
import { patientOf } from './patient.js';
import type {
  AppointmentAction,
  AppointmentDetailsRecord,
  AppointmentPractitionerRecord,
  AppointmentRecord,
  SiuEvent,
} from './records.js';

/** The SIU events {@link mapAppointment} handles. */
export const SIU_EVENTS: readonly SiuEvent[] = ['S12', 'S13', 'S14', 'S15', 'S17', 'S26'];

const EVENT: Readonly<Record<SiuEvent, { action: AppointmentAction; status?: AppointmentStatus }>> =
  {
    S12: { action: 'book' },
    S13: { action: 'reschedule' },
    S14: { action: 'modify' },
    S15: { action: 'cancel', status: AppointmentStatus.CANCELLED },
    S17: { action: 'delete', status: AppointmentStatus.ENTERED_IN_ERROR },
    S26: { action: 'no-show', status: AppointmentStatus.NO_SHOW },
  };

/** SCH-25 filler status (table 0278) → status, for S12/S13/S14. */
const FILLER_STATUS: Readonly<Record<string, AppointmentStatus>> = {
  BOOKED: AppointmentStatus.BOOKED,
  OVERBOOK: AppointmentStatus.BOOKED,
  PENDING: AppointmentStatus.PENDING,
  WAITLIST: AppointmentStatus.WAITLIST,
  STARTED: AppointmentStatus.ARRIVED,
  COMPLETE: AppointmentStatus.FULFILLED,
  CANCELLED: AppointmentStatus.CANCELLED,
  DC: AppointmentStatus.CANCELLED,
  NOSHOW: AppointmentStatus.NO_SHOW,
  DELETED: AppointmentStatus.ENTERED_IN_ERROR,
};

/** Minutes in one duration unit (SCH-10, AIS-8…: ISO+/ANSI/UCUM codes); minutes by default. */
function unitMinutes(unit: string | undefined): number | undefined {
  const u = (unit ?? 'MIN').toUpperCase();
  if (['MIN', 'M', 'MINUTE', 'MINUTES'].includes(u)) return 1;
  if (['S', 'SEC', 'SECOND', 'SECONDS'].includes(u)) return 1 / 60;
  if (['H', 'HR', 'HOUR', 'HOURS'].includes(u)) return 60;
  if (['D', 'DAY', 'DAYS'].includes(u)) return 24 * 60;
  return undefined;
}

/** A duration field with its unit field, in minutes; 103 for an unknown unit. */
function durationOf(
  msg: Hl7Message,
  seg: Hl7Segment | undefined,
  n: number,
  unitField: number,
): number | undefined {
  const amount = numberField(msg, seg, n);
  if (amount === undefined || !seg) return undefined;
  const perUnit = unitMinutes(field(seg, unitField));
  if (perUnit === undefined)
    throw MappingError.tableValueNotFound(locate(msg, seg, unitField), 'ISO+');
  return amount * perUnit;
}

/** TQ-3 duration (`M30`, `H1`, `S90`, `D2`) in minutes. */
function tqDuration(text: string | undefined): number | undefined {
  const m = /^([SMHD])(\d+(?:\.\d+)?)$/i.exec(text ?? '');
  return m ? Number(m[2]) * unitMinutes(m[1])! : undefined;
}

/** Maps an SIU message of one of {@link SIU_EVENTS}. */
export function mapAppointment(
  msg: Hl7Message,
  event: SiuEvent,
  ctx: MappingContext,
): AppointmentRecord {
  const sch = requireSegment(msg, 'SCH', 'schedule activity information');
  const tq1 = msg.segment('TQ1');
  const ais = msg.segment('AIS');
  const ail = msg.segment('AIL');
  const aip = msg.segment('AIP');
  const aig = msg.segment('AIG');
  const timing = rep(sch, 11);

  const start =
    dateTimeOf(msg, sch, 11, timing, ctx, 4) ??
    dateTimeField(msg, tq1, 7, ctx) ??
    dateTimeField(msg, ais, 4, ctx) ??
    dateTimeField(msg, ail, 6, ctx) ??
    dateTimeField(msg, aip, 6, ctx) ??
    dateTimeField(msg, aig, 8, ctx);
  if (!start) throw MappingError.requiredFieldMissing(locate(msg, sch, 11, 4), 'appointment start');
  const minutes =
    durationOf(msg, sch, 9, 10) ??
    durationOf(msg, ais, 7, 8) ??
    durationOf(msg, ail, 9, 10) ??
    durationOf(msg, aip, 9, 10) ??
    durationOf(msg, aig, 11, 12) ??
    tqDuration(comp(timing, 3));
  const end =
    dateTimeOf(msg, sch, 11, timing, ctx, 5) ??
    dateTimeField(msg, tq1, 8, ctx) ??
    (minutes === undefined ? undefined : new Date(start.getTime() + minutes * 60_000));
  if (!end) throw MappingError.requiredFieldMissing(locate(msg, sch, 9), 'appointment duration');

  const meaning = EVENT[event];
  const fillerStatusCode = field(sch, 25);
  const appointment: AppointmentDetailsRecord = {
    status:
      meaning.status ??
      FILLER_STATUS[fillerStatusCode?.toUpperCase() ?? ''] ??
      AppointmentStatus.BOOKED,
    start,
    end,
    practitioners: msg.all('AIP').flatMap((seg): AppointmentPractitionerRecord[] => {
      const practitioner = readPractitioner(rep(seg, 3), ctx);
      if (!practitioner) return [];
      // AppointmentParticipant.role holds a v3 ParticipationType code (ATND, PPRF): code first.
      const coded = readCoded(rep(seg, 4), ctx);
      const role = coded?.code ?? coded?.display;
      return [role ? { practitioner, role } : { practitioner }];
    }),
  };
  const placer = field(sch, 1);
  const filler = field(sch, 2);
  if (placer) appointment.placerAppointmentId = placer;
  if (filler) appointment.fillerAppointmentId = filler;
  if (fillerStatusCode) appointment.fillerStatusCode = fillerStatusCode;
  const serviceType = readCoded(rep(ais, 3), ctx) ?? readCoded(rep(sch, 8), ctx);
  if (serviceType) appointment.serviceType = serviceType;
  const description = codedText(readCoded(rep(sch, 7), ctx));
  if (description) appointment.description = description;
  const location = readLocation(rep(ail, 3));
  if (location) appointment.location = location;
  if (appointment.practitioners[0])
    appointment.practitioner = appointment.practitioners[0].practitioner;
  if (event === 'S15' || event === 'S17') {
    const reason = codedText(readCoded(rep(sch, 6), ctx));
    if (reason) appointment.cancellationReason = reason;
    const at = eventTime(msg, ctx);
    if (at) appointment.cancelledAt = at;
  }

  const record: AppointmentRecord = {
    kind: 'appointment',
    event,
    mappingVersion: 'siu-1',
    action: meaning.action,
    appointment,
  };
  const pid = msg.segment('PID');
  if (pid) record.patient = patientOf(msg, pid, ctx);
  else if (event === 'S12') requireSegment(msg, 'PID', 'patient identification');
  return record;
}
