import { lockKey } from '../store/message-store.js';
import { RecordLink } from '../store/record-link.js';
import type { ApplyState } from './apply-state.js';

/** The key of a sender's name for a record. */
export interface LinkKey {
  kind: string;
  system: string;
  externalId: string;
}

/**
 * The id of the record a sender's key names, if linked. When it is not, a transaction-scoped
 * lock on the key is taken and the lookup repeated: two messages naming a new record at once
 * (the same new attending on two connections) then create it once, the second finding the
 * first's link after its commit. A known key costs one lookup and no lock.
 */
export async function linkedRecord(state: ApplyState, key: LinkKey): Promise<string | undefined> {
  const find = async () =>
    (await state.em.findOne(RecordLink, { ...key }, { fields: ['recordId'] }))?.recordId;
  const known = await find();
  if (known) return known;
  await lockKey(
    state.em,
    `hl7-link:${state.config.tenantId}:${key.kind}:${key.system}:${key.externalId}`,
  );
  return find();
}

/** Links a sender's key to a record (in the message's transaction). */
export function linkRecord(state: ApplyState, key: LinkKey, recordType: string, recordId: string) {
  state.em.create(RecordLink, { tenantId: state.config.tenantId, ...key, recordType, recordId });
}
