import { CareEventType, Role } from '@caregraph/schema';
import { definePlugin, type PluginContext } from '@caregraph/plugin-sdk';
import { engagementConfigSchema, type EngagementConfig } from './config.js';
import { EngagementRuleResolver } from './graphql/engagement-rule-resolver.js';
import { ScheduledMessageResolver } from './graphql/scheduled-message-resolver.js';
import { APPOINTMENT_EVENT_TYPES, followAppointments } from './scheduling/appointment-events.js';
import { systemClock, type Clock } from './scheduling/clock.js';
import { type DispatchOutcome } from './scheduling/dispatch-message.js';
import { startDispatcher, type RunningDispatcher } from './scheduling/dispatcher.js';
import type { PlanUpcomingResult } from './scheduling/plan-upcoming.js';
import { startPlanningSweep, type RunningPlanningSweep } from './scheduling/planning-sweep.js';
import { configuredChannels } from './channels/configured-channels.js';
import { DEFAULT_TEMPLATES } from './templates/index.js';
import { smsWebhook } from './inbound/sms-webhook.js';
import { EngagementRule } from './store/engagement-rule.js';
import { Migration20261203150000_engagement_rule } from './store/migrations/Migration20261203150000_engagement_rule.js';
import { Migration20261203150100_engagement_scheduled_message } from './store/migrations/Migration20261203150100_engagement_scheduled_message.js';
import { Migration20261203160000_engagement_reply_lookup } from './store/migrations/Migration20261203160000_engagement_reply_lookup.js';
import { ScheduledMessage } from './store/scheduled-message.js';
import { seedDefaultRules } from './store/seed-default-rules.js';

/** A patient's messages are their communications: core's rules for that category. */
const communications = { kind: 'category', category: 'communications' } as const;

/** Rules hold no PHI: the people who run the tenant's outreach read them, admins change them. */
const ruleReaders = { kind: 'roles', roles: [Role.ADMIN, Role.CARE_COORDINATOR] } as const;
const ruleEditors = { kind: 'roles', roles: [Role.ADMIN] } as const;

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
}

/**
 * The engagement plugin (in progress, see README): plans appointment reminders and confirmation
 * requests from the tenant's rules as appointments are booked, moved and cancelled (and in a
 * periodic sweep of the upcoming ones), and sends
 * them when due, by email or SMS, within the recipient's consents, sending hours and caps.
 */
export function createEngagementPlugin(options: EngagementPluginOptions = {}) {
  const clock = options.clock ?? systemClock;
  return definePlugin({
    id: 'engagement',
    version: '0.1.0',
    apiVersion: '^1.6.0',
    config: engagementConfigSchema,
    entities: [EngagementRule, ScheduledMessage],
    migrations: [
      { name: 'engagement_rule', class: Migration20261203150000_engagement_rule },
      {
        name: 'engagement_scheduled_message',
        class: Migration20261203150100_engagement_scheduled_message,
      },
      { name: 'engagement_reply_lookup', class: Migration20261203160000_engagement_reply_lookup },
    ],
    resolvers: [ScheduledMessageResolver, EngagementRuleResolver],
    routes: [smsWebhook(clock)],
    permissions: {
      Query: {
        scheduledMessages: { kind: 'patient', category: 'communications', argument: 'patientId' },
        engagementRules: ruleReaders,
      },
      Mutation: { saveEngagementRule: ruleEditors },
      EngagementRule: ruleReaders,
      EngagementRuleDefinition: ruleReaders,
      EngagementAllowedHours: ruleReaders,
      ScheduledMessage: communications,
      ScheduledMessageConnection: communications,
      ScheduledMessageEdge: communications,
    },
    topics: {
      consumes: [...APPOINTMENT_EVENT_TYPES],
      emits: [CareEventType.COMMUNICATION_STATUS_CHANGED],
    },
    async start(ctx) {
      const context = ctx as PluginContext<EngagementConfig>;
      const { tenantId, integrationUserId: userId, seedDefaultRules: seed } = context.config;
      if (seed) await ctx.inTenant({ tenantId, userId }, seedDefaultRules);
      followAppointments(context, clock);
      const channels = configuredChannels(context.config.channels);
      const dispatcher = startDispatcher(context, clock, channels, DEFAULT_TEMPLATES);
      const sweep = startPlanningSweep(context, clock);
      running.set(ctx.signal, { dispatcher, sweep });
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
