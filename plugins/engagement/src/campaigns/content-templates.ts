import { ConsentPurpose } from '@caregraph/schema';
import { z } from 'zod';
import { valueSetSchema } from '../care-gaps/code-matchers.js';
import {
  ANY_CHANNEL,
  validateTemplate,
  type MessagePurpose,
  type MessageTemplate,
  type TemplateFinding,
} from '../templates/index.js';

/** The template key campaign messages are planned with; its templates come from the content. */
export const CAMPAIGN_TEMPLATE_KEY = 'campaign';

/** A content item as saved (`saveContentItem`). */
export const contentItemInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  purpose: z.enum([ConsentPurpose.WELLNESS, ConsentPurpose.MARKETING], {
    message: 'WELLNESS or MARKETING',
  }),
  translations: z
    .array(
      z.strictObject({
        language: z
          .string()
          .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, { message: 'a BCP 47 language tag' }),
        title: z.string().trim().min(1).max(200),
        body: z.string().trim().min(1).max(4_000),
      }),
    )
    .min(1)
    .max(20)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        const tag = item.language.toLowerCase();
        if (seen.has(tag))
          ctx.addIssue({
            code: 'custom',
            message: 'a second text in this language',
            path: [i, 'language'],
          });
        seen.add(tag);
      });
    }),
  conditions: z.array(valueSetSchema).max(20).default([]),
});

/** A validated content item input. */
export type ContentItemInput = z.output<typeof contentItemInputSchema>;

/** What rendering and checking a content item reads. */
export interface ContentLike {
  purpose: ConsentPurpose | MessagePurpose;
  translations: readonly { language: string; title: string; body: string }[];
  version: number;
}

/**
 * A content item as the `campaign` templates the dispatcher renders: one `any`-channel template
 * per language, the title as subject and the body as text (an SMS gets the body).
 */
export function contentTemplates(item: ContentLike): MessageTemplate[] {
  return item.translations.map((t) => ({
    key: CAMPAIGN_TEMPLATE_KEY,
    purpose: item.purpose as MessagePurpose,
    channel: ANY_CHANNEL,
    language: t.language,
    subject: t.title,
    text: t.body,
    version: item.version,
  }));
}

/** A content finding with the translation it is in. */
export interface ContentFinding extends TemplateFinding {
  translation: number;
}

/**
 * The save-time check of content: each translation as a template (placeholders on the
 * allow-list, the minimum-PHI check: no clinical or free-text placeholder; sensitive terms and
 * measurements are warnings).
 */
export function checkContent(item: ContentLike): ContentFinding[] {
  return contentTemplates(item).flatMap((template, translation) =>
    validateTemplate(template).map((finding) => ({ ...finding, translation })),
  );
}
