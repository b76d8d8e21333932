import type { EntityManager } from '@mikro-orm/sql';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PluginRequestError, type PluginContext } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import { audienceCountStatement, audienceFilterSchema } from '../campaigns/audience-filter.js';
import { Campaign } from '../campaigns/campaign.js';
import { compileCodeMatchers, matchesCode } from '../care-gaps/code-matchers.js';
import { CampaignStatus } from '../campaigns/campaign-status.js';
import { ContentItem } from '../campaigns/content-item.js';
import { checkContent, contentItemInputSchema } from '../campaigns/content-templates.js';
import { scheduleCampaignLaunch } from '../campaigns/launch-campaign.js';
import { cancelPending } from '../scheduling/schedule-store.js';
import {
  CampaignAudienceInput,
  CampaignAudienceView,
  SaveCampaignInput,
  SaveContentItemInput,
} from './campaign-types.js';
import { parseInput } from './zod-input.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function conflict(message: string): PluginRequestError {
  return new PluginRequestError('CONFLICT', message);
}

/**
 * The content library and campaigns over GraphQL. Content and campaigns hold no PHI; the
 * audience preview is a count. Launching is a job at the scheduled time (`launchCampaign`).
 */
@Resolver(() => Campaign)
export class CampaignResolver {
  constructor(private readonly plugin: PluginContext<EngagementConfig>) {}

  @Query(() => [ContentItem], {
    description:
      'The content library, by name; with a condition code, the items linked to it (a linked stem such as E11.* covers E11.9).',
  })
  async contentItems(
    @Ctx() request: unknown,
    @Arg('conditionSystem', () => String, { nullable: true }) conditionSystem?: string,
    @Arg('conditionCode', () => String, { nullable: true }) conditionCode?: string,
  ): Promise<ContentItem[]> {
    if (!conditionSystem !== !conditionCode)
      throw PluginRequestError.badInput(
        [conditionCode ? 'conditionSystem' : 'conditionCode'],
        'give both the system and the code',
      );
    const scope = this.plugin.asCaller(request);
    const items = await scope.em.fork().find(ContentItem, {}, { orderBy: { name: 'asc' } });
    if (!conditionSystem) return items;
    const concept = { system: conditionSystem, code: conditionCode };
    return items.filter((item) => matchesCode(compileCodeMatchers(item.conditions), concept));
  }

  @Mutation(() => ContentItem, {
    description:
      'Saves a content item (a new one without id). Every translation passes the minimum-PHI check of templates: an error (a clinical placeholder) is refused with BAD_USER_INPUT; warnings (sensitive words) are kept in phiWarnings.',
  })
  async saveContentItem(
    @Arg('input', () => SaveContentItemInput) input: SaveContentItemInput,
    @Ctx() request: unknown,
  ): Promise<ContentItem> {
    const { id, ...fields } = input;
    if (id !== undefined && id !== null && !UUID.test(id))
      throw PluginRequestError.badInput(['input', 'id'], 'not an id');
    const parsed = parseInput(contentItemInputSchema, fields, ['input']);
    const findings = checkContent({ ...parsed, version: 1 });
    const error = findings.find((f) => f.severity === 'error');
    if (error)
      throw PluginRequestError.badInput(
        ['input', 'translations', error.translation, error.part === 'subject' ? 'title' : 'body'],
        `${error.code}: ${error.message}`,
      );
    const warnings = [...new Set(findings.map((f) => f.code))];
    const scope = this.plugin.asCaller(request);
    return scope.write(async (w) => {
      const em = w.em as EntityManager;
      let item: ContentItem;
      if (id) {
        const found = await em.findOne(ContentItem, id);
        if (!found) throw PluginRequestError.notFound('ContentItem', id);
        item = Object.assign(found, {
          ...parsed,
          phiWarnings: warnings,
          version: found.version + 1,
        });
      } else {
        item = em.create(ContentItem, {
          tenantId: scope.tenantId,
          ...parsed,
          phiWarnings: warnings,
        });
      }
      await em.flush();
      w.audit({
        action: id ? 'U' : 'C',
        type: 'ContentItem',
        entity: `ContentItem/${item.id}`,
        detail: { version: item.version },
      });
      return item;
    });
  }

  @Query(() => [Campaign], { description: "The tenant's campaigns, newest first." })
  async campaigns(
    @Ctx() request: unknown,
    @Arg('status', () => CampaignStatus, { nullable: true }) status?: CampaignStatus,
  ): Promise<Campaign[]> {
    const scope = this.plugin.asCaller(request);
    return scope.em
      .fork()
      .find(Campaign, status ? { status } : {}, { orderBy: { createdAt: 'desc' } });
  }

