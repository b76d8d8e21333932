import type { EntityManager } from '@mikro-orm/sql';
import { canonicalLanguage, type MessageTemplate } from '../templates/index.js';
import { EngagementTemplate } from './engagement-template.js';

/** The tenant's current (not superseded) templates, of one key or all. */
export function currentTemplates(em: EntityManager, key?: string): Promise<EngagementTemplate[]> {
  return em.find(
    EngagementTemplate,
    { ...(key ? { key } : {}), supersededAt: null },
    { orderBy: { key: 'asc', channel: 'asc', language: 'asc' } },
  );
}

/**
 * Saves the next version of the template of `template.key`, channel and language (version 1 when
 * new) and supersedes the current one, in `em`'s transaction. The caller validates it first; the
 * version it carries is ignored (the store numbers versions).
 */
export async function saveTemplateVersion(
  em: EntityManager,
  tenantId: string,
  template: Omit<MessageTemplate, 'version'>,
  userId?: string,
): Promise<EngagementTemplate> {
  const language = canonicalLanguage(template.language) ?? template.language;
  const identity = { key: template.key, channel: template.channel, language };
  const current = await em.findOne(EngagementTemplate, { ...identity, supersededAt: null });
  if (current) current.supersededAt = new Date();
  const row = em.create(EngagementTemplate, {
    tenantId,
    ...identity,
    version: (current?.version ?? 0) + 1,
    purpose: template.purpose,
    subject: template.subject,
    text: template.text,
    html: template.html,
    createdByUserId: userId,
  });
  await em.flush();
  return row;
}
