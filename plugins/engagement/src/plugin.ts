import { CareEventType, Role, type CommunicationChannel } from '@caregraph/schema';
import { definePlugin, type PluginContext } from '@caregraph/plugin-sdk';
import { engagementConfigSchema, type EngagementConfig } from './config.js';
import { EngagementOptOutResolver } from './graphql/engagement-opt-out-resolver.js';
import { campaignTemplates } from './campaigns/campaign-templates.js';
import { Campaign } from './campaigns/campaign.js';
import { ContentItem } from './campaigns/content-item.js';
import { campaignLaunchJob } from './campaigns/launch-campaign.js';
import { careGapSweepJob, scheduleCareGapSweep } from './care-gaps/care-gap-job.js';
import { CareGapRecord } from './care-gaps/care-gap-record.js';
import { CampaignResolver } from './graphql/campaign-resolver.js';
import { CareGapResolver } from './graphql/care-gap-resolver.js';
import { EngagementRuleResolver } from './graphql/engagement-rule-resolver.js';
import { EngagementTemplateResolver } from './graphql/engagement-template-resolver.js';
import { ScheduledMessageResolver } from './graphql/scheduled-message-resolver.js';
import {
  PatientSurveySummaryResolver,
  SurveyResponseResolver,
} from './graphql/survey-response-resolver.js';
import { APPOINTMENT_EVENT_TYPES, followAppointments } from './scheduling/appointment-events.js';
import { CLINICAL_EVENT_TYPES, followClinicalNotices } from './scheduling/clinical-notices.js';
import { medicationSweepJob, scheduleMedicationSweep } from './scheduling/medication-sweep.js';
import { systemClock, type Clock } from './scheduling/clock.js';
import { type DispatchOutcome } from './scheduling/dispatch-message.js';
import { startDispatcher, type RunningDispatcher } from './scheduling/dispatcher.js';
import type { PlanUpcomingResult } from './scheduling/plan-upcoming.js';
import { startPlanningSweep, type RunningPlanningSweep } from './scheduling/planning-sweep.js';
import type { DeliveryChannel } from './channels/channel.js';
import { configuredChannels } from './channels/configured-channels.js';
import { smsWebhook } from './inbound/sms-webhook.js';
import { EngagementRule } from './store/engagement-rule.js';
import { EngagementTemplate } from './store/engagement-template.js';
import { Migration20261203150000_engagement_rule } from './store/migrations/Migration20261203150000_engagement_rule.js';
import { Migration20261203150100_engagement_scheduled_message } from './store/migrations/Migration20261203150100_engagement_scheduled_message.js';
import { Migration20261203160000_engagement_reply_lookup } from './store/migrations/Migration20261203160000_engagement_reply_lookup.js';
import { Migration20261203170000_engagement_survey_response } from './store/migrations/Migration20261203170000_engagement_survey_response.js';
import { Migration20261203190000_engagement_care_gap } from './store/migrations/Migration20261203190000_engagement_care_gap.js';
import { Migration20261203190100_engagement_campaign } from './store/migrations/Migration20261203190100_engagement_campaign.js';
import { Migration20261203200000_engagement_template } from './store/migrations/Migration20261203200000_engagement_template.js';
import { ScheduledMessage } from './store/scheduled-message.js';
import { SurveyResponse } from './store/survey-response.js';
import { tenantTemplateSource } from './store/tenant-templates.js';
import { seedDefaultRules } from './store/seed-default-rules.js';

/** A patient's messages are their communications: core's rules for that category. */
const communications = { kind: 'category', category: 'communications' } as const;

/** Rules hold no PHI: the people who run the tenant's outreach read them, admins change them. */
const ruleReaders = { kind: 'roles', roles: [Role.ADMIN, Role.CARE_COORDINATOR] } as const;
const ruleEditors = { kind: 'roles', roles: [Role.ADMIN] } as const;
/** Content and campaigns hold no PHI: the people who run the tenant's outreach manage them. */
const outreachManagers = { kind: 'roles', roles: [Role.ADMIN, Role.CARE_COORDINATOR] } as const;
/** A patient's care gaps say what care is due: core's rules for their clinical data. */
const clinical = { kind: 'category', category: 'clinical' } as const;

