import type { FilterQuery } from '@mikro-orm/core';
import { PluginRequestError, type TenantScope } from '@caregraph/plugin-sdk';
import { IntegrationMessage } from './integration-message.js';
import type { IntegrationMessageStatus } from './integration-message-status.js';

/** The filters of `integrationMessages` and of bulk reprocessing. */
export interface MessageFilter {
  status?: IntegrationMessageStatus;
  /** `ADT^A01`, or a message code alone (`ADT`) for every trigger. */
  type?: string;
  /** `MSH-3^MSH-4` as stored. */
  sender?: string;
  from?: Date;
  to?: Date;
  /**
   * Exact: a control id (MSH-10), a patient identifier (PID-3.1, through its blind index: message
   * bodies are encrypted, so they are not searched as text), or an error code.
   */
  text?: string;
}

/** Largest page. */
export const MAX_MESSAGE_PAGE = 100;

/** The store query of a filter (the tenant filter is added by the hub). */
export function messageWhere(
  scope: TenantScope,
  filter: MessageFilter,
): FilterQuery<IntegrationMessage> {
  const where: FilterQuery<IntegrationMessage> & Record<string, unknown> = {};
  if (filter.status) where.status = filter.status;
  if (filter.type)
    where.messageType = filter.type.includes('^') ? filter.type : { $like: `${filter.type}^%` };
  if (filter.sender) where.sender = filter.sender;
  if (filter.from || filter.to)
    where.receivedAt = {
      ...(filter.from ? { $gte: filter.from } : {}),
      ...(filter.to ? { $lt: filter.to } : {}),
    };
  if (filter.text) {
    const text = filter.text.trim();
    where.$or = [
      { controlId: text },
      { patientKeyIndex: scope.blindIndex(text) },
      { errorCode: text },
    ];
  }
  return where;
}

/** Position of a message in the newest-first order. */
function cursorOf(row: IntegrationMessage): string {
  return Buffer.from(JSON.stringify([row.receivedAt.toISOString(), row.id])).toString('base64url');
}

function parseCursor(after: string): { receivedAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown[];
    const receivedAt = new Date(String(at));
    if (typeof id === 'string' && !Number.isNaN(receivedAt.getTime())) return { receivedAt, id };
  } catch {
    // fall through
  }
  throw PluginRequestError.badInput(['after'], 'is not a cursor returned by this API');
}

/** One page of messages, newest first, keyset-paged on `(receivedAt, id)`. */
export async function pageOfMessages(
  scope: TenantScope,
  filter: MessageFilter,
  first = 20,
  after?: string,
) {
  if (!Number.isInteger(first) || first < 1 || first > MAX_MESSAGE_PAGE)
    throw PluginRequestError.badInput(['first'], `must be 1 to ${MAX_MESSAGE_PAGE}`);
  const where = messageWhere(scope, filter);
  const conditions: FilterQuery<IntegrationMessage>[] = [where];
  if (after) {
    const { receivedAt, id } = parseCursor(after);
    conditions.push({
      $or: [{ receivedAt: { $lt: receivedAt } }, { receivedAt, id: { $lt: id } }],
    });
  }
  const rows = await scope.em
    .fork()
    .find(
      IntegrationMessage,
      { $and: conditions },
      { orderBy: { receivedAt: 'desc', id: 'desc' }, limit: first + 1 },
    );
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: cursorOf(node), node })),
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: page[0] ? cursorOf(page[0]) : undefined,
      endCursor: page.at(-1) ? cursorOf(page.at(-1)!) : undefined,
    },
  };
}