  @Mutation(() => Campaign, { description: 'Saves a draft campaign (a new one without id).' })
  async saveCampaign(
    @Arg('input', () => SaveCampaignInput) input: SaveCampaignInput,
    @Ctx() request: unknown,
  ): Promise<Campaign> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200)
      throw PluginRequestError.badInput(['input', 'name'], '1 to 200 characters');
    if (input.id && !UUID.test(input.id))
      throw PluginRequestError.badInput(['input', 'id'], 'not an id');
    if (!UUID.test(input.contentItemId))
      throw PluginRequestError.badInput(['input', 'contentItemId'], 'not an id');
    const audienceFilter = parseInput(audienceFilterSchema, { ...input.audience }, [
      'input',
      'audience',
    ]);
    const scope = this.plugin.asCaller(request);
    return scope.write(async (w) => {
      const em = w.em as EntityManager;
      if (!(await em.findOne(ContentItem, input.contentItemId)))
        throw PluginRequestError.badInput(
          ['input', 'contentItemId'],
          'no content item with this id',
        );
      let campaign: Campaign;
      if (input.id) {
        const found = await em.findOne(Campaign, input.id);
        if (!found) throw PluginRequestError.notFound('Campaign', input.id);
        if (found.status !== CampaignStatus.DRAFT)
          throw conflict('Only a draft campaign can be changed.');
        campaign = Object.assign(found, {
          name,
          contentItemId: input.contentItemId,
          audienceFilter,
        });
      } else {
        campaign = em.create(Campaign, {
          tenantId: scope.tenantId,
          name,
          contentItemId: input.contentItemId,
          audienceFilter,
          createdByUserId: scope.actorUserId,
        });
      }
      await em.flush();
      w.audit({
        action: input.id ? 'U' : 'C',
        type: 'Campaign',
        entity: `Campaign/${campaign.id}`,
      });
      return campaign;
    });
  }

  @Mutation(() => Campaign, {
    description:
      'Schedules a draft (or moves a scheduled) campaign to launch at `at` (default: now): then one message per audience patient is planned, sent only to those who consented to its purpose.',
  })
  async scheduleCampaign(
    @Arg('id', () => ID) id: string,
    @Ctx() request: unknown,
    @Arg('at', () => Date, { nullable: true }) at?: Date,
  ): Promise<Campaign> {
    if (!UUID.test(id)) throw PluginRequestError.badInput(['id'], 'not an id');
    const when = at ?? new Date();
    const scope = this.plugin.asCaller(request);
    const campaign = await scope.write(async (w) => {
      const found = await (w.em as EntityManager).findOne(Campaign, id);
      if (!found) throw PluginRequestError.notFound('Campaign', id);
      if (found.status !== CampaignStatus.DRAFT && found.status !== CampaignStatus.SCHEDULED)
        throw conflict('Only a draft or scheduled campaign can be scheduled.');
      Object.assign(found, { status: CampaignStatus.SCHEDULED, scheduledAt: when });
      w.audit({
        action: 'U',
        type: 'Campaign',
        entity: `Campaign/${id}`,
        detail: { scheduledAt: when },
      });
      return found;
    });
    // After the commit: the job finds the campaign scheduled (a lost enqueue is redone by scheduling again).
    await scheduleCampaignLaunch(this.plugin, id, when);
    return campaign;
  }

  @Mutation(() => Campaign, {
    description: 'Cancels a campaign; its messages not yet sent are withdrawn.',
  })
  async cancelCampaign(
    @Arg('id', () => ID) id: string,
    @Ctx() request: unknown,
  ): Promise<Campaign> {
    if (!UUID.test(id)) throw PluginRequestError.badInput(['id'], 'not an id');
    const scope = this.plugin.asCaller(request);
    return scope.write(async (w) => {
      const em = w.em as EntityManager;
      const found = await em.findOne(Campaign, id);
      if (!found) throw PluginRequestError.notFound('Campaign', id);
      if (found.status === CampaignStatus.CANCELLED) return found;
      found.status = CampaignStatus.CANCELLED;
      const withdrawn = await cancelPending(
        em,
        scope.tenantId,
        `Campaign/${id}`,
        'CAMPAIGN_CANCELLED',
      );
      w.audit({
        action: 'U',
        type: 'Campaign',
        entity: `Campaign/${id}`,
        detail: { cancelled: true, withdrawn },
      });
      return found;
    });
  }

  @Query(() => Int, {
    description: 'How many current patients an audience filter selects now (a count, no PHI).',
  })
  async campaignAudiencePreview(
    @Arg('audience', () => CampaignAudienceInput) audience: CampaignAudienceInput,
    @Ctx() request: unknown,
  ): Promise<number> {
    const filter = parseInput(audienceFilterSchema, { ...audience }, ['audience']);
    const scope = this.plugin.asCaller(request);
    const statement = audienceCountStatement(filter, scope.tenantId, new Date());
    const rows = await (scope.em.fork() as EntityManager).execute<{ count: number }[]>(
      statement.sql,
      statement.params,
      'all',
    );
    return Number(rows[0]?.count ?? 0);
  }

  @FieldResolver(() => CampaignAudienceView)
  audience(@Root() campaign: Campaign): CampaignAudienceView {
    const filter = campaign.audienceFilter;
    return {
      conditions: filter.conditions ?? [],
      carePrograms: filter.carePrograms ?? [],
      ageMin: filter.ageMin,
      ageMax: filter.ageMax,
    };
  }
}
