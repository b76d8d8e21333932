import {
  CommunicationChannel,
  ContactPointSystem,
  ContactPointUse,
  type ContactPoint,
} from '@caregraph/schema';

/** The contact-point fields the choice reads (a schema `ContactPoint` fits). */
export type ContactPointLike = Pick<ContactPoint, 'system' | 'value'> & {
  use?: ContactPointUse | null;
  rank?: number | null;
};

function reaches(channel: CommunicationChannel, point: ContactPointLike): boolean {
  switch (channel) {
    case CommunicationChannel.SMS:
      return (
        point.system === ContactPointSystem.SMS ||
        (point.system === ContactPointSystem.PHONE && point.use === ContactPointUse.MOBILE)
      );
    case CommunicationChannel.EMAIL:
      return point.system === ContactPointSystem.EMAIL;
    case CommunicationChannel.PHONE:
      return point.system === ContactPointSystem.PHONE || point.system === ContactPointSystem.SMS;
    default:
      // In-app messages go to an account and letters to an address, not to a telecom entry.
      return false;
  }
}

/**
 * The recipient's contact point for a channel, or none: SMS to an `sms` entry or a `mobile`
 * phone, email to an `email` entry, calls to a `phone` or `sms` entry; never an `old` one; the
 * lowest `rank` first (unranked last), then the order of the list.
 */
export function contactPointFor(
  channel: CommunicationChannel,
  telecom: readonly ContactPointLike[],
): ContactPointLike | undefined {
  return telecom
    .filter((point) => point.use !== ContactPointUse.OLD && point.value.trim() !== '')
    .filter((point) => reaches(channel, point))
    .map((point, order) => ({ point, order }))
    .sort(
      (a, b) =>
        (a.point.rank ?? Number.MAX_SAFE_INTEGER) - (b.point.rank ?? Number.MAX_SAFE_INTEGER) ||
        a.order - b.order,
    )[0]?.point;
}

/**
 * An address in the form opt-outs are matched on: email trimmed and lower-cased; a phone number
 * with only its digits and a leading `+` (no country-code guessing: store numbers in E.164).
 */
export function normalizeAddress(channel: CommunicationChannel, address: string): string {
  const trimmed = address.trim();
  if (channel === CommunicationChannel.EMAIL) return trimmed.toLowerCase();
  if (channel === CommunicationChannel.SMS || channel === CommunicationChannel.PHONE)
    return (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/\D+/g, '');
  return trimmed;
}
