import type { CommunicationChannel } from '@caregraph/schema';
import type { PluginWriteScope } from '@caregraph/plugin-sdk';
import type { EntityManager } from '@mikro-orm/sql';
import { SurveyResponse } from '../store/survey-response.js';

/** A survey answer to store. */
export interface NewSurveyResponse {
  patientId: string;
  appointmentId?: string;
  scheduledMessageId?: string;
  respondent?: { type: 'Patient' | 'RelatedPerson'; id: string };
  score: number;
  comment?: string;
  channel: CommunicationChannel;
  enteredByUserId?: string;
  receivedAt: Date;
}

/**
 * Stores a survey answer in the write's transaction (the comment is encrypted by the hub as it is
 * written), audited without its values. `undefined` when the appointment already has an answer:
 * one per visit, so a resent reply or a second entry does not count twice.
 */
export async function recordSurveyResponse(
  w: PluginWriteScope,
  tenantId: string,
  answer: NewSurveyResponse,
): Promise<SurveyResponse | undefined> {
  const em = w.em as EntityManager;
  if (
    answer.appointmentId &&
    (await em.count(SurveyResponse, { appointmentId: answer.appointmentId }))
  )
    return undefined;
  const response = em.create(SurveyResponse, {
    tenantId,
    patientId: answer.patientId,
    appointmentId: answer.appointmentId,
    scheduledMessageId: answer.scheduledMessageId,
    respondentType: answer.respondent?.type,
    respondentId: answer.respondent?.id,
    score: answer.score,
    comment: answer.comment,
    channel: answer.channel,
    enteredByUserId: answer.enteredByUserId,
    receivedAt: answer.receivedAt,
  });
  w.audit({
    action: 'C',
    type: 'SurveyResponse',
    entity: `SurveyResponse/${response.id}`,
    patientId: answer.patientId,
    detail: {
      channel: answer.channel,
      ...(answer.appointmentId ? { about: `Appointment/${answer.appointmentId}` } : {}),
      withComment: answer.comment !== undefined,
    },
  });
  return response;
}
