import type { EntityManager } from '@mikro-orm/sql';
import {
  Appointment,
  AppointmentParticipant,
  CommunicationChannel,
  CommunicationDirection,
  CommunicationStatus,
  Communication,
  ConsentPurpose,
} from '@caregraph/schema';
import type { PluginWriteScope, TenantScope } from '@caregraph/plugin-sdk';
import type { SmsWebhookEvent } from '../channels/index.js';
import { classifyReply, normalizeAddress, type ReplyIntent } from '../policy/index.js';
import { FOLLOW_UPS } from '../scheduling/plan-follow-ups.js';
import { RuleKind } from '../store/rule-kind.js';
import { ScheduledMessage } from '../store/scheduled-message.js';
import { ScheduledMessageStatus } from '../store/scheduled-message-status.js';
import { recordSurveyResponse } from '../surveys/record-survey-response.js';
import { parseSurveyReply } from '../surveys/survey-reply.js';

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
export type ReplyOutcome = ReplyIntent | 'survey-response' | 'unknown-sender';

const SURVEY_TRIGGER = FOLLOW_UPS[RuleKind.POST_VISIT_FOLLOW_UP].trigger;

/**
 * The answered message and its Communication are `REPLIED` (the Communication's change raises
 * `CommunicationStatusChanged` for the care team's feed).
 */
async function markReplied(
  em: EntityManager,
  answered: ScheduledMessage,
  reasonCode: string,
): Promise<void> {
  answered.status = ScheduledMessageStatus.REPLIED;
  answered.reasonCode = reasonCode;
  if (!answered.communicationId) return;
  const communication = await em.findOne(Communication, answered.communicationId);
  if (communication) communication.status = CommunicationStatus.REPLIED;
}

/**
 * Records the patient's answer to a confirmation request on the appointment it is about: their
 * participant's status (FHIR ParticipationStatus) becomes `accepted` (C) or `needs-action` (R:
 * a new time is to be agreed; the appointment stays booked until the front desk moves it).
 */
async function recordPatientAnswer(
  w: PluginWriteScope,
  answered: ScheduledMessage,
  status: 'accepted' | 'needs-action',
): Promise<void> {
  if (!answered.about?.startsWith('Appointment/')) return;
  const em = w.em as EntityManager;
  const appointment = await em.findOne(Appointment, answered.about.slice('Appointment/'.length));
  if (!appointment) return;
  const isPatient = (p: AppointmentParticipant) =>
    p.actorType === 'Patient' && p.actorId === answered.patientId;
  if (!appointment.participants.some(isPatient)) return;
  // A new array: the embedded participants are compared as a whole on flush.
  appointment.participants = appointment.participants.map((p) =>
    isPatient(p) ? Object.assign(new AppointmentParticipant(), p, { status }) : p,
  );
  w.provenance(`Appointment/${appointment.id}`, 'update', `SMS reply to a confirmation request`);
  w.audit({
    action: 'U',
    type: 'Appointment',
    entity: `Appointment/${appointment.id}`,
    patientId: answered.patientId,
    detail: { participant: 'Patient', status, source: 'sms-reply' },
  });
}

/**
 * Handles an inbound SMS: finds the message it answers (the latest sent to that number, by the
 * number's blind index), records it as an inbound Communication of that patient (audited), and
 * acts on its keyword in the same transaction:
 * - STOP (and the other opt-out words): a DENY consent per outreach purpose on SMS, for the
 *   recipient (the patient, or the caregiver as grantee), recorded through core's opt-out
 *   service on the plugin's own authority (`consents.recordOptOut`), in force at once: the
 *   dispatcher decides at send time, so nothing more goes to that number;
 * - START: those keyword denials are revoked;
 * - C: the confirmation request it answers is `REPLIED` (`CONFIRMED`), and the patient's
 *   participant on the appointment `accepted`;
 * - R: likewise (`RESCHEDULE_REQUESTED`, the participant `needs-action`), and a Task asks the
 *   front desk to call back;
 * - a score (`9`, `9 great visit`) answering the post-visit survey: a `SurveyResponse` of the
 *   patient (the comment encrypted), and the survey is `REPLIED` (`SURVEY_ANSWERED`); once per
 *   visit, later answers are kept as text only.
 * Anything else is kept for a person to read. A number no message went to is ignored.
 */
