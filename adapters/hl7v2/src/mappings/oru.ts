/** ORU^R01 → lab {@link ResultsRecord}, or {@link DeviceResultsRecord} for IHE PCD-01. */
import { ObservationCategory } from '@caregraph/schema';
import type { Hl7Message, Hl7Segment } from '../message/types.js';
import { LOINC_SYSTEM, MDC_SYSTEM } from './code-systems.js';
import { dateTimeField, requireSegment } from './context.js';
import {
  comp,
  field,
  locate,
  notesAfter,
  readCoded,
  readPractitioner,
  rep,
  reps,
} from './datatypes.js';
import type { MappingContext } from './hooks.js';
import { MappingError } from './mapping-error.js';
import { observationOf, orderStatusOf, type ObservationDefaults } from './observation.js';
import { patientOf } from './patient.js';
import type {
  DeviceRef,
  DeviceResultsRecord,
  PatientResultsRecord,
  ResultOrderRecord,
  ResultsRecord,
} from './records.js';

/** The IHE PCD-01 message profile id of MSH-21. */
export const PCD_01_PROFILE = 'IHE_PCD_001';

/**
 * Whether an ORU^R01 comes from a device gateway (IHE PCD-01): MSH-21 names the PCD-01 profile,
 * an OBX-3 is an MDC code, or an OBX-18 is an EUI-64 equipment id. (An OBX-18 alone is not
 * enough: lab analysers send their instrument id there too.)
 */
export function isDeviceResult(msg: Hl7Message, ctx: MappingContext): boolean {
  const msh = msg.segment('MSH');
  if (reps(msh, 21).some((r) => comp(r, 1)?.toUpperCase() === PCD_01_PROFILE)) return true;
  return msg.all('OBX').some((obx) => {
    const code = rep(obx, 3);
    const systems = [comp(code, 3), comp(code, 6)].filter(Boolean);
    if (systems.some((s) => ctx.codeSystem(s) === MDC_SYSTEM)) return true;
    return reps(obx, 18).some((r) =>
      [comp(r, 2), comp(r, 3), comp(r, 4)].some((part) => part?.toUpperCase() === 'EUI-64'),
    );
  });
}

function orderOf(
  msg: Hl7Message,
  obr: Hl7Segment,
  orc: Hl7Segment | undefined,
  ctx: MappingContext,
): ResultOrderRecord {
  const serviceCode = readCoded(rep(obr, 4), ctx, [LOINC_SYSTEM]);
  if (!serviceCode) {
    throw MappingError.requiredFieldMissing(locate(msg, obr, 4), 'universal service identifier');
  }
  const order: ResultOrderRecord = { serviceCode, observations: [] };
  const placer = field(obr, 2) ?? field(orc, 2);
  const filler = field(obr, 3) ?? field(orc, 3);
  if (placer) order.placerOrderNumber = placer;
  if (filler) order.fillerOrderNumber = filler;
  const statusCode = field(obr, 25)?.toUpperCase();
  if (statusCode) {
    order.statusCode = statusCode;
    const status = orderStatusOf(statusCode);
    if (status) order.status = status;
  }
  const observedAt = dateTimeField(msg, obr, 7, ctx);
  const issuedAt = dateTimeField(msg, obr, 22, ctx);
  if (observedAt) order.observedAt = observedAt;
  if (issuedAt) order.issuedAt = issuedAt;
  const orderingProvider = readPractitioner(rep(obr, 16), ctx);
  if (orderingProvider) order.orderingProvider = orderingProvider;
  const note = notesAfter(msg, obr);
  if (note) order.note = note;
  return order;
}

function resultsOf(msg: Hl7Message, ctx: MappingContext, device: boolean): PatientResultsRecord[] {
  requireSegment(msg, 'PID', 'patient identification');
  const results: PatientResultsRecord[] = [];
  let group: PatientResultsRecord | undefined;
  let orc: Hl7Segment | undefined;
  let order: ResultOrderRecord | undefined;
  let defaults: ObservationDefaults | undefined;
  let lastDevice: DeviceRef | undefined;
  for (const seg of msg.segments) {
    switch (seg.name) {
      case 'PID':
        group = { patient: patientOf(msg, seg, ctx), orders: [] };
        results.push(group);
        orc = undefined;
        order = undefined;
        break;
      case 'PV1': {
        const visitNumber = field(seg, 19);
        if (group && visitNumber) group.visitNumber = visitNumber;
        break;
      }
      case 'ORC':
        orc = seg;
        break;
      case 'OBR':
        if (!group) break;
        order = orderOf(msg, seg, orc, ctx);
        group.orders.push(order);
        defaults = {
          category: device ? ObservationCategory.DEVICE : ObservationCategory.LABORATORY,
          ...(order.observedAt && { observedAt: order.observedAt }),
          ...(order.issuedAt && { issuedAt: order.issuedAt }),
          ...(order.statusCode && { statusCode: order.statusCode }),
          preferSystems: device ? [MDC_SYSTEM, LOINC_SYSTEM] : [LOINC_SYSTEM],
        };
        break;
      case 'OBX': {
        if (!group) break;
        if (!order || !defaults) {
          throw MappingError.requiredFieldMissing({ segment: 'OBR' }, 'observation request');
        }
        const observation = observationOf(msg, seg, ctx, defaults);
        if (observation.device) lastDevice = observation.device;
        else if (device && lastDevice) observation.device = lastDevice;
        // PCD-01 rows without a value are the device containment tree (MDS, VMD, channel).
        if (device && reps(seg, 5).length === 0) break;
        order.observations.push(observation);
        break;
      }
    }
  }
  return results;
}

/** Maps an ORU^R01 of a lab or another results system. */
export function mapResults(msg: Hl7Message, ctx: MappingContext): ResultsRecord {
  return {
    kind: 'results',
    event: 'R01',
    mappingVersion: 'oru-1',
    results: resultsOf(msg, ctx, false),
  };
}

/** Maps an ORU^R01 of a device gateway (IHE PCD-01). */
export function mapDeviceResults(msg: Hl7Message, ctx: MappingContext): DeviceResultsRecord {
  return {
    kind: 'device-results',
    event: 'R01',
    mappingVersion: 'pcd-1',
    results: resultsOf(msg, ctx, true),
  };
}
