import type { EntityManager } from '@mikro-orm/sql';
import type { ScheduledMessage } from '../store/scheduled-message.js';
import type { MessageTemplate } from '../templates/index.js';
import { Campaign } from './campaign.js';
import { CAMPAIGN_TEMPLATE_KEY, contentTemplates } from './content-templates.js';
import { ContentItem } from './content-item.js';

/**
 * The dispatcher's template source for campaign messages: the `campaign` templates of the
 * campaign's content item as it is now (none when it is gone: the message fails with
 * `CG_ERR_TEMPLATE_NOT_FOUND`). Undefined for every other message (the fixed templates apply).
 */
export async function campaignTemplates(
  em: EntityManager,
  message: Pick<ScheduledMessage, 'templateKey' | 'about'>,
): Promise<readonly MessageTemplate[] | undefined> {
  if (message.templateKey !== CAMPAIGN_TEMPLATE_KEY || !message.about?.startsWith('Campaign/'))
    return undefined;
  const campaign = await em.findOne(Campaign, message.about.slice('Campaign/'.length));
  const content = campaign ? await em.findOne(ContentItem, campaign.contentItemId) : null;
  return content ? contentTemplates(content) : [];
}
