import type { Logger } from './logger.js';
import { OutageWarning } from './outage-warning.js';

/** A logger that records its warnings. */
function recordingLogger() {
  const warnings: { fields: unknown; message: string }[] = [];
  const logger = {
    warn: (fields: unknown, message: string) => warnings.push({ fields, message }),
  } as unknown as Logger;
  return { logger, warnings };
}

describe('OutageWarning', () => {
  it('warns once per interval while the outage lasts, with the error name and message only', () => {
    const { logger, warnings } = recordingLogger();
    const outage = new OutageWarning(logger, 'Redis unavailable', 60_000);
    const error = Object.assign(new Error('connect ECONNREFUSED'), { address: '10.0.0.7' });
    outage.report(error);
    outage.report(error);
    expect(warnings).toEqual([
      {
        fields: { err: { name: 'Error', message: 'connect ECONNREFUSED' } },
        message: 'Redis unavailable',
      },
    ]);
  });

  it('warns again at once after the dependency came back, and says whether one was reported', () => {
    const { logger, warnings } = recordingLogger();
    const outage = new OutageWarning(logger, 'Redis unavailable', 60_000);
    expect(outage.clear()).toBe(false);
    outage.report(new Error('down'));
    expect(outage.clear()).toBe(true);
    outage.report(new Error('down again'));
    expect(warnings).toHaveLength(2);
  });
});
