import {
  CommunicationChannel,
  ConsentDecision,
  ConsentPurpose,
  ConsentScope,
  ConsentStatus,
} from '@caregraph/schema';
import { normalizeAddress } from './contact-address.js';

/** The consent fields the decision reads (a schema `Consent` fits). */
export interface ConsentRecord {
  scope: ConsentScope;
  purpose: ConsentPurpose;
  decision: ConsentDecision;
  status: ConsentStatus;
  channel?: CommunicationChannel | null;
  /** For communication consents: the related person whose own choice it is (none: the patient's). */
  grantee?: { id: string } | null;
  periodStart: Date;
  periodEnd?: Date | null;
  revokedAt?: Date | null;
}

/**
 * A recipient's "do not contact me here": a STOP from a number, an unsubscribe link. Without
 * `address` it covers every address of the channel; without `purposes`, every purpose.
 */
export interface OptOut {
  channel: CommunicationChannel;
  address?: string | null;
  purposes?: readonly ConsentPurpose[] | null;
  since: Date;
  /** When it ended (START, or re-subscribing); none: still in force. */
  until?: Date | null;
}

/** The related-person fields the decision reads (a schema `RelatedPerson` fits). */
export interface RelatedPersonRecord {
  id: string;
  active: boolean;
  periodStart?: Date | null;
  periodEnd?: Date | null;
}

/** Who the message is for: the patient, or a caregiver or proxy of theirs. */
export type Recipient =
  { kind: 'patient' } | { kind: 'related-person'; relatedPerson: RelatedPersonRecord };

/** A message about to go out, with everything the decision needs. */
export interface ConsentQuery {
  purpose: ConsentPurpose;
  channel: CommunicationChannel;
  at: Date;
  recipient: Recipient;
  /** Where the message would go (number, email, app account); none: not reachable on the channel. */
  address?: string | null;
  /** The patient's consents (all of them: the decision picks the ones that apply). */
  consents: readonly ConsentRecord[];
  /** The recipient's opt-outs. */
  optOuts: readonly OptOut[];
}

/** Stable codes of why a message may or may not go out. */
export const ConsentReason = {
  /** An active permit for this purpose and channel. */
  PERMITTED_CHANNEL: 'CONSENT_PERMITTED_CHANNEL',
  /** An active permit for this purpose on every channel. */
  PERMITTED_PURPOSE: 'CONSENT_PERMITTED_PURPOSE',
  /** A care communication (treatment-related under HIPAA) with no denial: permitted by default. */
  CARE_DEFAULT: 'CARE_DEFAULT_PERMIT',
  /** A related person who is inactive or outside their period. */
  RECIPIENT_INACTIVE: 'RECIPIENT_INACTIVE',
  /** A related person the patient has not granted proxy access (or has refused it). */
  NO_PROXY_AUTHORIZATION: 'NO_PROXY_AUTHORIZATION',
  /** No address for the channel. */
  NO_CONTACT_POINT: 'NO_CONTACT_POINT',
  /** The recipient opted out of the channel (STOP) for this address and purpose. */
  OPTED_OUT: 'OPTED_OUT',
  /** An active denial for this purpose and channel. */
  DENIED_CHANNEL: 'CONSENT_DENIED_CHANNEL',
  /** An active denial for this purpose on every channel. */
  DENIED_PURPOSE: 'CONSENT_DENIED_PURPOSE',
  /** Wellness or marketing without an explicit permit (opt-in only). */
  NO_MARKETING_OPT_IN: 'NO_MARKETING_OPT_IN',
  /** Any other purpose without an explicit permit. */
  NO_OPT_IN: 'NO_OPT_IN',
} as const;
export type ConsentReason = (typeof ConsentReason)[keyof typeof ConsentReason];

/** The outcome, with the consent that decided it when one did (for the audit trail). */
export interface ConsentOutcome {
  permitted: boolean;
  reason: ConsentReason;
  basis?: ConsentRecord;
}

/** Purposes permitted without an explicit consent (treatment-related communications). */
export const DEFAULT_PERMITTED_PURPOSES: ReadonlySet<ConsentPurpose> = new Set([
  ConsentPurpose.CARE_REMINDERS,
  ConsentPurpose.TREATMENT,
  ConsentPurpose.EMERGENCY,
]);

const MARKETING_PURPOSES: ReadonlySet<ConsentPurpose> = new Set([
  ConsentPurpose.WELLNESS,
  ConsentPurpose.MARKETING,
]);

