import type { EntityManager } from '@mikro-orm/sql';
import type { JobDefinition, PluginContext, TenantScope } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import type { Clock } from '../scheduling/clock.js';
import { planMessage, type PlannedMessage } from '../scheduling/planned-message.js';
import { storePlanned } from '../scheduling/schedule-store.js';
import { ensureDefaultRule } from '../store/ensure-default-rule.js';
import { audiencePageStatement } from './audience-filter.js';
import { Campaign } from './campaign.js';
import { CampaignStatus } from './campaign-status.js';
import { CAMPAIGN_TEMPLATE_KEY } from './content-templates.js';
import { ContentItem } from './content-item.js';

/** The rule whose channels campaign messages use. */
export const CAMPAIGN_RULE = 'campaigns';
const JOB = 'campaign-launch';
/** Audience patients per planning statement. */
const PAGE = 1_000;
/** Tips not sent within a week (caps, quiet hours) are not worth sending late. */
const VALID_MS = 7 * 86_400_000;

/**
 * Launches a scheduled campaign: plans one message per audience patient (as the audience is
 * now), set-based a page at a time through `storePlanned`, with the content's purpose (the
 * dispatcher sends only to those who opted in to it) and an idempotency key per campaign and
 * patient, then marks it SENT. A campaign no longer SCHEDULED (cancelled, already launched) is
 * left alone. Returns how many messages were planned.
 */
export async function launchCampaign(
  scope: TenantScope,
  campaignId: string,
  now: Date,
): Promise<number> {
  return scope.write(async (w) => {
    const em = w.em as EntityManager;
    const campaign = await em.findOne(Campaign, campaignId);
    if (!campaign || campaign.status !== CampaignStatus.SCHEDULED) return 0;
    const content = await em.findOne(ContentItem, campaign.contentItemId);
    const rule = await ensureDefaultRule(em, scope.tenantId, CAMPAIGN_RULE, scope.actorUserId);
    let planned = 0;
    if (content && rule.active) {
      const dueAt = campaign.scheduledAt && campaign.scheduledAt > now ? campaign.scheduledAt : now;
      const about = `Campaign/${campaign.id}`;
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const page = audiencePageStatement(campaign.audienceFilter, {
          tenantId: scope.tenantId,
          now,
          after,
          limit: PAGE,
        });
        const ids = await em.execute<{ id: string }[]>(page.sql, page.params, 'all');
        // Each message's purpose is its content's, not the rule's.
        const planning = {
          key: rule.key,
          version: rule.version,
          purpose: content.purpose,
          templateKey: CAMPAIGN_TEMPLATE_KEY,
        };
        const messages: PlannedMessage[] = ids.map(({ id }) =>
          planMessage(planning, {
            patientId: id,
            recipient: { type: 'Patient', id },
            about,
            trigger: 'campaign',
            dueAt,
            expiresAt: new Date(dueAt.getTime() + VALID_MS),
            key: { trigger: 'launch' },
          }),
        );
        planned += await storePlanned(em, scope.tenantId, messages);
        if (ids.length < PAGE) break;
        after = ids[ids.length - 1]!.id;
      }
    }
    Object.assign(campaign, {
      status: CampaignStatus.SENT,
      launchedAt: now,
      plannedCount: planned,
    });
    w.audit({
      action: 'U',
      type: 'Campaign',
      entity: `Campaign/${campaign.id}`,
      detail: { launched: true, planned },
    });
    return planned;
  });
}

/** The launch job: runs at the campaign's time (`scheduleCampaignLaunch`). */
export function campaignLaunchJob(clock: Clock): JobDefinition<{ campaignId: string }> {
  return {
    name: JOB,
    async run(data, _job, plugin) {
      const ctx = plugin as PluginContext<EngagementConfig>;
      const { tenantId, integrationUserId: userId } = ctx.config;
      const planned = await ctx.inTenant({ tenantId, userId }, (scope) =>
        launchCampaign(scope, data.campaignId, clock.now()),
      );
      ctx.metrics.increment('campaign_messages_planned', planned);
    },
  };
}

/** Queues a campaign's launch at `at` (rescheduling moves the queued launch). */
export function scheduleCampaignLaunch(
  ctx: PluginContext<EngagementConfig>,
  campaignId: string,
  at: Date,
): Promise<string> {
  return ctx.jobs.schedule(
    JOB,
    { campaignId },
    { tenantId: ctx.config.tenantId, startAfter: at, singletonKey: `campaign:${campaignId}` },
  );
}
