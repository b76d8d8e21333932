import type { MessageApplier } from './apply-message.js';

/** The applier of every mapped message type (filled in with the mappings). */
export function messageApplier(): MessageApplier {
  return async (message) => ({
    kind: 'not-mapped',
    records: [],
    note: `No mapping for ${message.header.messageCode}.`,
  });
}
