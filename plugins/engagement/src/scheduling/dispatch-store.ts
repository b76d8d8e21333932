import type { EntityManager } from '@mikro-orm/sql';
import { CommunicationChannel } from '@caregraph/schema';
import { ScheduledMessageStatus } from '../store/scheduled-message-status.js';

/** Statuses whose messages went out: they count against the frequency caps. */
const SENT_SQL = [
  ScheduledMessageStatus.SENT,
  ScheduledMessageStatus.DELIVERED,
  ScheduledMessageStatus.REPLIED,
  ScheduledMessageStatus.BOUNCED,
]
  .map((s) => `'${s}'`)
  .join(', ');

/**
 * Claims up to `limit` due messages of the tenant for this dispatcher until `leaseUntil`: the
 * scheduled or deferred ones due by `now`, and those a dispatcher that died while sending left
 * claimed past their lease. `SKIP LOCKED`: several instances share the queue without waiting for
 * each other; the claim commits before anything is sent. Returns their ids, soonest due first.
 */
export async function claimDue(
  em: EntityManager,
  tenantId: string,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<string[]> {
  const rows = await em.execute<{ id: string; due_at: string | Date }[]>(
    `update engagement_scheduled_message m
        set status = '${ScheduledMessageStatus.SENDING}', lease_until = ?, attempts = m.attempts + 1,
            updated_at = now()
      where m.id in (
        select id from engagement_scheduled_message
         where tenant_id = ?
           and ((status in ('${ScheduledMessageStatus.SCHEDULED}', '${ScheduledMessageStatus.DEFERRED}') and due_at <= ?)
             or (status = '${ScheduledMessageStatus.SENDING}' and lease_until < ?))
         order by due_at
         limit ?
         for update skip locked)
      returning m.id, m.due_at`,
    [leaseUntil, tenantId, now, now, limit],
    'all',
  );
  // `returning` follows no order: sort as claimed.
  const due = (row: { due_at: string | Date }) => new Date(row.due_at).getTime();
  return rows.sort((a, b) => due(a) - due(b)).map((r) => r.id);
}

/**
 * When the recipient's messages over `channel` went out since `since` (the frequency caps'
 * history), exempt purposes left out.
 */
export async function previousSends(
  em: EntityManager,
  tenantId: string,
  recipientId: string,
  channel: CommunicationChannel,
  since: Date,
  exemptPurposes: readonly string[],
): Promise<Date[]> {
  const rows = await em.execute<{ sent_at: string | Date }[]>(
    `select sent_at from engagement_scheduled_message
      where tenant_id = ? and recipient_id = ? and channel = ? and sent_at >= ?
        and status in (${SENT_SQL})
        and purpose not in (select jsonb_array_elements_text(?::jsonb))`,
    [tenantId, recipientId, channel, since, JSON.stringify(exemptPurposes)],
    'all',
  );
  return rows.map((r) => new Date(r.sent_at));
}

/**
 * `previousSends` for several recipients and channels at once (a dispatch batch): when each
 * recipient's messages over each channel went out since `since`, keyed `sendsKey(recipient,
 * channel)`; exempt purposes left out.
 */
export async function previousSendsOf(
  em: EntityManager,
  tenantId: string,
  recipientIds: readonly string[],
  channels: readonly CommunicationChannel[],
  since: Date,
  exemptPurposes: readonly string[],
): Promise<Map<string, Date[]>> {
  const history = new Map<string, Date[]>();
  if (recipientIds.length === 0 || channels.length === 0) return history;
  const rows = await em.execute<
    { recipient_id: string; channel: CommunicationChannel; sent_at: string | Date }[]
  >(
    `select recipient_id, channel, sent_at from engagement_scheduled_message
      where tenant_id = ? and sent_at >= ? and status in (${SENT_SQL})
        and recipient_id in (select jsonb_array_elements_text(?::jsonb)::uuid)
        and channel in (select jsonb_array_elements_text(?::jsonb))
        and purpose not in (select jsonb_array_elements_text(?::jsonb))`,
    [
      tenantId,
      since,
      JSON.stringify([...new Set(recipientIds)]),
      JSON.stringify([...new Set(channels)]),
      JSON.stringify(exemptPurposes),
    ],
    'all',
  );
  for (const row of rows) {
    const key = sendsKey(row.recipient_id, row.channel);
    const list = history.get(key) ?? [];
    list.push(new Date(row.sent_at));
    history.set(key, list);
  }
  return history;
}

/** The key of a recipient's sends over a channel in `previousSendsOf`'s map. */
export function sendsKey(recipientId: string, channel: CommunicationChannel): string {
  return `${recipientId}\0${channel}`;
}
