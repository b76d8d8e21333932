import { RecordLink } from '../store/record-link.js';
import type { ApplyState } from './apply-state.js';

/** The key of a sender's name for a record. */
export interface LinkKey {
  kind: string;
  system: string;
  externalId: string;
}

/** The id of the record a sender's key names, if linked. */
export async function linkedRecord(state: ApplyState, key: LinkKey): Promise<string | undefined> {
  const link = await state.em.findOne(RecordLink, { ...key }, { fields: ['recordId'] });
  return link?.recordId;
}

/** Links a sender's key to a record (in the message's transaction). */
export function linkRecord(state: ApplyState, key: LinkKey, recordType: string, recordId: string) {
  state.em.create(RecordLink, { tenantId: state.config.tenantId, ...key, recordType, recordId });
}
