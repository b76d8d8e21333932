import type { EntityManager } from '@mikro-orm/sql';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { PluginRequestError, type PluginContext } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import { EngagementRule } from '../store/engagement-rule.js';
import { saveRuleVersion } from '../store/rule-repository.js';
import { RuleDefinitionView, SaveEngagementRuleInput } from './engagement-rule-types.js';

const KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The tenant's automations over GraphQL: the current versions, history, and saving a new one. */
@Resolver(() => EngagementRule)
export class EngagementRuleResolver {
  constructor(private readonly plugin: PluginContext<EngagementConfig>) {}

  @Query(() => [EngagementRule], {
    description:
      "The tenant's engagement rules: the current version of each, or every version of one key.",
  })
  async engagementRules(
    @Ctx() request: unknown,
    @Arg('key', () => String, { nullable: true }) key?: string,
  ): Promise<EngagementRule[]> {
    const scope = this.plugin.asCaller(request);
    return scope.em.fork().find(EngagementRule, key ? { key } : { supersededAt: null }, {
      orderBy: key ? { version: 'desc' } : { key: 'asc' },
    });
  }

  @Mutation(() => EngagementRule, {
    description:
      'Saves the next version of a rule (version 1 for a new key) and supersedes the current one; messages already planned keep the version that planned them.',
  })
  async saveEngagementRule(
    @Arg('input', () => SaveEngagementRuleInput) input: SaveEngagementRuleInput,
    @Ctx() request: unknown,
  ): Promise<EngagementRule> {
    if (!KEY.test(input.key))
      throw PluginRequestError.badInput(
        ['input', 'key'],
        'lowercase letters, digits and -, at most 64',
      );
    const { key, kind, active, ...definition } = input;
    const scope = this.plugin.asCaller(request);
    try {
      return await scope.write(async (w) => {
        const rule = await saveRuleVersion(w.em as EntityManager, {
          tenantId: scope.tenantId,
          key,
          kind,
          active,
          definition: withoutNulls(definition),
          userId: scope.actorUserId,
        });
        w.audit({
          action: rule.version === 1 ? 'C' : 'U',
          type: 'EngagementRule',
          entity: `EngagementRule/${rule.id}`,
          detail: { key, version: rule.version },
        });
        return rule;
      });
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      const issue = error.issues[0]!;
      throw PluginRequestError.badInput(['input', ...issue.path.map(String)], issue.message);
    }
  }

  @FieldResolver(() => RuleDefinitionView)
  definition(@Root() rule: EngagementRule): RuleDefinitionView {
    return { ...rule.definition, offsets: rule.definition.offsets ?? [] };
  }
}

/** GraphQL gives absent optional fields as undefined, but a client may send null: both mean unset. */
function withoutNulls(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}
