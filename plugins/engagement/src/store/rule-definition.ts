import { CommunicationChannel, ConsentPurpose } from '@caregraph/schema';
import { z } from 'zod';
import { sendingWindowSchema } from '../policy/sending-window-schema.js';
import { parseOffset } from './rule-offset.js';

/** An offset such as `P7D`, `PT24H` or `PT2H30M` (days, hours, minutes; no months or years). */
const offset = z.string().refine((text) => parseOffset(text) !== undefined, {
  message: 'an ISO 8601 duration of days, hours and minutes (e.g. P7D, PT24H, PT2H30M)',
});

/**
 * What a rule version does, stored as JSON on `EngagementRule.definition` and validated on every
 * save. Which fields a kind reads is in the README ("Automations").
 */
export const ruleDefinitionSchema = z.strictObject({
  /** The consent purpose its messages are sent under. */
  purpose: z.enum(ConsentPurpose),
  /** The template (by key; the language is chosen per recipient). */
  templateKey: z.string().min(1).max(64),
  /** Channels in order of preference; the recipient's consents and contact points pick one. */
  channels: z.array(z.enum(CommunicationChannel)).min(1),
  /** Reminders: how long before the appointment, e.g. `["P7D", "PT24H", "PT2H"]`. */
  offsets: z.array(offset).max(10).optional(),
  /** Follow-ups: how long after the trigger (a no-show, the end of a visit). */
  delay: offset.optional(),
  /** Overrides the tenant's allowed sending hours for this rule. */
  allowedHours: sendingWindowSchema.optional(),
  /** Caregivers and proxies (RelatedPerson) with their own consent get the message too. */
  includeCaregivers: z.boolean().default(false),
});

/** A validated rule definition. */
export type RuleDefinition = z.output<typeof ruleDefinitionSchema>;
