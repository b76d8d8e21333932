import type { FilterQuery } from '@mikro-orm/core';
import { keysetPage, type TenantScope } from '@caregraph/plugin-sdk';
import { OutboundMessage } from './outbound-message.js';
import type { OutboundMessageStatus } from './outbound-message-status.js';

/** The filters of `outboundMessages`. */
export interface OutboundFilter {
  status?: OutboundMessageStatus;
  destination?: string;
}

/** One page of outbound messages, newest first, keyset-paged on `(createdAt, id)`. */
export function pageOfOutbound(
  scope: TenantScope,
  filter: OutboundFilter,
  first?: number,
  after?: string,
) {
  const where: FilterQuery<OutboundMessage> = {};
  if (filter.status) where.status = filter.status;
  if (filter.destination) where.destination = filter.destination;
  return keysetPage(scope, OutboundMessage, 'createdAt', where, { first, after });
}