/** A preview is filled with the patient's data: core's rules for their communications. */
const preview = { kind: 'patient', category: 'communications', argument: 'patientId' } as const;

/**
 * Opt-outs are the patient's consents: reading them is core's `careRelations` rule; staff who
 * take a patient's request record and end them, and core's opt-out service checks the caller's
 * right to write that patient's consents (a care relationship where the matrix asks one).
 */
const optOutReaders = {
  kind: 'patient',
  category: 'careRelations',
  argument: 'patientId',
} as const;
const optOutEditors = {
  kind: 'roles',
  roles: [Role.FRONT_DESK, Role.CARE_COORDINATOR, Role.NURSE, Role.PHYSICIAN],
} as const;

/** The running dispatcher and sweep of each started context (a restart gets a new context). */
const running = new WeakMap<
  AbortSignal,
  { dispatcher: RunningDispatcher; sweep: RunningPlanningSweep }
>();

/**
 * What a started plugin lets its embedder run now instead of waiting for the timers (an
 * operator's command after changing rules, tests, the benchmark).
 */
export interface EngagementControls {
  /** Runs the "plan upcoming appointments" sweep now (joins one in progress). */
  planUpcoming(): Promise<PlanUpcomingResult>;
  /** Claims and dispatches due messages now, a batch at a time until none is left. */
  dispatchDue(): Promise<DispatchOutcome[]>;
}

/** Options of `createEngagementPlugin`. */
export interface EngagementPluginOptions {
  /** Where the scheduler reads the time (tests pass a controllable clock). */
  clock?: Clock;
  /** Called at each start with that start's controls. */
  onStart?: (controls: EngagementControls) => void;
  /**
   * Delivery channels a vendor adds (e.g. `PHONE`, a voice-call API) or puts in place of a
   * configured one of the same kind (e.g. an email API instead of SMTP): a factory per channel,
   * called at each start (the dispatcher closes its channels when it stops).
   */
  channels?: Partial<Record<CommunicationChannel, () => DeliveryChannel>>;
}

/**
 * The engagement plugin (see README): plans appointment reminders and confirmation
 * requests from the tenant's rules as appointments are booked, moved and cancelled (and in a
 * periodic sweep of the upcoming ones), rebooking outreach after a no-show and a satisfaction
 * survey after a visit, notices of released lab results and care-plan changes, refill reminders
 * and adherence check-ins, care-gap outreach and campaigns, and sends them when due, by email,
 * SMS or in-app, within the recipient's consents, sending hours and caps; survey answers (SMS
 * replies, or entered over GraphQL) are stored on the patient.
 */
