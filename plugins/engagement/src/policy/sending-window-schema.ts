import { z } from 'zod';
import { parseSendingWindow, type SendingWindow } from './quiet-hours.js';

/**
 * A sending window in config or a rule, checked as the dispatcher reads it (`parseSendingWindow`:
 * `HH:MM` times, `end` may be `24:00`, `start` before `end`), so a window saved is one that can be
 * applied: a bad one is refused where it is written, never at send time.
 */
export const sendingWindowSchema = z
  .strictObject({ start: z.string(), end: z.string() })
  .superRefine((window: SendingWindow, ctx) => {
    try {
      parseSendingWindow(window);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message, path: ['start'] });
    }
  });
