import { isValidTimeZone } from '@caregraph/schema';
import { z } from 'zod';
import { careGapRulesSchema, DEFAULT_CARE_GAP_RULES } from './care-gaps/care-gap-rule.js';
import { sendingWindowSchema } from './policy/sending-window-schema.js';

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
  /** Saves the default rules (README, "Rules") the tenant has never had, at each start. */
  seedDefaultRules: z.boolean().default(true),
  /** What templates say about the practice (`{{practice.name}}`, `{{practice.phone}}`). */
  practice: z
    .strictObject({ name: z.string().min(1), phone: z.string().min(3) })
    .default({ name: 'CareGraph Clinic', phone: '+1 555 0100' }),
  /** The patient portal: `{{links.*}}` are made from it (README, "Links"). */
  portalUrl: z.url({ protocol: /^https$/ }).default('https://portal.example.org'),
  /** Allowed sending hours in the recipient's zone, unless a rule sets its own. */
  sendingWindow: sendingWindowSchema.default({ start: '08:00', end: '21:00' }),
  /** The delivery channels; a channel without settings is never used. */
  channels: z
    .strictObject({
      email: z
        .strictObject({
          host: z.string().min(1),
          port: z.number().int().min(1).max(65_535),
          security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
          auth: z.strictObject({ user: z.string(), pass: z.string() }).optional(),
          from: z.string().min(3),
        })
        .optional(),
      sms: z
        .strictObject({
          baseUrl: z.url().optional(),
          accountId: z.string().min(1),
          authToken: z.string().min(8),
          from: z.string().min(3),
          statusCallbackUrl: z.url().optional(),
          /**
           * The public URL of the plugin's SMS webhook (`/plugins/engagement/sms/webhook`) exactly as
           * set at the provider: replies and receipts are verified against it.
           */
          webhookUrl: z.url().optional(),
        })
        .optional(),
      /**
       * In-app messages: each becomes a Communication (channel in-app) of the patient, raising the
       * `CommunicationStatusChanged` event their app receives on `patientEvents(patientId)`.
       */
      inApp: z.boolean().default(false),
    })
    .default({ inApp: false }),
  /** How often refill reminders and adherence check-ins are planned (README, "Medication"). */
  medicationSweep: z
    .strictObject({ everySeconds: z.number().int().min(1).default(3_600) })
    .default({ everySeconds: 3_600 }),
  /**
   * The "plan upcoming appointments" sweep (README, "Planning"): at start and every
   * `sweepMinutes` (0: only at start, if `sweepAtStart`), `chunkSize` appointments a transaction.
   */
  planning: z
    .strictObject({
      sweepAtStart: z.boolean().default(true),
      sweepMinutes: z.number().int().min(0).default(60),
      chunkSize: z.number().int().min(1).max(10_000).default(1_000),
    })
    .default({ sweepAtStart: true, sweepMinutes: 60, chunkSize: 1_000 }),
  /** The dispatcher: how often it looks for due messages, how many per round, retries. */
  dispatch: z
    .strictObject({
      pollMs: z.number().int().min(10).default(5_000),
      batchSize: z.number().int().min(1).max(1_000).default(100),
      leaseSeconds: z.number().int().min(10).default(120),
      maxAttempts: z.number().int().min(1).default(5),
      /** Messages of a batch in flight at once (those to one recipient go one by one). */
      concurrency: z.number().int().min(1).max(100).default(10),
    })
    .default({ pollMs: 5_000, batchSize: 100, leaseSeconds: 120, maxAttempts: 5, concurrency: 10 }),
  /**
   * The care-gap sweep (README, "Care gaps"). Off unless enabled: switching it on raises Tasks
   * and messages for every patient with an open gap.
   */
  careGaps: z
    .strictObject({
      enabled: z.boolean().default(false),
      everyMinutes: z.number().int().min(5).default(1_440),
      chunkSize: z.number().int().min(10).max(5_000).default(500),
      rules: careGapRulesSchema.default([...DEFAULT_CARE_GAP_RULES]),
    })
    .default({
      enabled: false,
      everyMinutes: 1_440,
      chunkSize: 500,
      rules: [...DEFAULT_CARE_GAP_RULES],
    }),
});

export type EngagementConfig = z.output<typeof engagementConfigSchema>;
