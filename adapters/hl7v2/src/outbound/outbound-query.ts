import type { FilterQuery } from '@mikro-orm/core';
import { PluginRequestError, type TenantScope } from '@caregraph/plugin-sdk';
import { OutboundMessage } from './outbound-message.js';
import type { OutboundMessageStatus } from './outbound-message-status.js';

/** The filters of `outboundMessages`. */
export interface OutboundFilter {
  status?: OutboundMessageStatus;
  destination?: string;
}

/** Largest page. */
export const MAX_OUTBOUND_PAGE = 100;

function cursorOf(row: OutboundMessage): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

function parseCursor(after: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown[];
    const createdAt = new Date(String(at));
    if (typeof id === 'string' && !Number.isNaN(createdAt.getTime())) return { createdAt, id };
  } catch {
    // fall through
  }
  throw PluginRequestError.badInput(['after'], 'is not a cursor returned by this API');
}

/** One page of outbound messages, newest first, keyset-paged on `(createdAt, id)`. */
export async function pageOfOutbound(
  scope: TenantScope,
  filter: OutboundFilter,
  first = 20,
  after?: string,
) {
  if (!Number.isInteger(first) || first < 1 || first > MAX_OUTBOUND_PAGE)
    throw PluginRequestError.badInput(['first'], `must be 1 to ${MAX_OUTBOUND_PAGE}`);
  const conditions: FilterQuery<OutboundMessage>[] = [];
  if (filter.status) conditions.push({ status: filter.status });
  if (filter.destination) conditions.push({ destination: filter.destination });
  if (after) {
    const { createdAt, id } = parseCursor(after);
    conditions.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, id: { $lt: id } }] });
  }
  const rows = await scope.em
    .fork()
    .find(
      OutboundMessage,
      { $and: conditions },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first + 1 },
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
