/**
 * Message templates: their shape, choosing one by language and channel, the render model built
 * from the schema's entities, rendering, the minimum-PHI check, validation and preview.
 */
export * from './default-templates.js';
export * from './language-fallback.js';
export * from './message-template.js';
export * from './phi-check.js';
export * from './placeholders.js';
export * from './preview.js';
export * from './render-model.js';
export * from './render-template.js';
export * from './select-template.js';
export * from './sensitive-terms.js';
export * from './sms-segments.js';
export * from './template-errors.js';
export * from './template-finding.js';
export * from './validate-template.js';
export * from './merge-templates.js';
export * from './template-source.js';
