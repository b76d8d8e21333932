import type { EntityManager } from '@mikro-orm/sql';
import type { PluginContext } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import {
  cachedTemplateSource,
  DEFAULT_TEMPLATES,
  mergeTemplates,
  type TemplateSource,
} from '../templates/index.js';
import { asMessageTemplate } from './engagement-template.js';
import { currentTemplates } from './template-repository.js';

/** The template source of each tenant this process sends for (a save here invalidates it). */
const sources = new Map<string, TemplateSource>();

/** The tenant's current templates merged over the built-in ones, read as `em`'s scope. */
export async function tenantTemplates(em: EntityManager) {
  return mergeTemplates(DEFAULT_TEMPLATES, (await currentTemplates(em)).map(asMessageTemplate));
}

/** The dispatcher's template source for the plugin's tenant, read as the plugin's account. */
export function tenantTemplateSource(ctx: PluginContext<EngagementConfig>): TemplateSource {
  const { tenantId, integrationUserId: userId } = ctx.config;
  const source = cachedTemplateSource(() =>
    ctx.inTenant({ tenantId, userId }, (scope) =>
      tenantTemplates(scope.em.fork() as EntityManager),
    ),
  );
  sources.set(tenantId.toLowerCase(), source);
  return source;
}

/** A template was saved: this instance's next message reads the tenant's templates again. */
export function templatesChanged(tenantId: string): void {
  sources.get(tenantId.toLowerCase())?.invalidate();
}
