import type { PluginContext } from '@caregraph/plugin-sdk';
import { smsWebhookRoute } from '../channels/index.js';
import type { EngagementConfig } from '../config.js';
import type { Clock } from '../scheduling/clock.js';
import { handleReply } from './handle-reply.js';
import { recordReceipt } from './record-receipt.js';

/**
 * The plugin's SMS webhook (`POST /plugins/engagement/sms/webhook`): replies and delivery
 * receipts, verified against `channels.sms.webhookUrl` and the auth token, handled as the
 * plugin's account before the provider gets its answer.
 */
export function smsWebhook(clock: Clock) {
  return smsWebhookRoute({
    settings(ctx) {
      const sms = (ctx.config as EngagementConfig).channels.sms;
      return sms?.webhookUrl ? { webhookUrl: sms.webhookUrl, authToken: sms.authToken } : undefined;
    },
    async onEvent(event, ctx) {
      const { tenantId, integrationUserId: userId } = (ctx as PluginContext<EngagementConfig>)
        .config;
      const outcome = await ctx.inTenant({ tenantId, userId }, (scope) =>
        event.kind === 'status'
          ? recordReceipt(scope, event).then((moved) => (moved ? 'receipt' : 'receipt-ignored'))
          : handleReply(scope, event, clock.now()),
      );
      ctx.metrics.increment('sms_webhook_events', 1, { outcome });
    },
  });
}
