import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import type { MessageHeader } from './types.js';

/** What an interface accepts (see {@link checkHeader}). */
export interface HeaderPolicy {
  /**
   * Accepted message types (MSH-9.1) and, for each, its trigger events (MSH-9.2), or `'*'` for
   * any event. Omitted: any type.
   */
  messageTypes?: Readonly<Record<string, readonly string[] | '*'>>;
  /** Accepted processing ids (MSH-11.1). Default `['P', 'T', 'D']` (HL7 table 0103). */
  processingIds?: readonly string[];
}

const msh = (field: number, component?: number) =>
  component === undefined
    ? { segment: 'MSH', sequence: 1, field }
    : { segment: 'MSH', sequence: 1, field, component };

/**
 * Checks a parsed header against what an interface accepts; throws the coded rejection (AR,
 * table 0357 `200`, `201` or `202`) that the ACK reports. A missing MSH-11 is accepted (many
 * feeds leave it empty); an unknown value is not.
 */
export function checkHeader(header: MessageHeader, policy: HeaderPolicy = {}): void {
  const types = policy.messageTypes;
  if (types) {
    const events = types[header.messageCode];
    if (events === undefined) {
      throw new Hl7Error(
        Hl7ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
        'Unsupported message type (MSH-9.1).',
        {
          location: msh(9, 1),
        },
      );
    }
    if (events !== '*' && !(header.triggerEvent && events.includes(header.triggerEvent))) {
      throw new Hl7Error(Hl7ErrorCode.UNSUPPORTED_EVENT, 'Unsupported trigger event (MSH-9.2).', {
        location: msh(9, 2),
      });
    }
  }
  const ids = policy.processingIds ?? ['P', 'T', 'D'];
  if (header.processingId !== undefined && !ids.includes(header.processingId)) {
    throw new Hl7Error(
      Hl7ErrorCode.UNSUPPORTED_PROCESSING_ID,
      'Unsupported processing id (MSH-11).',
      {
        location: msh(11),
      },
    );
  }
}