export function createEngagementPlugin(options: EngagementPluginOptions = {}) {
  const clock = options.clock ?? systemClock;
  return definePlugin({
    id: 'engagement',
    version: '0.1.0',
    apiVersion: '^1.7.0',
    config: engagementConfigSchema,
    entities: [
      EngagementRule,
      ScheduledMessage,
      EngagementTemplate,
      CareGapRecord,
      ContentItem,
      Campaign,
      SurveyResponse,
    ],
    migrations: [
      { name: 'engagement_rule', class: Migration20261203150000_engagement_rule },
      {
        name: 'engagement_scheduled_message',
        class: Migration20261203150100_engagement_scheduled_message,
      },
      { name: 'engagement_reply_lookup', class: Migration20261203160000_engagement_reply_lookup },
      {
        name: 'engagement_survey_response',
        class: Migration20261203170000_engagement_survey_response,
      },
      { name: 'engagement_care_gap', class: Migration20261203190000_engagement_care_gap },
      { name: 'engagement_campaign', class: Migration20261203190100_engagement_campaign },
      { name: 'engagement_template', class: Migration20261203200000_engagement_template },
    ],
    resolvers: [
      ScheduledMessageResolver,
      EngagementRuleResolver,
      EngagementTemplateResolver,
      EngagementOptOutResolver,
      CampaignResolver,
      CareGapResolver,
      SurveyResponseResolver,
      PatientSurveySummaryResolver,
    ],
    jobs: [medicationSweepJob(clock), careGapSweepJob(clock), campaignLaunchJob(clock)],
    routes: [smsWebhook(clock)],
    permissions: {
      Query: {
        scheduledMessages: { kind: 'patient', category: 'communications', argument: 'patientId' },
        surveyResponses: { kind: 'patient', category: 'communications', argument: 'patientId' },
        engagementRules: ruleReaders,
        engagementTemplates: ruleReaders,
        previewEngagementMessage: preview,
        engagementOptOuts: optOutReaders,
        careGaps: { kind: 'patient', category: 'clinical', argument: 'patientId' },
        contentItems: outreachManagers,
        campaigns: outreachManagers,
        campaignAudiencePreview: outreachManagers,
      },
      Mutation: {
        saveEngagementRule: ruleEditors,
        saveEngagementTemplate: ruleEditors,
        recordEngagementOptOut: optOutEditors,
        revokeEngagementOptOut: optOutEditors,
        runCareGapSweep: ruleEditors,
        saveContentItem: outreachManagers,
        saveCampaign: outreachManagers,
        scheduleCampaign: outreachManagers,
        cancelCampaign: outreachManagers,
        // The matrix has no communications write cell: whoever may read the patient's
        // communications (their care team, the patient, a proxy) may record their answer.
        recordSurveyResponse: {
          kind: 'patient',
          category: 'communications',
          argument: 'input.patientId',
        },
      },
      // A survey answer is patient-reported text about their care, read as their communications.
      Patient: { surveySummary: communications },
      SurveySummary: { kind: 'allow' },
      SurveyResponse: communications,
      SurveyResponseConnection: communications,
      SurveyResponseEdge: communications,
      EngagementTemplate: ruleReaders,
      SaveEngagementTemplatePayload: ruleEditors,
      EngagementMessagePreview: communications,
      // Reached only through the guarded fields above (save, preview).
      EngagementTemplateFinding: { kind: 'allow' },
      // Reached only through the opt-out fields, which decide per patient.
      EngagementOptOut: { kind: 'allow' },
      CareGap: clinical,
      ContentItem: outreachManagers,
      ContentTranslation: outreachManagers,
      ContentCodes: outreachManagers,
      Campaign: outreachManagers,
      CampaignAudience: outreachManagers,
      CampaignAudienceCodes: outreachManagers,
      EngagementRule: ruleReaders,
      EngagementRuleDefinition: ruleReaders,
      EngagementAllowedHours: ruleReaders,
      ScheduledMessage: communications,
      ScheduledMessageConnection: communications,
      ScheduledMessageEdge: communications,
    },
    topics: {
      consumes: [...APPOINTMENT_EVENT_TYPES, ...CLINICAL_EVENT_TYPES],
      emits: [CareEventType.COMMUNICATION_STATUS_CHANGED],
    },
    async start(ctx) {
      const context = ctx as PluginContext<EngagementConfig>;
      const { tenantId, integrationUserId: userId, seedDefaultRules: seed } = context.config;
      if (seed) await ctx.inTenant({ tenantId, userId }, seedDefaultRules);
      followAppointments(context, clock);
      followClinicalNotices(context, clock);
      // One interval after start, not at once: planning runs days ahead of what it plans, and
      // a hub that restarts does not sweep the tenant's whole medication list each time.
      await scheduleMedicationSweep(
        context,
        new Date(Date.now() + context.config.medicationSweep.everySeconds * 1_000),
      );
      const channels = configuredChannels(context.config.channels);
      for (const [kind, create] of Object.entries(options.channels ?? {}))
        channels.set(kind as CommunicationChannel, create());
      const dispatcher = startDispatcher(
        context,
        clock,
        channels,
        tenantTemplateSource(context),
        campaignTemplates,
      );
      const sweep = startPlanningSweep(context, clock);
      running.set(ctx.signal, { dispatcher, sweep });
      if (context.config.careGaps.enabled) await scheduleCareGapSweep(context, new Date());
      options.onStart?.({ planUpcoming: sweep.runOnce, dispatchDue: dispatcher.runOnce });
    },
    async stop(ctx) {
      const started = running.get(ctx.signal);
      running.delete(ctx.signal);
      await started?.sweep.stop();
      await started?.dispatcher.stop();
    },
  });
}

/** The engagement plugin on the system clock. */
export const engagement = createEngagementPlugin();
