/** RDE^O11 / RDE^O01 (ORC + RXO/RXE + RXR + TQ1) → {@link MedicationOrdersRecord}. */
import { MedicationRequestStatus } from '@caregraph/schema';
import type { Hl7Message, Hl7Segment } from '../message/types.js';
import { dateTimeField, numberField, requireField, requireSegment } from './context.js';
import {
  codedText,
  comp,
  field,
  locate,
  notesAfter,
  readCoded,
  readPractitioner,
  rep,
} from './datatypes.js';
import type { MappingContext } from './hooks.js';
import { MappingError } from './mapping-error.js';
import { patientOf } from './patient.js';
import type { MedicationOrdersRecord, MedicationRequestRecord } from './records.js';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const NDC = 'http://hl7.org/fhir/sid/ndc';

/** ORC-1 order control (table 0119) → status. */
const ORDER_CONTROL: Readonly<Record<string, MedicationRequestStatus>> = {
  NW: MedicationRequestStatus.ACTIVE,
  OK: MedicationRequestStatus.ACTIVE,
  XO: MedicationRequestStatus.ACTIVE,
  XX: MedicationRequestStatus.ACTIVE,
  RP: MedicationRequestStatus.ACTIVE,
  RU: MedicationRequestStatus.ACTIVE,
  RL: MedicationRequestStatus.ACTIVE,
  OR: MedicationRequestStatus.ACTIVE,
  SC: MedicationRequestStatus.ACTIVE,
  RE: MedicationRequestStatus.ACTIVE,
  CA: MedicationRequestStatus.CANCELLED,
  OC: MedicationRequestStatus.CANCELLED,
  CR: MedicationRequestStatus.CANCELLED,
  DC: MedicationRequestStatus.STOPPED,
  OD: MedicationRequestStatus.STOPPED,
  DR: MedicationRequestStatus.STOPPED,
  HD: MedicationRequestStatus.ON_HOLD,
  OH: MedicationRequestStatus.ON_HOLD,
};

/** ORC-5 order status (table 0038) → status; wins over ORC-1 when given. */
const ORDER_STATUS: Readonly<Record<string, MedicationRequestStatus>> = {
  A: MedicationRequestStatus.ACTIVE,
  IP: MedicationRequestStatus.ACTIVE,
  SC: MedicationRequestStatus.ACTIVE,
  CA: MedicationRequestStatus.CANCELLED,
  CM: MedicationRequestStatus.COMPLETED,
  DC: MedicationRequestStatus.STOPPED,
  RP: MedicationRequestStatus.STOPPED,
  ER: MedicationRequestStatus.ENTERED_IN_ERROR,
  HD: MedicationRequestStatus.ON_HOLD,
};

/** A unit field (CE): its code, else its text. */
function unitText(seg: Hl7Segment | undefined, n: number): string | undefined {
  return comp(rep(seg, n), 1) ?? comp(rep(seg, n), 2);
}

interface OrderSegments {
  orc: Hl7Segment;
  rxo?: Hl7Segment;
  rxe?: Hl7Segment;
  rxr?: Hl7Segment;
  tq1?: Hl7Segment;
  notes: string[];
}

function orderOf(msg: Hl7Message, o: OrderSegments, ctx: MappingContext): MedicationRequestRecord {
  const orderControl = requireField(msg, o.orc, 1, 'order control').toUpperCase();
  const orderStatus = field(o.orc, 5)?.toUpperCase();
  const status = ORDER_STATUS[orderStatus ?? ''] ?? ORDER_CONTROL[orderControl];
  if (!status) throw MappingError.tableValueNotFound(locate(msg, o.orc, 1), '0119');
  const prefer = [RXNORM, NDC];
  const medication = readCoded(rep(o.rxe, 2), ctx, prefer) ?? readCoded(rep(o.rxo, 1), ctx, prefer);
  if (!medication) {
    const seg = o.rxe ?? o.rxo;
    throw seg
      ? MappingError.requiredFieldMissing(locate(msg, seg, o.rxe ? 2 : 1), 'give code')
      : MappingError.requiredFieldMissing({ segment: 'RXE' }, 'pharmacy/treatment encoded order');
  }
  const order: MedicationRequestRecord = { orderControl, medication, status, intent: 'order' };
  if (orderStatus) order.orderStatus = orderStatus;
  const placer = field(o.orc, 2);
  const filler = field(o.orc, 3);
  if (placer) order.placerOrderNumber = placer;
  if (filler) order.fillerOrderNumber = filler;
  const dose = numberField(msg, o.rxe, 3) ?? numberField(msg, o.rxo, 2);
  if (dose !== undefined) order.dose = dose;
  const doseUnit = unitText(o.rxe, 5) ?? unitText(o.rxo, 4);
  if (doseUnit) order.doseUnit = doseUnit;
  const route = codedText(readCoded(rep(o.rxr, 1), ctx));
  if (route) order.route = route;
  const frequency = comp(rep(o.tq1, 3), 1) ?? comp(rep(o.rxe, 1), 2) ?? comp(rep(o.orc, 7), 2);
  if (frequency) order.frequency = frequency;
  const quantity = numberField(msg, o.rxe, 10) ?? numberField(msg, o.rxo, 11);
  if (quantity !== undefined) order.quantity = quantity;
  const quantityUnit = unitText(o.rxe, 11) ?? unitText(o.rxo, 12);
  if (quantityUnit) order.quantityUnit = quantityUnit;
  const refills = numberField(msg, o.rxe, 12) ?? numberField(msg, o.rxo, 13);
  if (refills !== undefined) order.refillsAllowed = refills;
  const authoredOn = dateTimeField(msg, o.orc, 9, ctx);
  if (authoredOn) order.authoredOn = authoredOn;
  const requester = readPractitioner(rep(o.orc, 12), ctx);
  if (requester) order.requester = requester;
  const dosage = [dose, doseUnit, route, frequency].filter((p) => p !== undefined).join(' ');
  if (dosage) order.dosageText = dosage;
  if (o.notes.length > 0) order.note = o.notes.join('\n');
  return order;
}

/** Maps an RDE^O11 or RDE^O01: one medication request per ORC. */
export function mapMedicationOrders(
  msg: Hl7Message,
  event: 'O11' | 'O01',
  ctx: MappingContext,
): MedicationOrdersRecord {
  const pid = requireSegment(msg, 'PID', 'patient identification');
  requireSegment(msg, 'ORC', 'common order');
  const groups: OrderSegments[] = [];
  let current: OrderSegments | undefined;
  for (const seg of msg.segments) {
    if (seg.name === 'ORC') {
      current = { orc: seg, notes: [] };
      groups.push(current);
    } else if (current) {
      if (seg.name === 'RXO' && !current.rxo) current.rxo = seg;
      else if (seg.name === 'RXE' && !current.rxe) current.rxe = seg;
      else if (seg.name === 'RXR' && !current.rxr) current.rxr = seg;
      else if (seg.name === 'TQ1' && !current.tq1) current.tq1 = seg;
      if (['ORC', 'RXO', 'RXE'].includes(seg.name)) {
        const note = notesAfter(msg, seg);
        if (note) current.notes.push(note);
      }
    }
  }
  for (const group of groups) {
    const note = notesAfter(msg, group.orc);
    if (note) group.notes.unshift(note);
  }
  return {
    kind: 'medication-orders',
    event,
    mappingVersion: 'rde-1',
    patient: patientOf(msg, pid, ctx),
    orders: groups.map((g) => orderOf(msg, g, ctx)),
  };
}
