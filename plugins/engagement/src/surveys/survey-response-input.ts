import { CommunicationChannel, isEntityId } from '@caregraph/schema';
import { z } from 'zod';
import { MAX_SURVEY_COMMENT } from './survey-reply.js';

const id = z.string().refine(isEntityId, { message: 'must be an id returned by this API' });

/**
 * `recordSurveyResponse`'s input as staff or the portal enter it: a whole score from 0 to 10, an
 * optional comment (trimmed; empty means none), the appointment it is about and how it came in.
 */
export const surveyResponseInputSchema = z.strictObject({
  patientId: id,
  appointmentId: id.nullish(),
  score: z
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 to 10')
    .max(10, 'must be 0 to 10'),
  comment: z
    .string()
    .trim()
    .max(MAX_SURVEY_COMMENT, `at most ${MAX_SURVEY_COMMENT} characters`)
    .nullish()
    .transform((text) => text || undefined),
  channel: z.enum(CommunicationChannel),
});

/** A validated `recordSurveyResponse` input. */
export type SurveyResponseInput = z.output<typeof surveyResponseInputSchema>;

/** Validates the input; the first problem is `{ path, message }` with the path under `input`. */
export function parseSurveyResponseInput(
  input: unknown,
): { ok: true; value: SurveyResponseInput } | { ok: false; path: string[]; message: string } {
  const result = surveyResponseInputSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, path: ['input', ...issue.path.map(String)], message: issue.message };
}
