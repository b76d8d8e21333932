import type { EntityManager } from '@mikro-orm/sql';
import {
  CommunicationChannel,
  CommunicationDirection,
  CommunicationStatus,
  Communication,
  Consent,
  ConsentDecision,
  ConsentPurpose,
  ConsentScope,
  ConsentStatus,
  Task,
} from '@caregraph/schema';
import type { PluginWriteScope, TenantScope } from '@caregraph/plugin-sdk';
import type { SmsWebhookEvent } from '../channels/index.js';
import { classifyReply, normalizeAddress, type ReplyIntent } from '../policy/index.js';
import { ScheduledMessage } from '../store/scheduled-message.js';
import { ScheduledMessageStatus } from '../store/scheduled-message-status.js';

type Reply = Extract<SmsWebhookEvent, { kind: 'reply' }>;

/** What a STOP takes away, and a START gives back: every outreach purpose, over SMS. */
const SMS_PURPOSES = [
  ConsentPurpose.CARE_REMINDERS,
  ConsentPurpose.WELLNESS,
  ConsentPurpose.MARKETING,
] as const;

/** How the plugin marks the consents it records from keywords (`Consent.source`). */
export const KEYWORD_SOURCE = 'sms-keyword';

/** What became of a reply. */
export type ReplyOutcome = ReplyIntent | 'unknown-sender';

/**
 * Handles an inbound SMS: finds the message it answers (the latest sent to that number, by the
 * number's blind index), records it as an inbound Communication of that patient (audited), and
 * acts on its keyword in the same transaction:
 * - STOP (and the other opt-out words): a DENY consent per outreach purpose on SMS, for the
 *   recipient (the patient, or the caregiver as grantee), in force at once: the dispatcher
 *   decides at send time, so nothing more goes to that number;
 * - START: those keyword denials are revoked;
 * - C: the confirmation request it answers is `REPLIED` (`CONFIRMED`);
 * - R: likewise (`RESCHEDULE_REQUESTED`), and a Task asks the front desk to call back.
 * Anything else is kept for a person to read. A number no message went to is ignored.
 */
export async function handleReply(
  scope: TenantScope,
  reply: Reply,
  now: Date,
): Promise<ReplyOutcome> {
  const addressIndex = scope.blindIndex(normalizeAddress(CommunicationChannel.SMS, reply.from));
  const { intent } = classifyReply(reply.body);
  return scope.write(async (w) => {
    const em = w.em as EntityManager;
    const answered = await em.findOne(
      ScheduledMessage,
      { addressIndex, channel: CommunicationChannel.SMS, sentAt: { $ne: null } },
      { orderBy: { sentAt: 'desc' } },
    );
    if (!answered) return 'unknown-sender';
    const grantee = answered.recipientType === 'RelatedPerson' ? answered.recipientId : undefined;
    const communication = em.create(Communication, {
      tenantId: scope.tenantId,
      patient: answered.patientId,
      channel: CommunicationChannel.SMS,
      direction: CommunicationDirection.INBOUND,
      status: CommunicationStatus.RECEIVED,
      category: 'reply',
      body: reply.body,
      occurredAt: now,
      relatedPerson: grantee,
      about: answered.about,
    });
    w.audit({
      action: 'C',
      type: 'Communication',
      entity: `Communication/${communication.id}`,
      patientId: answered.patientId,
      detail: { direction: 'inbound', intent },
    });
    if (intent === 'opt-out') await optOut(w, em, scope.tenantId, answered, grantee, now);
    if (intent === 'opt-in') await optIn(w, em, answered.patientId, grantee, now);
    if (intent === 'confirm' || intent === 'reschedule') {
      answered.status = ScheduledMessageStatus.REPLIED;
      answered.reasonCode = intent === 'confirm' ? 'CONFIRMED' : 'RESCHEDULE_REQUESTED';
    }
    if (intent === 'reschedule') {
      const task = em.create(Task, {
        tenantId: scope.tenantId,
        patient: answered.patientId,
        title: 'Reschedule request by SMS',
        description: `The patient replied R to a confirmation request about ${answered.about ?? 'an appointment'}: call them back to find a new time.`,
      });
      w.provenance(`Task/${task.id}`, 'create', 'SMS reply R');
    }
    return intent;
  });
}

async function optOut(
  w: PluginWriteScope,
  em: EntityManager,
  tenantId: string,
  answered: ScheduledMessage,
  grantee: string | undefined,
  now: Date,
): Promise<void> {
  for (const purpose of SMS_PURPOSES) {
    const consent = em.create(Consent, {
      tenantId,
      patient: answered.patientId,
      scope: ConsentScope.COMMUNICATION,
      purpose,
      decision: ConsentDecision.DENY,
      channel: CommunicationChannel.SMS,
      grantee,
      periodStart: now,
      source: KEYWORD_SOURCE,
    });
    w.provenance(`Consent/${consent.id}`, 'create', 'SMS opt-out keyword');
    w.audit({
      action: 'C',
      type: 'Consent',
      entity: `Consent/${consent.id}`,
      patientId: answered.patientId,
      detail: { purpose, channel: 'sms', decision: 'deny', source: KEYWORD_SOURCE },
    });
  }
}

async function optIn(
  w: PluginWriteScope,
  em: EntityManager,
  patientId: string,
  grantee: string | undefined,
  now: Date,
): Promise<void> {
  const denials = await em.find(Consent, {
    patient: patientId,
    channel: CommunicationChannel.SMS,
    decision: ConsentDecision.DENY,
    source: KEYWORD_SOURCE,
    status: ConsentStatus.ACTIVE,
    revokedAt: null,
    grantee: grantee ?? null,
  });
  for (const consent of denials) {
    consent.status = ConsentStatus.INACTIVE;
    consent.revokedAt = now;
    w.provenance(`Consent/${consent.id}`, 'update', 'SMS opt-in keyword');
    w.audit({
      action: 'U',
      type: 'Consent',
      entity: `Consent/${consent.id}`,
      patientId,
      detail: { revoked: true, source: KEYWORD_SOURCE },
    });
  }
}
