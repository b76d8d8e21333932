import type { EntityManager } from '@mikro-orm/sql';
import { DEFAULT_RULES } from './default-rules.js';
import { EngagementRule } from './engagement-rule.js';
import { saveRuleVersion } from './rule-repository.js';

/**
 * The current version of rule `key`, saving the default (`DEFAULT_RULES`) when the tenant has
 * none, in `em`'s transaction: a tenant seeded before the rule existed gets it on first use. The
 * rule may be inactive: the tenant switched that outreach off.
 */
export async function ensureDefaultRule(
  em: EntityManager,
  tenantId: string,
  key: string,
  userId?: string,
): Promise<EngagementRule> {
  const current = await em.findOne(EngagementRule, { key, supersededAt: null });
  if (current) return current;
  const rule = DEFAULT_RULES.find((r) => r.key === key);
  if (!rule) throw new Error(`no default rule ${key}`);
  return saveRuleVersion(em, {
    tenantId,
    key,
    kind: rule.kind,
    definition: rule.definition,
    userId,
  });
}
