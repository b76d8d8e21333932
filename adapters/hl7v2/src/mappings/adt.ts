/** ADT A01…A31 → {@link AdtRecord}; ADT A40 → {@link MergeRecord}. */
import type { Hl7Message, Hl7Segment } from '../message/types.js';
import { eventTime, requireSegment } from './context.js';
import { encounterOf, eventHasEncounter } from './encounter.js';
import type { MappingContext } from './hooks.js';
import { MappingError } from './mapping-error.js';
import { identifiersOf, patientOf, primaryCareProviderOf, relatedPersonOf } from './patient.js';
import type { AdtEvent, AdtRecord, MergePair, MergeRecord } from './records.js';

/** The ADT events {@link mapAdt} handles. */
export const ADT_EVENTS: readonly AdtEvent[] = [
  'A01',
  'A02',
  'A03',
  'A04',
  'A05',
  'A06',
  'A07',
  'A08',
  'A11',
  'A12',
  'A13',
  'A28',
  'A31',
];

/** Maps an ADT message of one of {@link ADT_EVENTS}. */
export function mapAdt(msg: Hl7Message, event: AdtEvent, ctx: MappingContext): AdtRecord {
  const pid = requireSegment(msg, 'PID', 'patient identification');
  const record: AdtRecord = {
    kind: 'adt',
    event,
    mappingVersion: 'adt-1',
    patient: patientOf(msg, pid, ctx),
    relatedPersons: msg.all('NK1').flatMap((nk1) => relatedPersonOf(msg, nk1, ctx) ?? []),
  };
  const occurredAt = eventTime(msg, ctx);
  if (occurredAt) record.occurredAt = occurredAt;
  if (eventHasEncounter(event)) {
    const encounter = encounterOf(msg, event, ctx);
    if (encounter) record.encounter = encounter;
  }
  const pcp = primaryCareProviderOf(msg, ctx);
  if (pcp) record.primaryCareProvider = pcp;
  return record;
}

/**
 * Maps an ADT A40. Each PID is followed by the MRG that names the patient merged into it; a PID
 * without an MRG is a 101 at MRG.
 */
export function mapMerge(msg: Hl7Message, ctx: MappingContext): MergeRecord {
  requireSegment(msg, 'PID', 'patient identification');
  const pairs: MergePair[] = [];
  let pid: Hl7Segment | undefined;
  for (const seg of msg.segments) {
    if (seg.name === 'PID') {
      if (pid)
        throw MappingError.requiredFieldMissing({ segment: 'MRG' }, 'merge patient information');
      pid = seg;
    } else if (seg.name === 'MRG' && pid) {
      pairs.push({
        survivor: identifiersOf(msg, pid, 3, ctx),
        merged: identifiersOf(msg, seg, 1, ctx, 'old'),
        patient: patientOf(msg, pid, ctx),
      });
      pid = undefined;
    }
  }
  if (pid || pairs.length === 0) {
    throw MappingError.requiredFieldMissing({ segment: 'MRG' }, 'merge patient information');
  }
  const [first, ...rest] = pairs;
  return { kind: 'merge', event: 'A40', mappingVersion: 'adt-1', ...first!, additionalPairs: rest };
}
