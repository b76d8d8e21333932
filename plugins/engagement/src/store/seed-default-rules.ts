import type { EntityManager } from '@mikro-orm/sql';
import type { TenantScope } from '@caregraph/plugin-sdk';
import { DEFAULT_RULES } from './default-rules.js';
import { EngagementRule } from './engagement-rule.js';
import { saveRuleVersion } from './rule-repository.js';

/** Saves the default rules for a tenant that has none (a tenant's own rules are never touched). */
export async function seedDefaultRules(scope: TenantScope): Promise<number> {
  return scope.write(async (w) => {
    const em = w.em as EntityManager;
    if ((await em.count(EngagementRule, {})) > 0) return 0;
    for (const rule of DEFAULT_RULES)
      await saveRuleVersion(em, {
        tenantId: scope.tenantId,
        key: rule.key,
        kind: rule.kind,
        definition: rule.definition,
        userId: scope.actorUserId,
      });
    return DEFAULT_RULES.length;
  });
}
