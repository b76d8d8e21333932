import { isValidTimeZone } from '@caregraph/schema';
import { z } from 'zod';

/** The engagement plugin's config (one tenant per registration, as the adapters). */
export const engagementConfigSchema = z.strictObject({
  tenantId: z.uuid(),
  /** The account the plugin plans and sends as (role `integration`). */
  integrationUserId: z.uuid(),
  /** A recipient's zone when neither they nor their patient has one. */
  defaultTimeZone: z
    .string()
    .refine(isValidTimeZone, { message: 'an IANA time zone such as America/Chicago' })
    .default('UTC'),
  /** The tenant's language (BCP 47): the fallback when a template lacks the recipient's. */
  defaultLanguage: z.string().min(2).default('en'),
  /** Saves the default rules (README, "Default rules") for a tenant that has no rule yet. */
  seedDefaultRules: z.boolean().default(true),
});

export type EngagementConfig = z.output<typeof engagementConfigSchema>;
