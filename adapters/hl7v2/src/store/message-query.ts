import type { FilterQuery } from '@mikro-orm/core';
import { keysetPage, type TenantScope } from '@caregraph/plugin-sdk';
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

/** One page of messages, newest first, keyset-paged on `(receivedAt, id)`. */
export function pageOfMessages(
  scope: TenantScope,
  filter: MessageFilter,
  first?: number,
  after?: string,
) {
  return keysetPage(scope, IntegrationMessage, 'receivedAt', messageWhere(scope, filter), {
    first,
    after,
  });
}
