import { languageFallbackChain, sameLanguage } from './language-fallback.js';
import { ANY_CHANNEL, type MessageTemplate, type TemplateChannel } from './message-template.js';
import { TemplateError } from './template-errors.js';

/** What a message needs a template for. */
export interface TemplateRequest {
  key: string;
  channel: TemplateChannel;
  /** The recipient's preferred language (BCP 47), when known. */
  preferredLanguage?: string;
  /** The tenant's default language (BCP 47). */
  tenantDefaultLanguage?: string;
}

/**
 * Chooses the template of `request.key` for a recipient. Languages are tried in the order of
 * `languageFallbackChain` (`es-MX` → `es` → the tenant's default → `en`); for each language a
 * template written for the channel wins over an `any` template. Language comes first because a
 * message the recipient can read matters more than one shaped for the channel. Among versions of
 * the same template the highest wins.
 *
 * @throws TemplateError `CG_ERR_TEMPLATE_NOT_FOUND` when no template fits.
 */
export function selectTemplate(
  templates: readonly MessageTemplate[],
  request: TemplateRequest,
): MessageTemplate {
  const languages = languageFallbackChain(request.preferredLanguage, request.tenantDefaultLanguage);
  const ofKey = templates.filter((t) => t.key === request.key);
  for (const language of languages) {
    for (const channel of [request.channel, ANY_CHANNEL]) {
      const found = latestVersion(
        ofKey.filter((t) => t.channel === channel && sameLanguage(t.language, language)),
      );
      if (found) return found;
    }
  }
  throw TemplateError.notFound(request.key, request.channel, languages);
}

function latestVersion(candidates: readonly MessageTemplate[]): MessageTemplate | undefined {
  return candidates.reduce<MessageTemplate | undefined>(
    (best, t) => (best === undefined || t.version > best.version ? t : best),
    undefined,
  );
}
