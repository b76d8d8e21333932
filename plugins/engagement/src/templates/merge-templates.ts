import { sameLanguage } from './language-fallback.js';
import type { MessageTemplate } from './message-template.js';

/**
 * The templates a tenant sends from: its own current templates, and the built-in ones for every
 * key, channel and language it has not written. A tenant's template replaces the built-in one of
 * the same key, channel and language whatever their version numbers (versions count per source).
 */
export function mergeTemplates(
  builtIn: readonly MessageTemplate[],
  tenant: readonly MessageTemplate[],
): MessageTemplate[] {
  const overridden = (t: MessageTemplate) =>
    tenant.some(
      (own) =>
        own.key === t.key && own.channel === t.channel && sameLanguage(own.language, t.language),
    );
  return [...builtIn.filter((t) => !overridden(t)), ...tenant];
}
