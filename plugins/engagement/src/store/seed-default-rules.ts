import type { EntityManager } from '@mikro-orm/sql';
import type { TenantScope } from '@caregraph/plugin-sdk';
import { DEFAULT_RULES } from './default-rules.js';
import { EngagementRule } from './engagement-rule.js';
import { saveRuleVersion } from './rule-repository.js';

/**
 * Saves each default rule (`DEFAULT_RULES`) the tenant has never had, at every start: a tenant
 * seeded before a default existed gets it too. A rule the tenant has, in any version (edited,
 * switched off), is never touched. Resolves with how many were saved.
 */
export async function seedDefaultRules(scope: TenantScope): Promise<number> {
  return scope.write(async (w) => {
    const em = w.em as EntityManager;
    const had = new Set(
      (await em.find(EngagementRule, {}, { fields: ['key'] })).map((rule) => rule.key),
    );
    const missing = DEFAULT_RULES.filter((rule) => !had.has(rule.key));
    for (const rule of missing)
      await saveRuleVersion(em, {
        tenantId: scope.tenantId,
        key: rule.key,
        kind: rule.kind,
        definition: rule.definition,
        userId: scope.actorUserId,
      });
    return missing.length;
  });
}
