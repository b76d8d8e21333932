import type { MessageTemplate } from './message-template.js';
import { cachedTemplateSource } from './template-source.js';

const template = (version: number): MessageTemplate => ({
  key: 'k',
  purpose: 'care-reminders',
  channel: 'any',
  language: 'en',
  text: 'x',
  version,
});

describe('cachedTemplateSource', () => {
  it('loads once within the cache time, again after it and after invalidate', async () => {
    let t = 0;
    let loads = 0;
    const source = cachedTemplateSource(async () => [template(++loads)], {
      ttlMs: 1_000,
      now: () => t,
    });
    expect((await source.current())[0]!.version).toBe(1);
    t = 999;
    expect((await source.current())[0]!.version).toBe(1);
    t = 1_000;
    expect((await source.current())[0]!.version).toBe(2);
    source.invalidate();
    expect((await source.current())[0]!.version).toBe(3);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const source = cachedTemplateSource(async () => {
      if (fail) throw new Error('database down');
      return [template(1)];
    });
    await expect(source.current()).rejects.toThrow('database down');
    fail = false;
    expect(await source.current()).toHaveLength(1);
  });
});
