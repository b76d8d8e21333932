import type { EntityManager } from '@mikro-orm/sql';
import { EngagementRule } from './engagement-rule.js';
import { ruleDefinitionSchema, type RuleDefinition } from './rule-definition.js';
import type { RuleKind } from './rule-kind.js';

/** The current (not superseded) active version of each of the tenant's rules of `kinds`. */
export function currentRules(
  em: EntityManager,
  kinds: readonly RuleKind[],
): Promise<EngagementRule[]> {
  return em.find(
    EngagementRule,
    { kind: { $in: [...kinds] }, active: true, supersededAt: null },
    { orderBy: { key: 'asc' } },
  );
}

/**
 * Saves the next version of rule `key` (version 1 when it is new) and supersedes the current
 * one, in `em`'s transaction. The definition is validated first (a zod error names the field).
 */
export async function saveRuleVersion(
  em: EntityManager,
  input: {
    tenantId: string;
    key: string;
    kind: RuleKind;
    definition: unknown;
    active?: boolean;
    userId?: string;
  },
): Promise<EngagementRule> {
  const definition: RuleDefinition = ruleDefinitionSchema.parse(input.definition);
  const current = await em.findOne(EngagementRule, { key: input.key, supersededAt: null });
  const now = new Date();
  if (current) current.supersededAt = now;
  const rule = em.create(EngagementRule, {
    tenantId: input.tenantId,
    key: input.key,
    version: (current?.version ?? 0) + 1,
    kind: input.kind,
    active: input.active ?? true,
    definition,
    createdByUserId: input.userId,
  });
  await em.flush();
  return rule;
}
