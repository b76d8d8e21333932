import { CommunicationChannel, type ConsentPurpose } from '@caregraph/schema';
import {
  contactPointFor,
  decideConsent,
  earliestSendTime,
  type ConsentRecord,
  type ContactPointLike,
  type Recipient,
  type SendingWindow,
} from '../policy/index.js';

/** Everything the send-time decision reads about one claimed message. */
export interface DispatchFacts {
  now: Date;
  purpose: ConsentPurpose;
  /** Past this the message is pointless (a reminder once its appointment has begun). */
  expiresAt?: Date;
  /** The rule's channels, in order of preference. */
  channels: readonly CommunicationChannel[];
  /** The channels this hub has settings for. */
  configured: ReadonlySet<CommunicationChannel>;
  recipient: Recipient;
  /** The recipient's contact points. */
  telecom: readonly ContactPointLike[];
  /**
   * Where an in-app message goes: the patient's record, whose app (or portal) users receive it on
   * their subscription. None (a caregiver): not reachable in-app.
   */
  inAppAccount?: string;
  /** The patient's consents (the decision picks those of the recipient). */
  consents: readonly ConsentRecord[];
  /** When the recipient's earlier messages went out, per channel (frequency caps). */
  previousSends: (channel: CommunicationChannel) => readonly Date[];
  /** The recipient's zone. */
  timeZone: string;
  window: SendingWindow;
}

/** What to do with a claimed message now. */
export type DispatchDecision =
  | { kind: 'send'; channel: CommunicationChannel; address: string }
  | { kind: 'defer'; until: Date; channel: CommunicationChannel; reason: string }
  | { kind: 'skip'; reason: string };

/**
 * Decides, at send time, whether a message goes out now, later or not at all: past its expiry it
 * is skipped; each of the rule's channels the hub can use is checked against the recipient's
 * contact points and consents (a STOP is a denial); of the permitted ones the first that may send
 * now wins, else the one that may send soonest (quiet hours, frequency caps), and the message is
 * deferred to then, unless that is past its expiry. Nothing permitted: skipped, with the reason
 * of the rule's first channel.
 */
export function decideDispatch(facts: DispatchFacts): DispatchDecision {
  const { now } = facts;
  if (facts.expiresAt && facts.expiresAt <= now) return { kind: 'skip', reason: 'EXPIRED' };
  let refusal: string | undefined;
  let soonest: { channel: CommunicationChannel; at: Date; reason: string } | undefined;
  for (const channel of facts.channels) {
    if (!facts.configured.has(channel)) {
      refusal ??= 'CHANNEL_NOT_CONFIGURED';
      continue;
    }
    const address =
      channel === CommunicationChannel.IN_APP
        ? facts.inAppAccount
        : contactPointFor(channel, facts.telecom)?.value;
    const consent = decideConsent({
      purpose: facts.purpose,
      channel,
      at: now,
      recipient: facts.recipient,
      address,
      consents: facts.consents,
      optOuts: [],
    });
    if (!consent.permitted) {
      refusal ??= consent.reason;
      continue;
    }
    const time = earliestSendTime({
      channel,
      purpose: facts.purpose,
      at: now,
      timeZone: facts.timeZone,
      previousSends: facts.previousSends(channel),
      window: facts.window,
    });
    if (time.at.getTime() <= now.getTime()) return { kind: 'send', channel, address: address! };
    if (!soonest || time.at < soonest.at)
      soonest = { channel, at: time.at, reason: time.deferredBy[0] ?? 'DEFERRED' };
  }
  if (!soonest) return { kind: 'skip', reason: refusal ?? 'NO_CHANNEL' };
  if (facts.expiresAt && soonest.at >= facts.expiresAt)
    return { kind: 'skip', reason: `EXPIRED_BY_${soonest.reason}` };
  return { kind: 'defer', until: soonest.at, channel: soonest.channel, reason: soonest.reason };
}
