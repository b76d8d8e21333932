import type { MessageTemplate } from './message-template.js';

/** Where the dispatcher gets the templates it sends from: the tenant's, merged over the defaults. */
export interface TemplateSource {
  /** The templates in force now (cached for a short time). */
  current(): Promise<readonly MessageTemplate[]>;
  /** Forgets the cache (after a save on this instance: the next message sees the new version). */
  invalidate(): void;
}

/** How long a loaded set is used before it is read again (other instances' saves show by then). */
export const TEMPLATE_CACHE_MS = 30_000;

/**
 * A template source over `load` (the tenant's merged templates), cached for `ttlMs`. Concurrent
 * callers share one load; a failed load is not cached.
 */
export function cachedTemplateSource(
  load: () => Promise<readonly MessageTemplate[]>,
  options: { ttlMs?: number; now?: () => number } = {},
): TemplateSource {
  const ttlMs = options.ttlMs ?? TEMPLATE_CACHE_MS;
  const now = options.now ?? Date.now;
  let cached: { at: number; templates: Promise<readonly MessageTemplate[]> } | undefined;
  return {
    current() {
      if (cached && now() - cached.at < ttlMs) return cached.templates;
      const entry = { at: now(), templates: load() };
      cached = entry;
      entry.templates.catch(() => {
        if (cached === entry) cached = undefined;
      });
      return entry.templates;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
