/**
 * @caregraph/plugin-engagement: reminders, follow-ups, alerts and campaigns with consent, quiet
 * hours and frequency caps (see README).
 */
export {
  createEngagementPlugin,
  engagement,
  type EngagementControls,
  type EngagementPluginOptions,
} from './plugin.js';
export type { DispatchOutcome } from './scheduling/dispatch-message.js';
export {
  DeliveryError,
  DeliveryErrorCode,
  type DeliveryChannel,
  type OutgoingMessage,
  type SendReceipt,
} from './channels/index.js';
export type { PlanUpcomingResult } from './scheduling/plan-upcoming.js';
export { engagementConfigSchema, type EngagementConfig } from './config.js';
export type { Clock } from './scheduling/clock.js';
export { EngagementRule } from './store/engagement-rule.js';
export { RuleKind } from './store/rule-kind.js';
export { ruleDefinitionSchema, type RuleDefinition } from './store/rule-definition.js';
export { ScheduledMessage } from './store/scheduled-message.js';
export { ScheduledMessageStatus } from './store/scheduled-message-status.js';
export { SurveyResponse } from './store/survey-response.js';
export { parseSurveyReply, type SurveyAnswer } from './surveys/survey-reply.js';
export { npsSummary, type NpsSummary } from './surveys/nps-summary.js';
