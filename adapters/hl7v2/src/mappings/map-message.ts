/** The mapping registry: picks the extractor by MSH-9 and applies the sender's hooks. */
import { isValidTimeZone } from '@caregraph/schema';
import type { Hl7Message } from '../message/types.js';
import { ADT_EVENTS, mapAdt, mapMerge } from './adt.js';
import { field } from './datatypes.js';
import { createContext } from './context.js';
import { hooksFor, type MappingContext, type MappingHooks } from './hooks.js';
import { MappingError } from './mapping-error.js';
import { mapDocument } from './mdm.js';
import { isDeviceResult, mapDeviceResults, mapResults } from './oru.js';
import { mapProblems } from './ppr.js';
import { mapMedicationOrders } from './rde.js';
import type { AdtEvent, MappedRecord, SiuEvent } from './records.js';
import { mapAppointment, SIU_EVENTS } from './siu.js';
import { mapImmunizations } from './vxu.js';

/** Options of {@link mapMessage}. */
export interface MapMessageOptions {
  /** Per-sender hooks (see {@link MappingHooks}). */
  hooks?: MappingHooks;
  /**
   * IANA zone for date/times sent without an offset (`20240105103000`); `UTC` by default. A
   * sender's `defaultTimeZone` hook wins.
   */
  defaultTimeZone?: string;
}

/** MSH-9 as the registry reads it: code, trigger (MSH-9.2, else EVN-1), structure. */
export interface MessageType {
  code: string;
  trigger?: string;
  structure?: string;
}

/** The message type of a message, with the trigger taken from EVN-1 when MSH-9.2 is empty. */
export function messageTypeOf(msg: Hl7Message): MessageType {
  const type: MessageType = { code: msg.header.messageCode.trim().toUpperCase() };
  const trigger = (msg.header.triggerEvent ?? field(msg.segment('EVN'), 1))?.trim().toUpperCase();
  const structure = msg.header.messageStructure?.trim().toUpperCase();
  if (trigger) type.trigger = trigger;
  if (structure) type.structure = structure;
  return type;
}

/** `ADT^A01` style. */
function typeName(type: MessageType): string {
  return type.trigger ? `${type.code}^${type.trigger}` : type.code;
}

/** The message types the adapter maps, with their mapping version (for docs and the store). */
export const MAPPED_MESSAGE_TYPES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(ADT_EVENTS.map((e) => [`ADT^${e}`, 'adt-1'])),
  'ADT^A40': 'adt-1',
  'ORU^R01': 'oru-1 (pcd-1 for IHE PCD-01)',
  ...Object.fromEntries(SIU_EVENTS.map((e) => [`SIU^${e}`, 'siu-1'])),
  'VXU^V04': 'vxu-1',
  'MDM^T02': 'mdm-1',
  'PPR^PC1': 'ppr-1',
  'PPR^PC2': 'ppr-1',
  'PPR^PC3': 'ppr-1',
  'RDE^O11': 'rde-1',
  'RDE^O01': 'rde-1',
};

function defaultMapping(msg: Hl7Message, type: MessageType, ctx: MappingContext): MappedRecord {
  const trigger = type.trigger ?? '';
  switch (type.code) {
    case 'ADT':
      if (trigger === 'A40') return mapMerge(msg, ctx);
      if ((ADT_EVENTS as readonly string[]).includes(trigger)) {
        return mapAdt(msg, trigger as AdtEvent, ctx);
      }
      break;
    case 'ORU':
      if (trigger === 'R01') {
        return isDeviceResult(msg, ctx) ? mapDeviceResults(msg, ctx) : mapResults(msg, ctx);
      }
      break;
    case 'SIU':
      if ((SIU_EVENTS as readonly string[]).includes(trigger)) {
        return mapAppointment(msg, trigger as SiuEvent, ctx);
      }
      break;
    case 'VXU':
      if (trigger === 'V04') return mapImmunizations(msg, ctx);
      break;
    case 'MDM':
      if (trigger === 'T02') return mapDocument(msg, ctx);
      break;
    case 'PPR':
      if (trigger === 'PC1' || trigger === 'PC2' || trigger === 'PC3') {
        return mapProblems(msg, trigger, ctx);
      }
      break;
    case 'RDE':
      if (trigger === 'O11' || trigger === 'O01') return mapMedicationOrders(msg, trigger, ctx);
      break;
  }
  return {
    kind: 'not-mapped',
    messageType: typeName(type),
    reason: `${typeName(type)} has no mapping: stored, not applied`,
  };
}

/**
 * Maps a parsed message to the record the pipeline applies. Chooses the extractor by MSH-9
 * (code and trigger; EVN-1 when MSH-9.2 is empty), runs the sender's `before` hook, the
 * extractor (or the sender's replacement), then the `after` hook. Message types without a mapping
 * give a `not-mapped` record.
 *
 * @throws MappingError with `hl7Code` 101/102/103 and a `location` when the message cannot be
 *   mapped as sent (answer AE), 207 when a hook or the mapping itself failed.
 */
export function mapMessage(msg: Hl7Message, options: MapMessageOptions = {}): MappedRecord {
  const hooks = hooksFor(msg, options.hooks);
  const timeZone = hooks.defaultTimeZone ?? options.defaultTimeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) {
    throw MappingError.internal(new RangeError(`Unknown time zone: ${timeZone}`));
  }
  try {
    let message = msg;
    let ctx = createContext(message, hooks, timeZone);
    const replaced = hooks.before?.(message, ctx);
    if (replaced) {
      message = replaced;
      ctx = createContext(message, hooks, timeZone);
    }
    const type = messageTypeOf(message);
    const custom = type.trigger ? hooks.extractors?.[`${type.code}^${type.trigger}`] : undefined;
    const record = custom ? custom(message, ctx) : defaultMapping(message, type, ctx);
    return hooks.after ? hooks.after(message, record, ctx) : record;
  } catch (error) {
    if (error instanceof MappingError) throw error;
    throw MappingError.internal(error);
  }
}
