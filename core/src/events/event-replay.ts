import type { EntityManager } from '@mikro-orm/sql';
import { isEntityId, type CareEventMessage } from '@caregraph/schema';
import { ResyncRequiredError } from '../errors/caregraph-error.js';
import type { EventDeliverySettings } from './care-events.js';
import { messageFromRow, OUTBOX_ROW_COLUMNS, type OutboxRow } from './outbox.js';

/**
 * Where a subscription starts in the tenant's outbox: after the `after` event (which must be
 * in the replay window, with at most `replayMaxEvents` after it), or at the tenant's latest
 * position (live events only). Runs in the tenant's database scope.
 */
export async function resumePosition(
  em: EntityManager,
  tenantId: string,
  settings: EventDeliverySettings,
  after?: string,
): Promise<number> {
  if (!after) {
    const [head] = await em.execute<{ position: number | string }[]>(
      'select position from outbox_head where tenant_id = ?',
      [tenantId],
    );
    return Number(head?.position ?? 0);
  }
  if (!isEntityId(after)) throw ResyncRequiredError.unknownCursor();
  const [row] = await em.execute<{ position: number | string; created_at: Date | string }[]>(
    'select position, created_at from outbox_event where tenant_id = ? and id = ? and position is not null',
    [tenantId, after],
  );
  if (!row || new Date(row.created_at).getTime() < Date.now() - settings.replayWindowMs)
    throw ResyncRequiredError.unknownCursor();
  const [count] = await em.execute<{ n: number | string }[]>(
    'select count(*) as n from outbox_event where tenant_id = ? and position > ?',
    [tenantId, row.position],
  );
  if (Number(count?.n ?? 0) > settings.replayMaxEvents)
    throw ResyncRequiredError.tooFarBehind(settings.replayMaxEvents);
  return Number(row.position);
}

/**
 * The tenant's numbered events after `position`, oldest first, at most `limit` (published or
 * not yet: the outbox is the record). Runs in the tenant's database scope.
 */
export async function eventsAfter(
  em: EntityManager,
  tenantId: string,
  position: number,
  limit: number,
): Promise<CareEventMessage[]> {
  const rows = await em.execute<OutboxRow[]>(
    `select ${OUTBOX_ROW_COLUMNS} from outbox_event
     where tenant_id = ? and position > ? order by position limit ?`,
    [tenantId, position, limit],
  );
  return rows.map(messageFromRow);
}