export async function handleReply(
  scope: TenantScope,
  reply: Reply,
  now: Date,
): Promise<ReplyOutcome> {
  const addressIndex = scope.blindIndex(normalizeAddress(CommunicationChannel.SMS, reply.from));
  const { intent, keyword } = classifyReply(reply.body);
  const answer = intent === 'other' ? parseSurveyReply(reply.body) : undefined;
  return scope.write(async (w): Promise<ReplyOutcome> => {
    const em = w.em as EntityManager;
    const answered = await em.findOne(
      ScheduledMessage,
      { addressIndex, channel: CommunicationChannel.SMS, sentAt: { $ne: null } },
      { orderBy: { sentAt: 'desc' } },
    );
    if (!answered) return 'unknown-sender';
    const grantee = answered.recipientType === 'RelatedPerson' ? answered.recipientId : undefined;
    const survey = answer && answered.trigger === SURVEY_TRIGGER ? answer : undefined;
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
      detail: { direction: 'inbound', intent: survey ? 'survey-response' : intent },
    });
    if (survey) {
      const stored = await recordSurveyResponse(w, scope.tenantId, {
        patientId: answered.patientId,
        appointmentId: answered.about?.startsWith('Appointment/')
          ? answered.about.slice('Appointment/'.length)
          : undefined,
        scheduledMessageId: answered.id,
        respondent: { type: answered.recipientType, id: answered.recipientId },
        ...survey,
        channel: CommunicationChannel.SMS,
        receivedAt: now,
      });
      if (stored) {
        await markReplied(em, answered, 'SURVEY_ANSWERED');
        return 'survey-response';
      }
    }
    if (intent === 'opt-out') await optOut(w, answered, grantee, keyword ?? 'STOP');
    if (intent === 'opt-in') await optIn(w, answered, grantee);
    if (intent === 'confirm' || intent === 'reschedule') {
      await markReplied(em, answered, intent === 'confirm' ? 'CONFIRMED' : 'RESCHEDULE_REQUESTED');
      await recordPatientAnswer(w, answered, intent === 'confirm' ? 'accepted' : 'needs-action');
    }
    if (intent === 'reschedule') {
      // Core's task service: validated, audited, with its Provenance and events.
      await w.tasks.create({
        patientId: answered.patientId,
        title: 'Reschedule request by SMS',
        description: `The patient replied R to a confirmation request about ${answered.about ?? 'an appointment'}: call them back to find a new time.`,
      });
    }
    return intent;
  });
}

/** STOP: the plugin's own authority (a keyword), through core's opt-out service. */
async function optOut(
  w: PluginWriteScope,
  answered: ScheduledMessage,
  grantee: string | undefined,
  keyword: string,
): Promise<void> {
  await w.consents.recordOptOut({
    patientId: answered.patientId,
    channel: CommunicationChannel.SMS,
    purposes: SMS_PURPOSES,
    granteeRelatedPersonId: grantee,
    source: KEYWORD_SOURCE,
    reason: `SMS opt-out keyword ${keyword}`,
  });
}

/** START ends the keyword denials only (not a denial the patient signed or asked staff for). */
async function optIn(
  w: PluginWriteScope,
  answered: ScheduledMessage,
  grantee: string | undefined,
): Promise<void> {
  await w.consents.endOptOut({
    patientId: answered.patientId,
    channel: CommunicationChannel.SMS,
    purposes: SMS_PURPOSES,
    granteeRelatedPersonId: grantee,
    source: KEYWORD_SOURCE,
    reason: 'SMS opt-in keyword',
  });
}