/** Active, in its period and not revoked at `at`. */
function inForce(consent: ConsentRecord, at: Date): boolean {
  const t = at.getTime();
  return (
    consent.status === ConsentStatus.ACTIVE &&
    consent.periodStart.getTime() <= t &&
    (consent.periodEnd == null || t < consent.periodEnd.getTime()) &&
    (consent.revokedAt == null || t < consent.revokedAt.getTime())
  );
}

function withinPeriod(person: RelatedPersonRecord, at: Date): boolean {
  const t = at.getTime();
  return (
    person.active &&
    (person.periodStart == null || person.periodStart.getTime() <= t) &&
    (person.periodEnd == null || t < person.periodEnd.getTime())
  );
}

/** Deny wins over permit among consents of the same specificity. */
function strongest(consents: readonly ConsentRecord[]): ConsentRecord | undefined {
  return consents.find((c) => c.decision === ConsentDecision.DENY) ?? consents[0];
}

function optedOut(query: ConsentQuery, address: string): boolean {
  const t = query.at.getTime();
  const wanted = normalizeAddress(query.channel, address);
  return query.optOuts.some(
    (optOut) =>
      optOut.channel === query.channel &&
      optOut.since.getTime() <= t &&
      (optOut.until == null || t < optOut.until.getTime()) &&
      (optOut.address == null || normalizeAddress(query.channel, optOut.address) === wanted) &&
      (optOut.purposes == null || optOut.purposes.includes(query.purpose)),
  );
}

/** The patient's proxy-access consents for this related person decide whether they may receive anything. */
function proxyAuthorization(query: ConsentQuery, personId: string): ConsentRecord | undefined {
  const proxy = query.consents.filter(
    (c) =>
      c.purpose === ConsentPurpose.PROXY_ACCESS &&
      c.grantee?.id === personId &&
      inForce(c, query.at),
  );
  const decisive = strongest(proxy);
  return decisive?.decision === ConsentDecision.PERMIT ? decisive : undefined;
}

/**
 * Whether a message of `purpose` may go to the recipient over `channel` at `at`. In order: a
 * related person must be active and hold the patient's proxy-access permit; the recipient must be
 * reachable and not opted out; then the recipient's communication consents for the purpose, the
 * ones for this channel before the purpose-wide ones, a denial winning over a permit at the same
 * level; without any, care communications are permitted and every other purpose needs an opt-in.
 */
export function decideConsent(query: ConsentQuery): ConsentOutcome {
  const { recipient } = query;
  let granteeId: string | undefined;
  if (recipient.kind === 'related-person') {
    if (!withinPeriod(recipient.relatedPerson, query.at))
      return { permitted: false, reason: ConsentReason.RECIPIENT_INACTIVE };
    if (!proxyAuthorization(query, recipient.relatedPerson.id))
      return { permitted: false, reason: ConsentReason.NO_PROXY_AUTHORIZATION };
    granteeId = recipient.relatedPerson.id;
  }
  const address = query.address?.trim();
  if (!address) return { permitted: false, reason: ConsentReason.NO_CONTACT_POINT };
  if (optedOut(query, address)) return { permitted: false, reason: ConsentReason.OPTED_OUT };

  const applicable = query.consents.filter(
    (c) =>
      c.scope === ConsentScope.COMMUNICATION &&
      c.purpose === query.purpose &&
      (c.grantee?.id ?? undefined) === granteeId &&
      inForce(c, query.at),
  );
  const channelConsent = strongest(applicable.filter((c) => c.channel === query.channel));
  if (channelConsent)
    return channelConsent.decision === ConsentDecision.DENY
      ? { permitted: false, reason: ConsentReason.DENIED_CHANNEL, basis: channelConsent }
      : { permitted: true, reason: ConsentReason.PERMITTED_CHANNEL, basis: channelConsent };
  const purposeConsent = strongest(applicable.filter((c) => c.channel == null));
  if (purposeConsent)
    return purposeConsent.decision === ConsentDecision.DENY
      ? { permitted: false, reason: ConsentReason.DENIED_PURPOSE, basis: purposeConsent }
      : { permitted: true, reason: ConsentReason.PERMITTED_PURPOSE, basis: purposeConsent };

  if (DEFAULT_PERMITTED_PURPOSES.has(query.purpose))
    return { permitted: true, reason: ConsentReason.CARE_DEFAULT };
  return {
    permitted: false,
    reason: MARKETING_PURPOSES.has(query.purpose)
      ? ConsentReason.NO_MARKETING_OPT_IN
      : ConsentReason.NO_OPT_IN,
  };
}
