import type { MessageIntake } from '../pipeline/message-intake.js';
import { IntegrationMessage } from './integration-message.js';
import { BLOCKING_STATUSES, IntegrationMessageStatus } from './integration-message-status.js';
import { lockKey, patientLock } from './message-store.js';
import type { EntityManager } from '@mikro-orm/sql';
import { PluginRequestError } from '@caregraph/plugin-sdk';

/**
 * Takes a message out of the error queue without applying it (status `ignored`, the operator's
 * reason kept), then applies the messages of the same patient that were held behind it.
 */
export async function ignoreMessage(
  intake: MessageIntake,
  id: string,
  reason: string,
): Promise<IntegrationMessage> {
  const row = await intake.inTenant((scope) =>
    scope.write(async (w) => {
      const em = w.em as EntityManager;
      const found = await em.findOneOrFail(IntegrationMessage, id);
      if (found.patientKeyIndex)
        await lockKey(em, patientLock(scope.tenantId, found.patientKeyIndex));
      await em.refresh(found);
      if (!BLOCKING_STATUSES.includes(found.status))
        throw new PluginRequestError(
          'CONFLICT',
          `Only messages in the error queue (error or held) can be ignored; this one is ${found.status}.`,
        );
      found.status = IntegrationMessageStatus.IGNORED;
      found.errorText = `Ignored by an operator: ${reason}`;
      return found;
    }),
  );
  if (row.patientKeyIndex) await intake.releaseHeld(row.patientKeyIndex);
  return intake.inTenant((scope) => scope.em.findOneOrFail(IntegrationMessage, id));
}
